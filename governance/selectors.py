"""Reads of the archive, named ``<entity>_<action>`` (HackSoft style)."""

from collections.abc import Iterator
from datetime import datetime
from typing import IO

from django.core.files.storage import storages
from django.db.models import Count, Max, Prefetch, QuerySet

from governance.models import Document, Platform, Snapshot, Version, VersionSnapshot

# Columns a version summary needs: everything but the (large) text.
_SUMMARY_DEFER = ("text",)


def platform_queryset() -> QuerySet[Platform]:
    return Platform.objects.select_related("provider", "successor")


def document_queryset(*, platform: Platform) -> QuerySet[Document]:
    return (
        Document.objects.filter(platform=platform)
        .select_related("platform")
        .prefetch_related("sources")
        .annotate(version_count=Count("versions"))
    )


def version_latest(*, document: Document) -> Version | None:
    """The document's newest version (the tail of its chain), text left unloaded."""
    return (
        Version.objects.filter(document=document)
        .only("id", "text_sha256", "captured_at", "chain_hash", "document_id")
        .order_by("-captured_at", "-id")
        .first()
    )


def version_summary_queryset(*, document: Document) -> QuerySet[Version]:
    return (
        Version.objects.filter(document=document)
        .select_related("document__platform")
        .defer(*_SUMMARY_DEFER)
    )


def version_latest_summary(*, document: Document) -> Version | None:
    return version_summary_queryset(document=document).order_by("-captured_at", "-id").first()


def version_detail_queryset() -> QuerySet[Version]:
    return Version.objects.select_related("document__platform", "successor").prefetch_related(
        "provisions",
        Prefetch(
            "versionsnapshot_set",
            queryset=VersionSnapshot.objects.select_related("snapshot").order_by("position"),
        ),
    )


def version_as_of(*, document: Document, moment: datetime) -> Version | None:
    """The version in force at ``moment``: the last one captured at or before it."""
    return (
        version_detail_queryset()
        .filter(document=document, captured_at__lte=moment)
        .order_by("-captured_at", "-id")
        .first()
    )


def version_first_captured_at(*, document: Document) -> datetime | None:
    return (
        Version.objects.filter(document=document)
        .order_by("captured_at")
        .values_list("captured_at", flat=True)
        .first()
    )


def version_chain(*, document: Document) -> Iterator[Version]:
    """Every version of a document from the first, following ``previous`` links.

    Walks the links rather than trusting ``captured_at`` order, so a fork or a gap
    in the history shows up instead of being sorted away.
    """
    by_previous: dict[int | None, Version] = {}
    for version in (
        Version.objects.filter(document=document)
        .select_related("document__platform")
        .prefetch_related("versionsnapshot_set__snapshot")
        .order_by("captured_at", "id")
        .iterator(chunk_size=200)
    ):
        by_previous[version.previous_id] = version
    current = by_previous.get(None)
    while current is not None:
        yield current
        current = by_previous.get(current.id)


def snapshot_capture_moment(*, snapshot: Snapshot) -> datetime | None:
    """When the text made from these bytes was captured, for history-depth gates.

    None while a version made from them is the latest of its document (the latest
    text is public, so are its bytes); else the newest capture of such a version
    (identical bytes share a sha256, so every capture of them counts), or the
    fetch time of bytes no version was made from.
    """
    versions = Version.objects.filter(snapshots__sha256=snapshot.sha256)
    if versions.filter(successor__isnull=True).exists():
        return None
    newest = versions.aggregate(newest=Max("captured_at"))["newest"]
    return newest or snapshot.fetched_at


def snapshot_open(*, snapshot: Snapshot) -> IO[bytes]:
    return storages["snapshots"].open(snapshot.storage_name, "rb")


def snapshot_read(*, snapshot: Snapshot) -> bytes:
    with snapshot_open(snapshot=snapshot) as handle:
        return handle.read()
