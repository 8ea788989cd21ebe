from django.core.management.base import BaseCommand, CommandError

from governance import text as pipeline
from governance.models import Document
from governance.reextraction import document_reextract
from governance.services import VersionRejected


class Command(BaseCommand):
    help = (
        "Re-extract a document's latest snapshots with the current rules; when the text "
        "differs, append one technical version (past versions are never rewritten)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("platform")
        parser.add_argument("kind")

    def handle(self, *args, platform: str, kind: str, **options) -> None:
        document = Document.objects.filter(platform__slug=platform, kind=kind).first()
        if document is None:
            raise CommandError(f"no document {platform}/{kind}")
        try:
            result = document_reextract(document=document)
        except (pipeline.ExtractionError, VersionRejected) as exc:
            raise CommandError(f"{document}: {exc.reason}") from exc
        if result is None:
            raise CommandError(f"{document} has no version yet")
        if result.created:
            self.stdout.write(f"{document}: technical version {result.version.pk} appended")
        else:
            self.stdout.write(f"{document}: same text with the current rules; nothing appended")
