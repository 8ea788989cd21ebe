"""Importing a history of dated versions (a dataset folder with a manifest).

Each file becomes a snapshot with its dataset provenance; its text goes through
``version_record`` like any fetched capture. A document is imported whole or not
at all: every file is read and hash-checked before anything is written.
"""

import multiprocessing
import os
import resource
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing.util import Finalize
from pathlib import Path

from django.db import connections, router, transaction

from governance import text as pipeline
from governance.integrity import bytes_sha256
from governance.manifest import (
    TECHNICAL_KIND,
    ManifestDocument,
    ManifestRejection,
    ManifestVersion,
    manifest_read,
)
from governance.models import Document, Platform, Snapshot, Source, Version
from governance.provisions import provisions_remembered
from governance.services import VersionRejected, snapshot_store, version_record
from governance.text.language import language_model_load

EXTRACTION_ORDER_ANOMALY = "extraction-order"

# The corpus' licence (ODC-BY 1.0) asks for this credit wherever imported data is shown.
ATTRIBUTION = (
    "Contains data from the Open Terms Archive GenAI Contrib collection "
    "(https://github.com/OpenTermsArchive/genai-contrib-versions), by Open Terms "
    "Archive contributors, licensed under ODC-BY 1.0."
)

_MEDIA_TYPES = {
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".txt": "text/plain",
    ".html": "text/html",
    ".htm": "text/html",
    ".pdf": "application/pdf",
}


class DocumentRejected(Exception):
    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass
class ImportSummary:
    created: int = 0
    identical: int = 0
    already_present: int = 0
    technical: int = 0
    anomalies: int = 0
    platforms_added: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    # Sum of the worker processes' peak resident memory (KiB); 0 when imported in-process.
    workers_peak_rss_kib: int = 0

    def add(self, other: "ImportSummary") -> None:
        """Count ``other`` (one document's outcome) in this summary."""
        self.created += other.created
        self.identical += other.identical
        self.already_present += other.already_present
        self.technical += other.technical
        self.anomalies += other.anomalies
        self.platforms_added.extend(other.platforms_added)
        self.rejected.extend(other.rejected)

    def line(self) -> str:
        text = (
            f"created {self.created} (technical {self.technical}, "
            f"extraction-order anomalies {self.anomalies}), identical {self.identical}, "
            f"already present {self.already_present}, rejected {len(self.rejected)}"
        )
        if self.rejected:
            text += ": " + "; ".join(f"{label}: {reason}" for label, reason in self.rejected)
        return text


def history_import(
    *, corpus_dir: Path, on_version: Callable[[int], None] | None = None, workers: int = 1
) -> ImportSummary:
    """Import every document of ``corpus_dir/manifest.json``; idempotent.

    Documents are independent (each is its own transaction), so with ``workers`` > 1
    they are imported by that many forked processes, on PostgreSQL and outside any
    transaction only: a worker sees committed rows alone (and SQLite has one writer).
    Either way the summary is the same, its lists in manifest order, and
    ``on_version`` is called in this process as each document is done.
    """
    summary = ImportSummary()
    entries = manifest_read(corpus_dir / "manifest.json")
    documents = [entry for entry in entries if isinstance(entry, ManifestDocument)]
    for entry in entries:
        if isinstance(entry, ManifestRejection):
            summary.rejected.append((entry.label, entry.reason))
    documents.sort(key=lambda doc: doc.versions[0].recorded_at)
    outcomes: list[ImportSummary | None] = [None] * len(documents)
    if workers > 1 and len(documents) > 1 and _can_fork_workers():
        done = _import_in_workers(corpus_dir, documents, workers, summary)
    else:
        done = ((i, _document_outcome(corpus_dir, doc)) for i, doc in enumerate(documents))
    for index, outcome in done:
        outcomes[index] = outcome
        if on_version:
            on_version(len(documents[index].versions))
    for outcome in outcomes:
        assert outcome is not None  # every document was imported or rejected
        summary.add(outcome)
    return summary


def _document_outcome(corpus_dir: Path, manifest_document: ManifestDocument) -> ImportSummary:
    """Import one document, whole or not at all; what happened, as a summary of its own.

    A rejected document counts as rejected only: whatever it had counted before
    the rejection was rolled back with its transaction.
    """
    outcome = ImportSummary()
    try:
        contents = _read_verified(corpus_dir, manifest_document)
        with transaction.atomic():
            _import_document(manifest_document, contents, outcome)
    except DocumentRejected as exc:
        outcome = ImportSummary()
        outcome.rejected.extend((manifest_document.label, r) for r in exc.reasons)
    return outcome


def _can_fork_workers() -> bool:
    connection = connections[router.db_for_write(Version)]
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _import_in_workers(
    corpus_dir: Path, documents: list[ManifestDocument], workers: int, summary: ImportSummary
) -> Iterator[tuple[int, ImportSummary]]:
    """(index, outcome) of every document, as worker processes finish them.

    Workers are forked (they inherit the settings, the loaded code and the language
    model; fork happens before any thread starts) after this process closes its
    database connections, which a child must never share; each child opens its own.
    The largest documents go first, so that no worker is left with one at the end.
    """
    connections.close_all()
    language_model_load()  # once here rather than once per worker
    peaks: dict[int, int] = {}
    order = sorted(range(len(documents)), key=lambda i: -len(documents[i].versions))
    with ProcessPoolExecutor(
        max_workers=min(workers, len(documents)),
        mp_context=multiprocessing.get_context("fork"),
        initializer=_worker_start,
    ) as pool:
        futures = {
            pool.submit(_worker_import, corpus_dir, documents[index]): index for index in order
        }
        try:
            for future in as_completed(futures):
                outcome, pid, peak_kib = future.result()
                peaks[pid] = max(peaks.get(pid, 0), peak_kib)
                yield futures[future], outcome
        except BaseException:
            # As in-process: an unexpected error stops the import (documents already
            # committed stay, as they would have).
            pool.shutdown(cancel_futures=True)
            raise
    summary.workers_peak_rss_kib = sum(peaks.values())


