"""Fixtures of the monitoring tests: a local web server the test scripts, fetch settings.

The server is real (a ThreadingHTTPServer on 127.0.0.1, an ephemeral port), so the
fetcher, the politeness lock and the workers talk plain HTTP to it exactly as they
would to a platform's site.
"""

import contextlib
import gzip
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from accounts.counters import redis_client

# Longest a scripted delay or hold may keep a server thread busy, whatever the test does.
HOLD_LIMIT_SECONDS = 30.0


@dataclass
class Reply:
    """One scripted answer. ``etag``: sent as ETag, and a request whose If-None-Match
    matches it is answered 304 with no body."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str = ""
    delay: float = 0.0  # seconds before the status line
    hold: threading.Event | None = None  # answer only once set (or after HOLD_LIMIT_SECONDS)
    chunked: bool = False  # no Content-Length: Transfer-Encoding chunked
    gzip: bool = False  # compress ``body``, Content-Encoding: gzip
    raw_chunks: tuple[bytes, ...] = ()  # sent as they are, after ``body`` (chunked only)
    chunk_pause: float = 0.0  # seconds between two chunks


def html(text: str, **options) -> Reply:
    return Reply(body=f"<html><body>{text}</body></html>".encode(), **options)


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status=status, headers={"Location": location})


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    at: float  # time.monotonic() when it arrived


class LocalServer:
    """Routes scripted per path: each request takes the next reply; the last repeats."""

    def __init__(self) -> None:
        self._routes: dict[str, list[Reply]] = {}
        self._lock = threading.Lock()
        self.requests: list[Request] = []
        self.arrived = threading.Condition(self._lock)
        self.stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._httpd.handle_error = lambda request, address: None  # clients hang up on purpose
        self.port = self._httpd.server_address[1]
        self.address = f"127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://{self.address}{path}"

    def route(self, path: str, *replies: Reply) -> str:
        """Script ``path``; returns its absolute URL."""
        with self._lock:
            self._routes[path] = list(replies)
        return self.url(path)

    def hits(self, path: str) -> int:
        with self._lock:
            return sum(1 for request in self.requests if request.path == path)

    def wait_for_hits(self, path: str, count: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self.arrived:
            while sum(1 for r in self.requests if r.path == path) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.arrived.wait(left)
        return True

    def next_reply(self, path: str, headers: dict[str, str]) -> Reply:
        with self.arrived:
            self.requests.append(Request(path, headers, time.monotonic()))
            self.arrived.notify_all()
            replies = self._routes.get(path)
            if not replies:
                return Reply(status=404, body=b"no such page\n", content_type="text/plain")
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def close(self) -> None:
        self.stopping.set()
        with self._lock:
            for replies in self._routes.values():
                for reply in replies:
                    if reply.hold is not None:
                        reply.hold.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def _handler_for(server: LocalServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            headers = {key.lower(): value for key, value in self.headers.items()}
            reply = server.next_reply(self.path, headers)
            if reply.hold is not None:
                reply.hold.wait(HOLD_LIMIT_SECONDS)
            if reply.delay:
                server.stopping.wait(min(reply.delay, HOLD_LIMIT_SECONDS))
            if reply.etag and headers.get("if-none-match") == reply.etag:
                self.send_response(304)
                self.send_header("ETag", reply.etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = gzip.compress(reply.body) if reply.gzip else reply.body
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            if reply.etag:
                self.send_header("ETag", reply.etag)
            if reply.gzip:
                self.send_header("Content-Encoding", "gzip")
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.chunked:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self._chunks((body, *reply.raw_chunks), reply.chunk_pause)
                return
            if "Content-Length" not in reply.headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _chunks(self, chunks, pause: float) -> None:
            try:
                for chunk in chunks:
                    if not chunk:
                        continue
                    self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                    self.wfile.flush()
                    if pause and server.stopping.wait(pause):
                        return
                self.wfile.write(b"0\r\n\r\n")
            except OSError:
                self.close_connection = True  # the client stopped reading: expected

        def log_message(self, format, *args) -> None:
            pass

    return Handler


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    server = LocalServer()
    yield server
    server.close()
    _forget_redis_keys(server)


def _forget_redis_keys(server: LocalServer) -> None:
    """Delete the Redis keys the checks of this server created (its URLs name its port)."""
    client = redis_client()
    keys = list(client.scan_iter(match=f"clausewatch:round:*{server.address}*", count=500))
    # The politeness stamp of 127.0.0.1 (its lock is released by whoever holds it).
    keys.append("clausewatch:host:127.0.0.1:last")
    client.delete(*keys)


@pytest.fixture
def fetch_settings(settings, local_server) -> LocalServer:
    """Fetching from ``local_server`` is allowed, and without politeness pauses."""
    settings.FETCH_ALLOWED_ADDRESSES = [local_server.address]
    settings.HOST_MIN_DELAY_MS = 0
    return local_server


def gzip_of_zeros(size: int) -> bytes:
    """``size`` zero bytes gzipped, built a megabyte at a time (never ``size`` in memory)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    parts = [compressor.compress(block) for _ in range(size // len(block))]
    parts.append(compressor.compress(bytes(size % len(block))))
    parts.append(compressor.flush())
    return b"".join(parts)


# --- Real Celery workers (tests/monitoring/test_workers.py) ---------------------------

WORKER_READY_SECONDS = 45.0


class Worker:
    """One `celery worker` process group (the main process and its pool child)."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log_path) -> None:
        self.name = name
        self.log_path = log_path
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(
                command, env=env, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killed as one
            )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = WORKER_READY_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        while " ready." not in self.log():
            if self.process.poll() is not None:
                pytest.fail(f"worker {self.name} exited ({self.process.returncode}):\n{self.log()}")
            if time.monotonic() > deadline:
                pytest.fail(f"worker {self.name} not ready after {timeout:.0f}s:\n{self.log()}")
            time.sleep(0.1)

    def pool_children(self) -> list[int]:
        path = f"/proc/{self.process.pid}/task/{self.process.pid}/children"
        with open(path) as children:
            return [int(pid) for pid in children.read().split()]

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group (main process and pool), then reap it."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
        self.process.wait(timeout=15)

    def stop(self) -> None:
        # The test is over: no need for a graceful shutdown (2 s each). A message a
        # failed test left running is removed with the run's broker keys.
        if self.process.poll() is None:
            self.kill(signal.SIGKILL)


class CeleryWorkers:
    """Workers on a queue of this test's own, against the test database and Redis db 15."""

    def __init__(self, run_id: str, tmp_path, base_env: dict[str, str]) -> None:
        self.run_id = run_id
        self.queue = f"test-fetch-{run_id}"
        self.tmp_path = tmp_path
        self.base_env = base_env
        self.started: list[Worker] = []

    def start(self, name: str, wait: bool = True, **env: str) -> Worker:
        command = [
            str(Path(sys.executable).with_name("celery")), "-A", "config", "worker",
            "--pool", "prefork", "--concurrency", "1", "-Q", self.queue,
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            "-n", f"{name}-{self.run_id}@%h", "--loglevel", "INFO",
        ]
        worker = Worker(
            name, command, {**self.base_env, **env}, self.tmp_path / f"worker-{name}.log"
        )
        self.started.append(worker)
        if wait:
            worker.wait_ready()
        return worker

    def logs(self) -> str:
        return "\n".join(f"--- {w.name} ---\n{w.log()}" for w in self.started)

    def stop_all(self) -> None:
        for worker in self.started:
            try:
                worker.stop()
            except Exception:  # never leave one behind because another misbehaved
                with contextlib.suppress(Exception):
                    os.killpg(worker.process.pid, signal.SIGKILL)


def _test_database_url() -> str:
    """DATABASE_URL of the test database pytest-django created (test_<name>)."""
    from django.db import connection

    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{connection.settings_dict['NAME']}"))


@pytest.fixture
def celery_workers(transactional_db, settings, fetch_settings, tmp_path) -> Iterator[CeleryWorkers]:
    """start(name, **env) -> a ready worker on this test's queue; all stopped afterwards.

    The workers see what the test commits (transactional_db), fetch from
    ``fetch_settings`` without politeness pauses, and retry after about a second.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the worker tests need the PostgreSQL test database")
    run_id = uuid.uuid4().hex
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CHECK_QUEUE": f"test-fetch-{run_id}",
        "CHECK_RETRY_BACKOFF_SECONDS": "1",
        "FETCH_ALLOWED_ADDRESSES": fetch_settings.address,
        "HOST_MIN_DELAY_MS": "0",
        "DB_CONN_MAX_AGE": "0",
    }
    workers = CeleryWorkers(run_id, tmp_path, env)
    settings.CHECK_QUEUE = workers.queue  # what the test process enqueues goes there too
    try:
        yield workers
    finally:
        workers.stop_all()
        _forget_broker_keys(run_id)


def _forget_broker_keys(run_id: str) -> None:
    """Delete this run's queue and bindings, and its messages a killed worker left
    unacknowledged in kombu's shared ``unacked`` hash (values name the run's queue)."""
    client = redis_client()
    keys = list(client.scan_iter(match=f"*{run_id}*", count=500))
    if keys:
        client.delete(*keys)
    for tag, payload in client.hscan_iter("unacked"):
        if run_id.encode() in payload:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


def wait_until(condition, *, timeout: float, what: str, logs=lambda: ""):
    """Poll ``condition`` (every 0.1 s) until it returns something truthy, or fail."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout:.0f}s\n{logs()}")
        time.sleep(0.1)
