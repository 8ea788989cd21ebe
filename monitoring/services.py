"""Writes of the monitoring app: claiming due documents and checking them."""

import functools
import gc
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import httpx
from celery.signals import worker_init
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from accounts.counters import redis_client
from governance import text as pipeline
from governance.changes import comparison_base
from governance.models import Document, Snapshot, Source, Version
from governance.selectors import snapshot_read, version_latest
from governance.services import VersionRejected, snapshot_store, version_record
from governance.text.language import language_model_load
from monitoring.fetching import FetchError, FetchPolicy, FetchResult, fetch
from monitoring.models import Check, CheckSchedule, SourceState
from monitoring.politeness import host_turn

logger = logging.getLogger(__name__)

BEAT_HEARTBEAT_KEY = "clausewatch:beat:heartbeat"
# How long a URL's capture is shared by the documents it feeds within one round.
_ROUND_SECONDS = 600

__all__ = ["BEAT_HEARTBEAT_KEY", "beat_heartbeat_record", "redis_client"]


def beat_heartbeat_record() -> None:
    redis_client().set(BEAT_HEARTBEAT_KEY, str(time.time()))


@worker_init.connect
def _worker_memory_share(sender=None, **_kwargs) -> None:
    """Before a worker's pool forks: a worker that checks documents loads the language
    model (~75 MB) now, so that the pool's processes share one copy instead of loading
    one each; and every object so far is frozen out of the garbage collector, whose
    passes would otherwise write to (and so copy) the pages the processes share."""
    amqp = getattr(getattr(sender, "app", None), "amqp", None)
    queues = amqp.queues.consume_from if amqp is not None else None  # None: every queue
    if queues is None or settings.CHECK_QUEUE in queues:
        language_model_load()
    gc.freeze()


def fetch_policy() -> FetchPolicy:
    return FetchPolicy(
        allowed_addresses=frozenset(settings.FETCH_ALLOWED_ADDRESSES),
        max_bytes=settings.FETCH_MAX_BYTES,
        connect_timeout=settings.FETCH_CONNECT_TIMEOUT,
        read_timeout=settings.FETCH_READ_TIMEOUT,
        user_agent=settings.FETCH_USER_AGENT,
    )


@functools.lru_cache(maxsize=128)
def _http_client(host: str) -> httpx.Client:
    """One client per host name and worker process (building a TLS context costs ~20 ms).

    Per host name, not per process: connections are pooled by the pinned address,
    and a TLS connection verified for one site must never carry another site's
    request, even when both sit behind the same CDN address.
    """
    policy = fetch_policy()
    return httpx.Client(
        timeout=httpx.Timeout(policy.read_timeout, connect=policy.connect_timeout),
        follow_redirects=False,
        trust_env=False,
    )


def schedules_ensure() -> int:
    """Give every active document with a current source a schedule (due now)."""
    # Exists, not sources__valid_until__isnull=True: that outer join also matches a
    # document with no source at all, which would then fail every check.
    current_source = Source.objects.filter(document=OuterRef("pk"), valid_until__isnull=True)
    missing = Document.objects.filter(
        Exists(current_source), active=True, schedule__isnull=True
    )
    created = CheckSchedule.objects.bulk_create(
        [CheckSchedule(document=document) for document in missing], ignore_conflicts=True
    )
    return len(created)


def documents_claim_due(*, now: datetime | None = None, limit: int | None = None):
    """Lease due documents; returns [(document_id, lease_token)] of those this call won.

    Each claim is ``UPDATE ... WHERE id = ? AND (due) AND (unleased or lease expired)``
    and counts only if it changed one row, so two beats or a crashed worker's
    expired lease can never hand one document to two workers.
    """
    now = now or timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    due = CheckSchedule.objects.filter(free, next_check_at__lte=now, document__active=True)
    candidates = list(
        due.order_by("next_check_at").values_list("id", "document_id")[
            : limit or settings.CHECK_BATCH_SIZE
        ]
    )
    lease_until = now + timedelta(seconds=settings.CHECK_LEASE_SECONDS)
    claimed = []
    for schedule_id, document_id in candidates:
        token = uuid.uuid4().hex
        won = (
            CheckSchedule.objects.filter(free, pk=schedule_id, next_check_at__lte=now)
            .update(lease_until=lease_until, lease_token=token)
        )
        if won:
            claimed.append((document_id, token))
    return claimed


