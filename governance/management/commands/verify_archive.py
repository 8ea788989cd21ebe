from django.core.management.base import BaseCommand, CommandError

from governance.models import Platform
from governance.verification import archive_verify


class Command(BaseCommand):
    help = "Recompute every chain hash and snapshot hash; name the first broken link."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--platform", action="append", dest="platforms", metavar="SLUG",
            help="check only this platform's documents and snapshots (repeatable)",
        )

    def handle(self, *args, platforms: list[str] | None, **options) -> None:
        if platforms:
            known = set(Platform.objects.filter(slug__in=platforms).values_list("slug", flat=True))
            for slug in platforms:
                if slug not in known:
                    raise CommandError(f"no platform named {slug}")
        report = archive_verify(platform_slugs=platforms)
        counts = (
            f"{report.documents} documents, {report.versions} versions, "
            f"{report.snapshots} snapshots"
        )
        if report.ok:
            self.stdout.write(f"archive intact: {counts}")
            return
        for link in report.broken[1:]:
            self.stderr.write(f"also broken: {link}")
        raise CommandError(f"first broken link: {report.broken[0]} ({counts})")
