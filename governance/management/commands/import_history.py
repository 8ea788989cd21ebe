import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from governance.importing import ATTRIBUTION, history_import, history_total_versions
from governance.manifest import ManifestError

# Documents are imported in parallel by up to this many processes (PostgreSQL only).
DEFAULT_WORKERS = min(os.cpu_count() or 1, 4)


class _ProgressBar(tqdm):
    # No monitor thread: the import forks its workers, and a process should not fork
    # while another of its threads may hold a lock.
    monitor_interval = 0


class Command(BaseCommand):
    help = "Import a folder of dated document versions described by its manifest.json."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="folder holding manifest.json")
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
        parser.add_argument(
            "--workers", type=int, default=DEFAULT_WORKERS,
            help=f"processes importing documents in parallel on PostgreSQL "
            f"(default {DEFAULT_WORKERS}; 1 imports in this process)",
        )

    def handle(self, *args, path: Path, no_progress: bool, workers: int, **options) -> None:
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        try:
            total = history_total_versions(corpus_dir=path)
            with _ProgressBar(
                total=total, unit="file", disable=no_progress, file=sys.stderr
            ) as bar:
                summary = history_import(corpus_dir=path, on_version=bar.update, workers=workers)
        except ManifestError as exc:
            raise CommandError(str(exc)) from exc
        if summary.platforms_added:
            self.stderr.write(
                "platforms not in the catalogue, added without a provider: "
                + ", ".join(summary.platforms_added)
            )
        self.stdout.write(ATTRIBUTION)
        self.stdout.write(summary.line())
        if summary.rejected:
            raise CommandError(f"{len(summary.rejected)} item(s) rejected; see above")
