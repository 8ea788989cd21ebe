"""make bench-track: the document-tracking benchmark of ../shared/bench (see its README).

Generates N policy pages with gen_pages.py, serves them on 127.0.0.1, registers
them with their selectors unchanged, runs a full pass through the same path beat
uses (the dispatch task on the queue -> claims -> one check task per document on
real Celery workers), applies `mutate --step 1`, runs a second pass, and compares
the versions created with expected/step-1.json. Prints pass rates, the politeness
settings, exactness and the workers' peak memory; the last line is for scripts.

Runs against its own PostgreSQL database (clausewatch_bench_track, recreated) and
Redis db 14; only loopback traffic.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
N = int(os.environ.get("N", "500"))
SEED = int(os.environ.get("SEED", "42"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
# The worker pool, as in production by default: prefork (BENCH_POOL=threads to compare).
POOL = os.environ.get("BENCH_POOL", "prefork")
DB = "clausewatch_bench_track"
GENERATOR = Path(os.environ.get("BENCH_WORKLOAD_DIR", ROOT.parent / "shared" / "bench"))
OUT = ROOT / "var" / "bench" / f"track-{N}"
PASS_TIMEOUT = float(os.environ.get("BENCH_PASS_TIMEOUT", "900"))

ENV = {
    **os.environ,
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
    "API_KEY_PEPPER": "bench-only-pepper-not-for-production-0123456789",
    "DJANGO_DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
    "REDIS_URL": "redis://127.0.0.1:6379/14",
    "CLAUSEWATCH_VAR_DIR": str(ROOT / "var" / "bench"),
    "HOST_MIN_DELAY_MS": os.environ.get("HOST_MIN_DELAY_MS", "5"),
    "LOG_LEVEL": "WARNING",
}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # the bench prints figures, not access logs
        pass


def serve(directory: Path) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=directory))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def generate(port: int) -> None:
    base = f"http://127.0.0.1:{port}"
    subprocess.run([sys.executable, str(GENERATOR / "gen_pages.py"), "generate", "--out",
                    str(OUT), "--n", str(N), "--seed", str(SEED), "--base-url", base],
                   check=True, stdout=subprocess.DEVNULL)


def mutate(port: int) -> None:
    base = f"http://127.0.0.1:{port}"
    subprocess.run([sys.executable, str(GENERATOR / "gen_pages.py"), "mutate", "--out",
                    str(OUT), "--n", str(N), "--seed", str(SEED), "--base-url", base,
                    "--step", "1"], check=True, stdout=subprocess.DEVNULL)


def setup_database() -> None:
    for command in (["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", DB],
                    ["createdb", "-h", "127.0.0.1", "-U", "postgres", DB]):
        subprocess.run(command, check=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=ENV,
                   check=True)


def django_setup() -> None:
    os.environ.update(ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def register(workload: dict) -> dict[str, int]:
    """Platforms, documents and sources from workload.json; returns id -> document pk."""
    from django.utils.text import slugify

    from governance.models import Document, Platform, Source

    ids = {}
    for item in workload["documents"]:
        platform, _ = Platform.objects.get_or_create(
            slug=slugify(item["service_id"]), defaults={"name": item["service_name"]}
        )
        document = Document.objects.create(
            platform=platform, kind=slugify(item["terms_type"]), title=item["terms_type"]
        )
        Source.objects.create(document=document, url=item["url"],
                              extraction_rules={"select": item["select"],
                                                "remove": item["remove"]})
        ids[item["id"]] = document.pk
    return ids


def start_workers() -> subprocess.Popen:
    return subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "celery"), "-A", "config", "worker", "-Q",
         "celery,fetch", "--pool", POOL, "--concurrency", str(WORKERS), "--loglevel", "WARNING",
         "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=ENV, start_new_session=True,
    )


def workers_pss_mb(worker: subprocess.Popen) -> list[float]:
    """Proportional set size of the worker parent and of each pool process (MB).

    PSS splits pages shared after the fork between the processes that share them, so
    the sum is what the workers really hold (a sum of RSS would count them twice).
    """
    pids = [worker.pid]
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    sizes = []
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith("Pss:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


class PeakSampler(threading.Thread):
    """Samples the workers' PSS every 200 ms; ``peak`` is the highest sum seen, and
    ``peak_split`` the parent's and each pool process's share at that moment."""

    def __init__(self, worker: subprocess.Popen):
        super().__init__(daemon=True)
        self.worker, self.peak, self.stopped = worker, 0.0, threading.Event()
        self.peak_split: list[float] = []

    def run(self) -> None:
        while not self.stopped.wait(0.2):
            sizes = workers_pss_mb(self.worker)
            if sum(sizes) > self.peak:
                self.peak, self.peak_split = sum(sizes), sizes


def run_pass(document_ids: list[int]) -> float:
    """Make every document due, send the dispatch task beat sends, wait for every check."""
    from django.utils import timezone

    from monitoring.models import Check, CheckSchedule
    from monitoring.tasks import checks_dispatch_task

    started = timezone.now()
    CheckSchedule.objects.filter(document_id__in=document_ids).update(
        next_check_at=started, lease_until=None, lease_token=""
    )
    t0 = time.monotonic()
    checks_dispatch_task.delay()
    while time.monotonic() - t0 < PASS_TIMEOUT:
        done = Check.objects.filter(started_at__gte=started, transient=False).values(
            "document_id").distinct().count()
        if done >= len(document_ids):
            return time.monotonic() - t0
        time.sleep(0.2)
    raise SystemExit(f"pass did not finish in {PASS_TIMEOUT:.0f}s ({done}/{len(document_ids)})")


def main() -> None:
    # Stopped from outside (make's timeout, ^C): still stop the workers, in `finally`
    # below; they run in a session of their own and would outlive this process.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    # The server needs its port before the pages are written (their links carry it).
    (OUT / "site").mkdir(parents=True, exist_ok=True)
    server = serve(OUT / "site")
    port = server.server_address[1]
    generate(port)
    ENV["FETCH_ALLOWED_ADDRESSES"] = f"127.0.0.1:{port}"
    setup_database()
    django_setup()
    from governance.models import Version
    from monitoring.services import schedules_ensure

    workload = json.loads((OUT / "workload.json").read_text())
    ids = register(workload)
    schedules_ensure()
    worker = start_workers()
    sampler = PeakSampler(worker)
    sampler.start()
    try:
        time.sleep(3)
        pass1 = run_pass(list(ids.values()))
        mutate(port)
        from django.utils import timezone

        cut = timezone.now()
        pass2 = run_pass(list(ids.values()))
        sampler.stopped.set()
        peak, split = sampler.peak, sampler.peak_split
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
        server.shutdown()
    expected = json.loads((OUT / "expected" / "step-1.json").read_text())
    def doc_id(item) -> int:
        return ids[item["id"] if isinstance(item, dict) else item]

    wanted = {doc_id(item) for item in expected["significant_changes"]}
    noise = {doc_id(item) for item in expected["noise_only_changes"]}
    created = list(Version.objects.filter(captured_at__gte=cut).values_list("document_id",
                                                                             flat=True))
    per_doc = {doc: created.count(doc) for doc in set(created)}
    false_positives = sum(n for doc, n in per_doc.items() if doc not in wanted)
    missed = sum(1 for doc in wanted if per_doc.get(doc, 0) == 0)
    duplicates = sum(n - 1 for doc, n in per_doc.items() if doc in wanted and n > 1)
    first = Version.objects.filter(captured_at__lt=cut).count()
    print(f"documents            {N} ({workload['n']} generated, seed {SEED})")
    print(f"politeness           one request in flight per host, "
          f"{ENV['HOST_MIN_DELAY_MS']} ms apart (HOST_MIN_DELAY_MS)")
    print(f"workers              {WORKERS} {POOL} {'threads' if POOL == 'threads' else 'processes'}"
          " on queue fetch")
    print(f"pass 1               {pass1:.1f} s, {N / pass1:.1f} docs/s, {first} versions")
    print(f"pass 2               {pass2:.1f} s, {N / pass2:.1f} docs/s, "
          f"{len(created)} versions (noise-only pages {len(noise)})")
    print(f"exactness            expected {len(wanted)}, false positives {false_positives}, "
          f"missed {missed}, duplicates {duplicates}")
    print(f"workers' peak memory {peak:.0f} MB (sum of PSS of the pool, sampled every 200 ms: "
          f"parent {split[0] if split else 0:.0f} MB, pool processes "
          f"{', '.join(f'{size:.0f}' for size in split[1:])} MB)")
    print(
        f"tracked {N} documents: pass1 {N / pass1:.1f} docs/s, pass2 {N / pass2:.1f} docs/s, "
        f"versions created {len(created)}, expected {len(wanted)}, "
        f"false positives {false_positives}, missed {missed}"
    )


if __name__ == "__main__":
    main()
