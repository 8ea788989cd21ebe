"""Writes to the archive. ``version_record`` is the one way a version comes to exist."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction

from governance import text as pipeline
from governance.integrity import bytes_sha256, chain_hash
from governance.models import Document, Provision, Snapshot, Version, VersionSnapshot
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
        name = storage.save(name, ContentFile(content))
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


@dataclass(frozen=True)
class _Analysis:
    """Everything derived from the text alone, computed once outside the transaction."""

    text: str
    sha256: str
    language: str
    dates: pipeline.StatedDates
    segments: list[pipeline.Segment]


def _analyse(text: str) -> _Analysis:
    normalised = pipeline.normalise(text)
    if not normalised.strip():
        raise VersionRejected("the text is empty after normalisation")
    return _Analysis(
        text=normalised,
        sha256=pipeline.text_sha256(normalised),
        language=pipeline.detect_language(normalised),
        dates=pipeline.find_stated_dates(normalised),
        # A heading with nothing under it keeps its place in segment() (so no text
        # is lost) but is not a provision.
        segments=[part for part in pipeline.segment(normalised) if part.text],
    )


SUSPECT = "suspect"
JURISDICTION_VARIANT = "jurisdiction-variant"


def anomaly_kind(anomaly: str) -> str:
    """'suspect: shrank ...' -> 'suspect'."""
    return anomaly.split(":", 1)[0]


def _text_anomalies(text: str, latest: Version | None) -> list[str]:
    """Flags a reader needs: a capture that looks broken, or another regional variant."""
    if latest is None:
        return []
    previous = Version.objects.filter(pk=latest.pk).values_list("text", flat=True).get()
    flags = [f"{SUSPECT}: {reason}" for reason in pipeline.suspect_reasons(text, previous)]
    switch = pipeline.jurisdiction_switch(text, previous)
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
    analysis = _analyse(text)
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
    latest = version_latest(document=document)
    if latest is not None and latest.text_sha256 == analysis.sha256:
        return VersionRecordResult(version=latest, created=False)
    if latest is not None and captured_at <= latest.captured_at:
        raise VersionRejected(
            f"captured_at {captured_at.isoformat()} is not after the latest version of "
            f"{document} ({latest.captured_at.isoformat()}); history is append-only"
        )
    platform_slug = document.platform.slug
    anomalies = [*anomalies, *_text_anomalies(analysis.text, latest)]
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
        chain_hash=chain_hash(
            previous=latest.chain_hash if latest else None,
            platform_slug=platform_slug,
            document_kind=document.kind,
            text_sha256=analysis.sha256,
            snapshot_sha256s=[snapshot.sha256 for snapshot in snapshots],
            captured_at=captured_at,
        ),
    )
    VersionSnapshot.objects.bulk_create(
        VersionSnapshot(version=version, snapshot=snapshot, position=position)
        for position, snapshot in enumerate(snapshots)
    )
    Provision.objects.bulk_create(
        Provision(
            version=version,
            ordinal=ordinal,
            heading_path=list(segment.heading_path),
            text=segment.text,
            sha256=pipeline.text_sha256(segment.text),
        )
        for ordinal, segment in enumerate(analysis.segments)
    )
    return VersionRecordResult(version=version, created=True)