@dataclass(frozen=True)
class CheckOutcome:
    outcome: str
    detail: str
    check: Check | None = None


class LeaseLost(Exception):
    """Another worker holds this document now: this run must not write."""


def document_check(
    *, document_id: int, lease_token: str | None, round_id: str = ""
) -> CheckOutcome:
    """Fetch every current source of a document, and record a version if the text changed.

    With ``lease_token=None`` (the check_document command) the document is leased here.
    Raises FetchError for a transient failure so that the task retries it; a
    permanent failure is recorded and returned.
    """
    document = Document.objects.select_related("platform").get(pk=document_id)
    if lease_token is None:
        lease_token = _lease_now(document)
    schedule = _leased_schedule(document, lease_token)
    if schedule is None:
        # A redelivered task whose lease expired and was claimed again: the new
        # holder checks; this run must not write anything.
        return CheckOutcome("skipped", "the lease is held by another run")
    started = timezone.now()
    t0 = time.monotonic()
    try:
        captures = _capture_sources(document, round_id or started.isoformat())
        outcome, version, detail = _record(document, schedule, captures, started, lease_token)
    except FetchError as exc:
        if exc.transient and _lease_valid(document, lease_token):
            _check_record(document, started, t0, Check.Outcome.FAILED, exc.reason,
                          transient=True, http_status=exc.http_status)
            raise
        check = _fail(document, lease_token, started, t0, exc.reason, exc.http_status)
        return CheckOutcome(Check.Outcome.FAILED, exc.reason, check)
    except (pipeline.ExtractionError, VersionRejected) as exc:
        check = _fail(document, lease_token, started, t0, exc.reason, None)
        return CheckOutcome(Check.Outcome.FAILED, exc.reason, check)
    except LeaseLost:
        return CheckOutcome("skipped", "the lease expired during the check")
    check = _check_record(
        document, started, t0, outcome, detail, version=version,
        bytes_fetched=sum(len(c.content) for c in captures if c.fetched),
        snapshots=[c.snapshot for c in captures if c.fetched],
        http_status=captures[0].status if captures else None,
    )
    return CheckOutcome(outcome, detail, check)


@dataclass
class _Capture:
    source: Source
    snapshot: Snapshot | None
    content: bytes
    media_type: str
    status: int
    fetched: bool


def _capture_sources(document: Document, round_id: str) -> list[_Capture]:
    # With their conditional-request state in the same query (a reverse one-to-one).
    sources = list(
        document.sources.filter(valid_until__isnull=True).select_related("state")
        .order_by("position")
    )
    if not sources:
        raise FetchError(f"{document} has no current source URL", transient=False)
    return [_capture(source, round_id) for source in sources]


