from django.core.management.base import BaseCommand, CommandError

from governance.models import Document
from monitoring.fetching import FetchError
from monitoring.services import document_check


class Command(BaseCommand):
    help = "Check one document now, in the foreground, and say what happened."

    def add_arguments(self, parser) -> None:
        parser.add_argument("platform", help="platform slug, e.g. claude-ai")
        parser.add_argument("kind", help="document kind, e.g. privacy-policy")

    def handle(self, *args, platform: str, kind: str, **options) -> None:
        document = Document.objects.filter(platform__slug=platform, kind=kind).first()
        if document is None:
            raise CommandError(f"no document {platform}/{kind}")
        try:
            result = document_check(document_id=document.pk, lease_token=None)
        except FetchError as exc:
            raise CommandError(f"{document}: {exc.reason} (temporary; try again)") from exc
        check = result.check
        line = f"{document}: {result.outcome}: {result.detail}"
        if check is not None:
            line += f" ({check.duration_ms} ms, {check.bytes_fetched} bytes)"
            if check.version_id:
                line += f"; version {check.version_id}"
        if result.outcome == "failed":
            raise CommandError(line)
        self.stdout.write(line)
