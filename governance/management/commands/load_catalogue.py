from django.core.management.base import BaseCommand, CommandError

from governance.catalogue import CatalogueError, catalogue_load


class Command(BaseCommand):
    help = "Load (or refresh) the built-in catalogue of providers and platforms."

    def handle(self, *args, **options) -> None:
        try:
            summary = catalogue_load()
        except CatalogueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"catalogue: {summary.providers} providers, {summary.platforms} platforms, "
            f"{summary.documents} hand-declared documents"
        )