def _capture(source: Source, round_id: str) -> _Capture:
    """One source's bytes: fetched (or reused within this round), or the last ones on 304."""
    client = redis_client()
    shared_key = f"clausewatch:round:{round_id}:url:{source.url}"
    shared = client.get(shared_key)
    if shared is not None:
        snapshot = Snapshot.objects.filter(pk=int(shared)).first()
        if snapshot is not None:
            return _Capture(source, snapshot, snapshot_read(snapshot=snapshot),
                            snapshot.media_type, 200, fetched=False)
    # Read, never created here: the upsert below writes it with the response (a first
    # fetch costs one INSERT ... ON CONFLICT instead of get_or_create's four statements).
    try:
        state = source.state
    except SourceState.DoesNotExist:
        state = SourceState(source=source)
    host = urlsplit(source.url).hostname or ""
    with host_turn(host, client=client, min_delay=settings.HOST_MIN_DELAY_MS / 1000,
                   wait_limit=120, lock_seconds=settings.FETCH_READ_TIMEOUT * 3):
        result = fetch(source.url, policy=fetch_policy(), etag=state.etag,
                       last_modified=state.last_modified, client=_http_client(host))
    previous = (
        Snapshot.objects.filter(sha256=state.snapshot_sha256).order_by("-id").first()
        if state.snapshot_sha256 else None
    )
    if result.not_modified and previous is not None:
        return _Capture(source, previous, snapshot_read(snapshot=previous),
                        previous.media_type, 304, fetched=False)
    # One transaction, one commit (a WAL flush) for the three writes, not one each.
    with transaction.atomic():
        snapshot = _snapshot_keep(result, previous)
        SourceState.objects.bulk_create(
            [SourceState(
                source=source, etag=result.headers.get("etag", ""),
                last_modified=result.headers.get("last-modified", ""),
                snapshot_sha256=snapshot.sha256,
            )],
            update_conflicts=True, unique_fields=["source"],
            update_fields=["etag", "last_modified", "snapshot_sha256"],
        )
        if source.verified_at is None:  # verified once is verified: no query every check
            Source.objects.filter(pk=source.pk, verified_at__isnull=True).update(
                verified_at=timezone.now()
            )
    client.set(shared_key, snapshot.pk, ex=_ROUND_SECONDS)
    return _Capture(source, snapshot, result.content, result.media_type, result.status, True)


def _snapshot_keep(result: FetchResult, previous: Snapshot | None) -> Snapshot:
    """The same bytes as last time are not stored again: the last snapshot stands."""
    from governance.integrity import bytes_sha256

    if previous is not None and previous.sha256 == bytes_sha256(result.content):
        return previous
    return snapshot_store(
        content=result.content, media_type=result.media_type, fetched_at=timezone.now(),
        url=result.url, http_status=result.status,
        http_headers={k: v for k, v in result.headers.items() if k in _KEPT_HEADERS},
    )


_KEPT_HEADERS = {"content-type", "etag", "last-modified", "date", "content-language",
                 "content-length", "server", "cache-control"}


def _record(document, schedule, captures, started, lease_token):
    if all(capture.status == 304 for capture in captures) and _latest_made_of(document, captures):
        _schedule_success(document, lease_token, started)
        return Check.Outcome.NOT_MODIFIED, None, "every source answered 304 Not Modified"
    parts = [
        pipeline.extract(
            capture.content, capture.media_type,
            rules=pipeline.ExtractionRules.from_json(capture.source.extraction_rules),
        )
        for capture in captures
    ]
    text = "\n\n".join(parts)
    held = _suspect_hold(document, schedule, text, started, lease_token)
    if held:
        return Check.Outcome.SUSPECT, None, held
    with transaction.atomic():
        if not _lease_valid(document, lease_token):
            raise LeaseLost(str(document))
        result = version_record(
            document=document, text=text, captured_at=started,
            snapshots=[capture.snapshot for capture in captures],
            previous_seen_at=schedule.last_seen_at,
        )
        _schedule_success(document, lease_token, started)
    if result.created:
        return Check.Outcome.CHANGED, result.version, "new version recorded"
    return Check.Outcome.UNCHANGED, None, "same text as the latest version"


def _suspect_hold(document, schedule, text, started, token) -> str | None:
    """Hold a capture that looks broken until a recheck shows the same text again.

    Returns the reason when held; None when the text is to be recorded (normal, or a
    suspect capture confirmed by the recheck: version_record then flags it).
    """
    latest = version_latest(document=document)
    normalised = pipeline.normalise(text)
    sha256 = pipeline.text_sha256(normalised)
    if latest is None or latest.text_sha256 == sha256:
        return None
    previous = Version.objects.filter(pk=latest.pk).values_list("text", flat=True).get()
    # As version_record judges it: after a confirmed broken capture, an error banner is
    # measured against the last good text (a second error page is still one).
    base = comparison_base(document_id=document.pk, latest=latest, text=normalised)
    reasons = pipeline.suspect_reasons(normalised, previous, last_good=base.good_text)
    if not reasons or schedule.suspect_text_sha256 == sha256:
        return None
    recheck_at = started + timedelta(minutes=settings.SUSPECT_RECHECK_MINUTES)
    CheckSchedule.objects.filter(document=document, lease_token=token).update(
        suspect_text_sha256=sha256, last_checked_at=started,
        next_check_at=min(recheck_at, started + document.check_interval),
        lease_until=None, lease_token="",
    )
    return "held for a recheck: " + "; ".join(reasons)


