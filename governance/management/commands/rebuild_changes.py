from django.core.management.base import BaseCommand, CommandError
from django.db.models import Exists, OuterRef, Q

from governance.changes import METHOD, changes_rebuild
from governance.models import Change, Document, Platform, Provision, Version


class Command(BaseCommand):
    help = (
        "Recompute clause lineage and change summaries for the archive (idempotent: rows "
        "already equal to what the current algorithm gives are left alone)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--platform", action="append", dest="platforms", metavar="SLUG",
            help="only this platform's documents (repeatable)",
        )
        parser.add_argument(
            "--if-needed", action="store_true",
            help="only documents with a version lacking its change or lineage, or a change "
            "made by another algorithm (a quick no-op on an up-to-date archive)",
        )

    def handle(self, *args, platforms: list[str] | None, if_needed: bool, **options) -> None:
        documents = Document.objects.select_related("platform").order_by("id")
        if platforms:
            known = set(Platform.objects.filter(slug__in=platforms).values_list("slug", flat=True))
            missing = sorted(set(platforms) - known)
            if missing:
                raise CommandError(f"no platform named {', '.join(missing)}")
            documents = documents.filter(platform__slug__in=platforms)
        if if_needed:
            documents = documents.filter(_needs_rebuild())
        summary = changes_rebuild(documents=documents)
        self.stdout.write(f"rebuilt lineage and changes ({METHOD}): {summary.line()}")


def _needs_rebuild() -> Q:
    versions = Version.objects.filter(document=OuterRef("pk"))
    return (
        Exists(versions.filter(previous__isnull=False, change__isnull=True))
        | Exists(Provision.objects.filter(version__document=OuterRef("pk"), lineage_id=""))
        | Exists(Change.objects.filter(document=OuterRef("pk")).exclude(method=METHOD))
    )
