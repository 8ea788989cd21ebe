"""`make bench-import`: import the whole corpus into a fresh PostgreSQL database, timed.

Migrate and load_catalogue run as separate processes, so the peak memory
reported (ru_maxrss of this process, plus that of each import worker it forks)
is that of Django plus the import alone, and the clock covers only
``history_import``, called as ``manage.py import_history`` calls it (same number
of workers; BENCH_IMPORT_WORKERS overrides it, 1 imports in this process).
Exits 2 when the corpus is absent, 1 when the import rejects anything.
"""

import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("BENCH_DB", "clausewatch_bench_import")
VAR_DIR = ROOT / "var" / "bench"
TARGET_VERSIONS_PER_S = 100
STEP_TIMEOUT_S = 300  # migrate / load_catalogue / createdb: each bounded
# Required with DEBUG off (32+ characters, not SECRET_KEY); bench/api.sh uses the same,
# so API keys made in the bench database for an authenticated run stay valid.
PEPPER = "bench-api-key-pepper-not-a-secret-0123456789"

# Forced, not defaulted: a DATABASE_URL left in the caller's shell must never
# send migrate (or the drop below) to a real database. Redis db 14 is the
# benchmarks' own; nothing here touches Redis, but a stray client would land there.
os.environ.update(
    SECRET_KEY="bench",  # noqa: S106 - a throwaway database on loopback
    API_KEY_PEPPER=PEPPER,
    DJANGO_DEBUG="0",
    SECURE_SSL_REDIRECT="0",
    DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
    CLAUSEWATCH_VAR_DIR=str(VAR_DIR),
    REDIS_URL="redis://127.0.0.1:6379/14",
    DJANGO_SETTINGS_MODULE="config.settings",
)
os.environ.pop("SNAPSHOT_ROOT", None)  # snapshots under var/bench, never elsewhere
sys.path.insert(0, str(ROOT))


def run(*args: str) -> None:
    # client_min_messages: no "database does not exist, skipping" NOTICE from dropdb.
    env = {**os.environ, "PGOPTIONS": "-c client_min_messages=warning"}
    subprocess.run(args, cwd=ROOT, env=env, check=True, timeout=STEP_TIMEOUT_S)


def main() -> int:
    # This script drops the database it is given: never let it be a real one.
    if not DB_NAME.startswith("clausewatch_bench"):
        print(f"bench-import: BENCH_DB must start with clausewatch_bench, not {DB_NAME!r}.")
        return 2
    import django

    django.setup()  # settings only: no database connection is opened yet
    from django.conf import settings

    corpus = Path(settings.CORPUS_DIR)
    if not (corpus / "manifest.json").is_file():
        print(f"bench-import: no corpus at {corpus} (no manifest.json); set CORPUS_DIR.")
        return 2

    pg = ("-h", "127.0.0.1", "-U", "postgres")
    run("dropdb", *pg, "--if-exists", DB_NAME)
    run("createdb", *pg, DB_NAME)
    # Blobs are named by hash and reused when present: start empty, or a second
    # run would skip every file write and look faster than a real first import.
    shutil.rmtree(VAR_DIR / "snapshots", ignore_errors=True)
    py = str(ROOT / ".venv" / "bin" / "python")
    run(py, "manage.py", "migrate", "--no-input", "-v", "0")
    run(py, "manage.py", "load_catalogue")

    from governance.importing import history_import, history_total_versions
    from governance.management.commands.import_history import DEFAULT_WORKERS
    from governance.models import Provision, Version

    workers = int(os.environ.get("BENCH_IMPORT_WORKERS") or DEFAULT_WORKERS)
    files = history_total_versions(corpus_dir=corpus)
    # The machine is shared: a busy one explains slow figures, so say how busy it was.
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    summary = history_import(corpus_dir=corpus, workers=workers)
    wall = time.perf_counter() - started
    versions = Version.objects.count()
    provisions = Provision.objects.count()
    # Linux reports ru_maxrss in KiB. Worker processes have their own peaks: their sum
    # is added (it counts pages shared with this process twice: an upper bound).
    peak_mb = (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + summary.workers_peak_rss_kib
    ) / 1024

    rate = summary.created / wall
    print(f"corpus              {corpus}")
    print(f"summary             {summary.line()}")
    print(f"files               {files}")
    print(f"versions created    {summary.created}  (rows in the database: {versions})")
    print(f"identical           {summary.identical}")
    print(f"provisions          {provisions}")
    print(f"wall seconds        {wall:.2f}")
    print(f"files/s             {files / wall:.1f}")
    print(f"versions/s          {rate:.1f}")
    print(f"provisions/s        {provisions / wall:.0f}")
    print(f"peak memory (RSS)   {peak_mb:.0f} MB  (import workers: {workers})")
    print(f"load average (1 min) before/after: {load_before:.2f} / {os.getloadavg()[0]:.2f}"
          f" on {os.cpu_count()} CPUs")
    verdict = "met" if rate >= TARGET_VERSIONS_PER_S else "not met"
    print(f"target ≥ {TARGET_VERSIONS_PER_S} versions/s: {verdict}")
    return 1 if summary.rejected else 0


if __name__ == "__main__":
    sys.exit(main())
