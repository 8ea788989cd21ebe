"""Reads of the archive, named ``<entity>_<action>`` (HackSoft style)."""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO

from django.core.files.storage import storages
from django.db.models import Count, Max, Prefetch, Q, QuerySet

from accounts.prepared import Param, PreparedValues, instance_from_row
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


def _document_marks(*, platform_slug: str, kind: str, cutoff: datetime | None = None):
    documents = (
        Document.objects.filter(platform__slug=platform_slug, kind=kind)
        .order_by()
        .values("id")
        .annotate(version_total=Count("versions"), version_last_id=Max("versions__id"))
    )
    if cutoff is None:
        return documents
    return documents.annotate(
        version_visible=Count(
            "versions",
            filter=Q(versions__captured_at__gte=cutoff)
            | Q(versions__successor__captured_at__gte=cutoff),
        )
    )


# Every request for a document's versions runs one: compiled once (accounts/prepared.py).
_DOCUMENT_PARAMS = {
    "platform_slug": Param(Platform._meta.get_field("slug"), "\x00sample platform\x00"),
    "kind": Param(Document._meta.get_field("kind"), "\x00sample kind\x00"),
}
_DOCUMENT_MARKS = PreparedValues(_document_marks, **_DOCUMENT_PARAMS)
_DOCUMENT_MARKS_WITHIN = PreparedValues(
    _document_marks,
    **_DOCUMENT_PARAMS,
    cutoff=Param(Version._meta.get_field("captured_at"), datetime(1, 1, 2, tzinfo=UTC)),
)


def document_version_marks(
    *, platform_slug: str, kind: str, cutoff: datetime | None
) -> Document | None:
    """The document (its id only) and what fixes its versions list, in one query:
    ``version_total``, ``version_last_id`` and, for a plan's window starting at
    ``cutoff``, ``version_visible`` (versions in force at some time within it)."""
    if cutoff is None:
        row = _DOCUMENT_MARKS.first(platform_slug=platform_slug, kind=kind)
    else:
        row = _DOCUMENT_MARKS_WITHIN.first(platform_slug=platform_slug, kind=kind, cutoff=cutoff)
    if row is None:
        return None
    document = instance_from_row(Document, _DOCUMENT_MARKS.using, row, ["id"])
    document.version_total = row["version_total"]
    document.version_last_id = row["version_last_id"]
    document.version_visible = row.get("version_visible")
    return document


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


# Every request for a version runs it first: compiled once (accounts/prepared.py).
_VERSION_GATE = PreparedValues(
    lambda pk: Version.objects.filter(pk=pk)
    .order_by()
    .values("id", "chain_hash", "successor__id", "successor__captured_at"),
    pk=Param(Version._meta.pk, -1),
)
_MAX_ID = 2**63 - 1  # the largest id a BigAutoField holds


def version_gate(*, pk: object) -> Version | None:
    """A version as its gates and ETag need it, or None: id, chain hash, and its
    successor (id and capture time) or the knowledge that it has none, in one query.

    ``pk`` comes from the URL: anything but a possible id finds nothing, as a filter
    on the primary key would.
    """
    try:
        pk = int(pk)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    if not 1 <= pk <= _MAX_ID:
        return None
    row = _VERSION_GATE.first(pk=pk)
    if row is None:
        return None
    db = _VERSION_GATE.using
    version = instance_from_row(Version, db, row, ["id", "chain_hash"])
    successor = None
    if row["successor__id"] is not None:
        successor = instance_from_row(
            Version, db, row, ["id", "captured_at"], prefix="successor__"
        )
    Version._meta.get_field("successor").set_cached_value(version, successor)
    return version


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
    """Until when the text made from these bytes was in force, for history-depth gates.

    None while a version made from them is the latest of its document (the latest
    text is public, so are its bytes); else the latest successor capture of such a
    version (identical bytes share a sha256, so every version of them counts), the
    same rule as for versions; or the fetch time of bytes no version was made from.
    """
    versions = Version.objects.filter(snapshots__sha256=snapshot.sha256)
    if versions.filter(successor__isnull=True).exists():
        return None
    until = versions.aggregate(until=Max("successor__captured_at"))["until"]
    return until or snapshot.fetched_at


def snapshot_open(*, snapshot: Snapshot) -> IO[bytes]:
    return storages["snapshots"].open(snapshot.storage_name, "rb")


def snapshot_read(*, snapshot: Snapshot) -> bytes:
    with snapshot_open(snapshot=snapshot) as handle:
        return handle.read()