def _latest_made_of(document: Document, captures: list[_Capture]) -> bool:
    """Whether the latest version came from exactly these bytes. A 304 only says the
    bytes are those fetched last time, which may never have become a version (the
    extraction failed, the capture was held, the worker died before recording)."""
    latest = version_latest(document=document)
    recorded = (
        list(latest.versionsnapshot_set.order_by("position")
             .values_list("snapshot__sha256", flat=True))
        if latest is not None else None
    )
    return recorded == [capture.snapshot.sha256 for capture in captures]


def _leased_schedule(document: Document, token: str) -> CheckSchedule | None:
    """The document's schedule while ``token`` holds its lease, else None."""
    return CheckSchedule.objects.filter(
        document=document, lease_token=token, lease_until__gt=timezone.now()
    ).first()


def _lease_valid(document: Document, token: str) -> bool:
    return CheckSchedule.objects.filter(
        document=document, lease_token=token, lease_until__gt=timezone.now()
    ).exists()


def _lease_now(document: Document) -> str:
    schedule, _ = CheckSchedule.objects.get_or_create(document=document)
    token = uuid.uuid4().hex
    CheckSchedule.objects.filter(pk=schedule.pk).update(
        lease_token=token,
        lease_until=timezone.now() + timedelta(seconds=settings.CHECK_LEASE_SECONDS),
    )
    return token


def _schedule_success(document: Document, token: str, seen_at: datetime) -> None:
    CheckSchedule.objects.filter(document=document, lease_token=token).update(
        last_seen_at=seen_at, last_checked_at=seen_at, consecutive_failures=0,
        suspect_text_sha256="",
        next_check_at=seen_at + document.check_interval, lease_until=None, lease_token="",
    )


def _fail(document, token, started, t0, reason, http_status) -> Check:
    """A failure that will not be retried now: count it, and try again at the next interval."""
    CheckSchedule.objects.filter(document=document, lease_token=token).update(
        consecutive_failures=F("consecutive_failures") + 1, last_checked_at=started,
        next_check_at=started + document.check_interval, lease_until=None, lease_token="",
    )
    return _check_record(document, started, t0, Check.Outcome.FAILED, reason,
                         http_status=http_status)


def _check_record(document, started, t0, outcome, reason, *, transient=False,
                  http_status=None, version=None, bytes_fetched=0, snapshots=()) -> Check:
    with transaction.atomic():  # one commit for the check and its snapshot links
        check = Check.objects.create(
            document=document, started_at=started, finished_at=timezone.now(),
            outcome=outcome, reason=reason, transient=transient, http_status=http_status,
            version=version, bytes_fetched=bytes_fetched,
            duration_ms=int((time.monotonic() - t0) * 1000),
        )
        if snapshots:  # add(), not set(): a new check has no links to read and compare
            check.snapshots.add(*snapshots)
    return check


def document_check_give_up(*, document_id: int, lease_token: str, reason: str) -> None:
    """After the last retry of a transient failure: count it and free the document."""
    document = Document.objects.get(pk=document_id)
    now = timezone.now()
    CheckSchedule.objects.filter(document=document, lease_token=lease_token).update(
        consecutive_failures=F("consecutive_failures") + 1, last_checked_at=now,
        next_check_at=now + document.check_interval, lease_until=None, lease_token="",
    )
    logger.warning("check gave up", extra={"document_id": document_id, "reason": reason})


def checks_prune(*, now: datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - timedelta(days=settings.CHECK_RETENTION_DAYS)
    deleted, _ = Check.objects.filter(started_at__lt=cutoff).delete()
    return deleted