def _worker_start() -> None:
    # The connections inherited from the parent were closed before the fork; close the
    # child's own when it exits, so that the server sees a clean goodbye.
    Finalize(None, connections.close_all, exitpriority=10)


def _worker_import(
    corpus_dir: Path, manifest_document: ManifestDocument
) -> tuple[ImportSummary, int, int]:
    outcome = _document_outcome(corpus_dir, manifest_document)
    # Linux reports ru_maxrss in KiB.
    return outcome, os.getpid(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def history_total_versions(*, corpus_dir: Path) -> int:
    entries = manifest_read(corpus_dir / "manifest.json")
    return sum(len(e.versions) for e in entries if isinstance(e, ManifestDocument))


def _read_verified(corpus_dir: Path, document: ManifestDocument) -> list[bytes]:
    """Every file's bytes, or every reason the document cannot be imported."""
    contents: list[bytes] = []
    reasons: list[str] = []
    root = corpus_dir.resolve()
    for version in document.versions:
        path = (corpus_dir / version.file).resolve()
        if not path.is_relative_to(root):
            reasons.append(f"{version.file}: outside the dataset folder")
            continue
        try:
            content = path.read_bytes()
        except OSError as exc:
            reasons.append(f"{version.file}: cannot be read ({exc.strerror or exc})")
            continue
        actual = bytes_sha256(content)
        if actual != version.sha256:
            reasons.append(
                f"{version.file}: sha256 {actual} does not match the manifest's {version.sha256}"
            )
        elif len(content) != version.size:
            reasons.append(f"{version.file}: {len(content)} bytes, manifest says {version.size}")
        contents.append(content)
    if reasons:
        raise DocumentRejected(reasons)
    return contents


def _import_document(
    manifest_document: ManifestDocument, contents: list[bytes], summary: ImportSummary
) -> None:
    document = _document_upsert(manifest_document, summary)
    present = set(
        Snapshot.objects.filter(
            dataset=manifest_document.dataset,
            dataset_path__in=[v.file for v in manifest_document.versions],
        ).values_list("dataset_path", flat=True)
    )
    highest_index = -1
    # Each version is compared with the one recorded just before: keep its provisions
    # in memory rather than read them back (governance.provisions).
    with provisions_remembered():
        for version, content in zip(manifest_document.versions, contents, strict=True):
            out_of_order = version.source_index < highest_index
            highest_index = max(highest_index, version.source_index)
            if version.file in present:
                summary.already_present += 1
                continue
            _import_version(
                document, manifest_document, version, content, out_of_order, summary
            )


def _import_version(
    document: Document,
    manifest_document: ManifestDocument,
    version: ManifestVersion,
    content: bytes,
    out_of_order: bool,
    summary: ImportSummary,
) -> None:
    media_type = _MEDIA_TYPES.get(Path(version.file).suffix.lower(), "text/plain")
    snapshot = snapshot_store(
        content=content,
        media_type=media_type,
        fetched_at=version.recorded_at,
        dataset=manifest_document.dataset,
        dataset_commit=version.commit,
        dataset_path=version.file,
    )
    try:
        text = pipeline.extract(content, media_type)
        result = version_record(
            document=document,
            text=text,
            captured_at=version.recorded_at,
            snapshots=[snapshot],
            is_technical=version.kind == TECHNICAL_KIND,
            origin=Version.Origin.IMPORT,
            anomalies=[EXTRACTION_ORDER_ANOMALY] if out_of_order else [],
        )
    except (pipeline.ExtractionError, VersionRejected) as exc:
        raise DocumentRejected([f"{version.file}: {exc.reason}"]) from exc
    if not result.created:
        summary.identical += 1
        return
    summary.created += 1
    summary.technical += int(result.version.is_technical)
    summary.anomalies += int(out_of_order)


def _document_upsert(manifest_document: ManifestDocument, summary: ImportSummary) -> Document:
    platform, created = Platform.objects.get_or_create(
        slug=manifest_document.service, defaults={"name": manifest_document.service_name}
    )
    if created:
        # Not in the built-in catalogue: kept, but without a provider until someone adds it.
        summary.platforms_added.append(platform.slug)
    document, _ = Document.objects.get_or_create(
        platform=platform,
        kind=manifest_document.kind,
        defaults={"title": manifest_document.title},
    )
    valid_from = manifest_document.versions[0].recorded_at
    for period in manifest_document.source_periods:
        for position, url in enumerate(period.urls):
            Source.objects.get_or_create(
                document=document,
                url=url,
                valid_until=period.valid_until,
                # The dataset fetched it successfully, so it needs no first-fetch check.
                defaults={
                    "position": position, "valid_from": valid_from, "verified_at": valid_from
                },
            )
        valid_from = period.valid_until or valid_from
    return document
