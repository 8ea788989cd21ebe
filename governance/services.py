"""Writes to the archive. ``version_record`` is the one way a version comes to exist."""

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Case, F, TextField, Value, When

from accounts.prepared import Param, PreparedValues, instance_from_row
from governance import text as pipeline
from governance.changes import (
    SUSPECT,
    ComparisonBase,
    base_note,
    change_analyse,
    change_store,
    comparison_base,
    is_suspect,
    lineage_ids_fresh,
)
from governance.integrity import bytes_sha256, chain_hash
from governance.models import Document, Provision, Snapshot, Version, VersionSnapshot
from governance.provisions import StoredProvisions, provisions_of, provisions_remember
from governance.selectors import version_latest

logger = logging.getLogger(__name__)

# Attempts after losing a race to another writer: each retry re-reads the new tail.
_RECORD_ATTEMPTS = 3


class VersionRejected(Exception):
    """The text cannot become a version; ``reason`` says why in words a person can act on."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class VersionRecordResult:
    version: Version
    created: bool

    @property
    def outcome(self) -> str:
        return "created" if self.created else "identical"


def snapshot_storage_name(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def snapshot_store(
    *,
    content: bytes,
    media_type: str,
    fetched_at: datetime,
    url: str = "",
    http_status: int | None = None,
    http_headers: dict[str, str] | None = None,
    dataset: str = "",
    dataset_commit: str = "",
    dataset_path: str = "",
) -> Snapshot:
    """Keep raw bytes as evidence: one blob per sha256, one row per capture.

    The blob is written before the row; a blob left behind by a rolled-back
    transaction is harmless, being named by its own hash and reused next time.
    """
    sha256 = bytes_sha256(content)
    storage = storages["snapshots"]
    name = snapshot_storage_name(sha256)
    if not storage.exists(name):
        saved = storage.save(name, ContentFile(content))
        if saved != name and storage.exists(name):
            # Another writer (a parallel import, a check) stored the same bytes under
            # this name in between, and the storage picked another name for ours: keep
            # one blob per sha256.
            storage.delete(saved)
        else:
            name = saved
    return Snapshot.objects.create(
        sha256=sha256,
        size=len(content),
        media_type=media_type,
        storage_name=name,
        fetched_at=fetched_at,
        url=url,
        http_status=http_status,
        http_headers=http_headers or {},
        dataset=dataset,
        dataset_commit=dataset_commit,
        dataset_path=dataset_path,
    )


class _Analysis:
    """Everything derived from the text alone, each part computed at most once.

    The normalised text and its hash come first; the costly rest (language, stated
    dates, provisions) only when asked for, so a text equal to the latest version's
    (most checks, and re-imported captures) is never analysed further.
    """

    def __init__(self, text: str):
        normalised = pipeline.normalise(text)
        if not normalised.strip():
            raise VersionRejected("the text is empty after normalisation")
        self.text = normalised
        self.sha256 = pipeline.text_sha256(normalised)

    @cached_property
    def language(self) -> str:
        return pipeline.detect_language(self.text)

    @cached_property
    def dates(self) -> pipeline.StatedDates:
        return pipeline.find_stated_dates(self.text)

    @cached_property
    def segments(self) -> list[pipeline.Segment]:
        # A heading with nothing under it keeps its place in segment() (so no text
        # is lost) but is not a provision.
        return [part for part in pipeline.segment(self.text) if part.text]

    def complete(self) -> None:
        """Compute every part now (before a transaction, say); each access caches it."""
        _ = self.language, self.dates, self.segments


JURISDICTION_VARIANT = "jurisdiction-variant"


def _text_anomalies(text: str, latest: Version | None, base: ComparisonBase | None) -> list[str]:
    """Flags a reader needs: a capture that looks broken, or another regional variant.

    The shrink is measured against the latest text (loaded with it by
    _latest_for_record); an error banner and a regional switch against the last text
    that did not look broken (``base.good_text``, when the latest did).
    """
    if latest is None:
        return []
    previous = latest.text_if_changed
    good = base.good_text if base is not None and base.good_text is not None else previous
    reasons = pipeline.suspect_reasons(text, previous, last_good=good)
    flags = [f"{SUSPECT}: {reason}" for reason in reasons]
    switch = pipeline.jurisdiction_switch(text, good)
    if switch:
        flags.append(f"{JURISDICTION_VARIANT}: {switch}")
    return flags


def version_record(
    *,
    document: Document,
    text: str,
    captured_at: datetime,
    snapshots: Sequence[Snapshot] = (),
    previous_seen_at: datetime | None = None,
    is_technical: bool = False,
    origin: str = Version.Origin.CHECK,
    anomalies: Sequence[str] = (),
) -> VersionRecordResult:
    """Append ``text`` to the document's history unless it equals the latest text.

    The unique constraints on Version (one first version, one successor each, one
    per instant) keep the history one line when writers race: the loser's insert
    fails, and it retries against the new tail instead of forking the chain.
    """
    analysis = _Analysis(text)
    if not transaction.get_connection(router.db_for_write(Version)).in_atomic_block:
        # The transaction below would be opened for this call alone (on SQLite it takes
        # the write lock at once): analyse before it, unless the text is unchanged.
        # Inside a caller's transaction (an import, a check) the analysis waits for
        # _record_once to find the text new, and is then done once whatever the retries.
        latest = version_latest(document=document)
        if latest is None or latest.text_sha256 != analysis.sha256:
            analysis.complete()
    for attempt in range(1, _RECORD_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return _record_once(
                    document=document,
                    analysis=analysis,
                    captured_at=captured_at,
                    snapshots=snapshots,
                    previous_seen_at=previous_seen_at,
                    is_technical=is_technical,
                    origin=origin,
                    anomalies=anomalies,
                )
        except IntegrityError:
            logger.info(
                "version_record lost a race",
                extra={"document_id": document.pk, "attempt": attempt},
            )
    raise VersionRejected(
        f"another writer kept changing {document} at the same moment; try again"
    )


def _latest_with_text_if_changed(*, document_id: int, sha256: str):
    return (
        Version.objects.filter(document_id=document_id)
        .order_by("-captured_at", "-id")
        .annotate(
            text_if_changed=Case(
                When(text_sha256=sha256, then=Value(None)),
                default=F("text"),
                output_field=TextField(),
            )
        )
        .values(*_LATEST_FIELDS, "text_if_changed")[:1]
    )


# ``anomalies``: whether the latest capture was suspect, which alone makes
# comparison_base look further back (and query).
_LATEST_FIELDS = ("id", "text_sha256", "captured_at", "chain_hash", "document_id", "anomalies")
# Every recorded capture runs it: compiled once (accounts/prepared.py).
_LATEST_FOR_RECORD = PreparedValues(
    _latest_with_text_if_changed,
    document_id=Param(Version._meta.get_field("document"), -1),
    sha256=Param(Version._meta.get_field("text_sha256"), "\x00sample sha256\x00"),
)


def _latest_for_record(*, document: Document, sha256: str) -> Version | None:
    """The document's newest version, as ``version_latest`` gives it, in the same query
    with its text as ``text_if_changed`` when that text is not the one being recorded
    (the anomaly checks compare the two); an unchanged text is not transferred at all.
    """
    row = _LATEST_FOR_RECORD.first(document_id=document.pk, sha256=sha256)
    if row is None:
        return None
    latest = instance_from_row(Version, _LATEST_FOR_RECORD.using, row, _LATEST_FIELDS)
    latest.text_if_changed = row["text_if_changed"]
    return latest


def _record_once(
    *,
    document: Document,
    analysis: _Analysis,
    captured_at: datetime,
    snapshots: Sequence[Snapshot],
    previous_seen_at: datetime | None,
    is_technical: bool,
    origin: str,
    anomalies: Sequence[str],
) -> VersionRecordResult:
    latest = _latest_for_record(document=document, sha256=analysis.sha256)
    if latest is not None and latest.text_sha256 == analysis.sha256:
        return VersionRecordResult(version=latest, created=False)
    if latest is not None and captured_at <= latest.captured_at:
        raise VersionRejected(
            f"captured_at {captured_at.isoformat()} is not after the latest version of "
            f"{document} ({latest.captured_at.isoformat()}); history is append-only"
        )
    platform_slug = document.platform.slug
    base = None
    if latest is not None and not is_suspect(latest.anomalies):
        # What comparison_base answers then, without its query.
        base = ComparisonBase(latest.pk, latest.captured_at)
    elif latest is not None:
        base = comparison_base(document_id=document.pk, latest=latest, text=analysis.text)
    anomalies = [*anomalies, *_text_anomalies(analysis.text, latest, base)]
    version_chain_hash = chain_hash(
        previous=latest.chain_hash if latest else None,
        platform_slug=platform_slug,
        document_kind=document.kind,
        text_sha256=analysis.sha256,
        snapshot_sha256s=[snapshot.sha256 for snapshot in snapshots],
        captured_at=captured_at,
    )
    change = None
    if latest is None:
        lineage_ids = lineage_ids_fresh(
            chain_hash=version_chain_hash, count=len(analysis.segments)
        )
    else:
        # Aligned against the tail read in this transaction: a writer that wins a race
        # makes this insert fail and the retry aligns against the new tail.
        change = change_analyse(
            old=provisions_of(
                version_id=base.version_id,
                chain_hash=latest.chain_hash if base.version_id == latest.pk else None,
            ),
            base_id=base.version_id,
            note=base_note(base),
            new_segments=analysis.segments,
            chain_hash=version_chain_hash,
            language=analysis.language,
            platform_name=document.platform.name,
            document_title=document.title,
            is_technical=is_technical,
            anomalies=anomalies,
        )
        lineage_ids = change.lineage_ids
    version = Version.objects.create(
        document=document,
        previous=latest,
        text=analysis.text,
        text_sha256=analysis.sha256,
        language=analysis.language,
        captured_at=captured_at,
        previous_seen_at=previous_seen_at,
        stated_last_updated=analysis.dates.last_updated and analysis.dates.last_updated.value,
        stated_last_updated_quote=(
            analysis.dates.last_updated.quote if analysis.dates.last_updated else ""
        ),
        stated_effective=analysis.dates.effective and analysis.dates.effective.value,
        stated_effective_quote=analysis.dates.effective.quote if analysis.dates.effective else "",
        is_technical=is_technical,
        origin=origin,
        anomalies=list(anomalies),
        chain_hash=version_chain_hash,
    )
    VersionSnapshot.objects.bulk_create(
        VersionSnapshot(version=version, snapshot=snapshot, position=position)
        for position, snapshot in enumerate(snapshots)
    )
    _provisions_insert(version, analysis.segments, lineage_ids)
    if change is not None:
        change_store(version=version, analysis=change)
    provisions_remember(
        version=version,
        provisions=StoredProvisions(segments=analysis.segments, lineage_ids=lineage_ids),
    )
    return VersionRecordResult(version=version, created=True)


def _provisions_insert(
    version: Version, segments: Sequence[pipeline.Segment], lineage_ids: Sequence[str]
) -> None:
    """The version's provisions, in order: on PostgreSQL with COPY, else bulk_create.

    COPY sends the rows as one stream in the current transaction, without building
    (and having the server parse) an INSERT of a hundred-odd rows; the rows are the
    ones bulk_create would write, heading paths as JSON arrays.
    """
    connection = connections[router.db_for_write(Provision)]
    if connection.vendor != "postgresql":
        Provision.objects.bulk_create(
            Provision(
                version=version,
                ordinal=ordinal,
                heading_path=list(segment.heading_path),
                text=segment.text,
                sha256=pipeline.text_sha256(segment.text),
                lineage_id=lineage_id,
            )
            for ordinal, (segment, lineage_id) in enumerate(zip(segments, lineage_ids, strict=True))
        )
        return
    fields = [Provision._meta.get_field(name) for name in _PROVISION_COPY_FIELDS]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(Provision._meta.db_table)
    with connection.cursor() as cursor, cursor.copy(
        f"COPY {table} ({columns}) FROM STDIN"  # names from the model, no input
    ) as copy:
        for ordinal, (segment, lineage_id) in enumerate(zip(segments, lineage_ids, strict=True)):
            copy.write_row((
                version.pk,
                ordinal,
                json.dumps(list(segment.heading_path)),
                segment.text,
                pipeline.text_sha256(segment.text),
                lineage_id,
            ))


_PROVISION_COPY_FIELDS = ("version", "ordinal", "heading_path", "text", "sha256", "lineage_id")
