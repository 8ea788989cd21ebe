"""Reads of the archive through time: timelines, the changes feed, one clause's history.

Selectors only (``<entity>_<action>``, keyword-only): the views in ``governance.api``
parse and gate, these decide what is read and keep every answer to a fixed number of
queries whatever the length of the history.

A renamed service keeps its history: a platform's predecessors (the platforms retired
into it, and theirs) are part of its timeline unless a caller asks otherwise, while a
retired platform's own timeline stops at its retirement and names its successor.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from governance import changes as stored_changes
from governance.models import Change, ChangeFlag, Document, Platform, Provision, Version
from governance.text.flags import CATEGORIES

SIGNIFICANCES: tuple[str, ...] = tuple(Change.Significance.values)
# The categories governance.text.flags emits (keep in step with it).
# The categories the flag engine raises, in its order (governance.text.flags).
FLAG_CATEGORIES: tuple[str, ...] = CATEGORIES
# A technical version is a change of our extraction: "false" leaves them out, "true"
# keeps only them, "all" keeps both.
TECHNICAL_CHOICES: tuple[str, ...] = ("all", "true", "false")


def _technical_filter(technical: str) -> Q:
    if technical == "true":
        return Q(is_technical=True)
    if technical == "false":
        return Q(is_technical=False)
    return Q()


def _flags_prefetch(prefix: str = "") -> Prefetch:
    return Prefetch(prefix + "flags", queryset=ChangeFlag.objects.order_by("position"))


# --- platforms and their predecessors ------------------------------------------------


@dataclass(frozen=True)
class PlatformLine:
    """A platform and the platforms retired into it (transitively), oldest retirement first."""

    platform: Platform
    predecessors: list[Platform]
    has_document: bool = True

    @property
    def platform_ids(self) -> list[int]:
        return [self.platform.pk, *(p.pk for p in self.predecessors)]


def _with_predecessor_mark(queryset: QuerySet[Platform]) -> QuerySet[Platform]:
    return queryset.annotate(
        has_predecessors=Exists(Platform.objects.filter(successor=OuterRef("pk")))
    )


def platform_line(
    *, slug: str, include_predecessors: bool, kind: str | None = None
) -> PlatformLine | None:
    """The platform of ``slug`` with its predecessors; None when there is no such platform.

    One query for the platform, and one per generation of predecessors only while the
    previous generation has any (the mark comes with each row): a platform never
    renamed costs one query. With ``kind``, ``has_document`` says whether the platform
    itself has a document of that kind.
    """
    queryset = _with_predecessor_mark(Platform.objects.select_related("successor"))
    if kind is not None:
        queryset = queryset.annotate(
            has_document=Exists(Document.objects.filter(platform=OuterRef("pk"), kind=kind))
        )
    platform = queryset.filter(slug=slug).first()
    if platform is None:
        return None
    predecessors: list[Platform] = []
    seen = {platform.pk}
    frontier = [platform.pk] if include_predecessors and platform.has_predecessors else []
    while frontier:
        found = list(
            _with_predecessor_mark(Platform.objects.filter(successor_id__in=frontier))
            .exclude(pk__in=seen)  # a (mistaken) cycle of renames ends here
            .order_by("-retired_at", "slug")
        )
        predecessors.extend(found)
        seen.update(p.pk for p in found)
        frontier = [p.pk for p in found if p.has_predecessors]
    predecessors.sort(key=lambda p: (p.retired_at, p.slug))
    return PlatformLine(
        platform=platform,
        predecessors=predecessors,
        has_document=getattr(platform, "has_document", True),
    )


def document_kinds(*, platform_ids: Sequence[int]) -> list[str]:
    """The document kinds of these platforms, for a message naming the valid ones."""
    return sorted(
        set(
            Document.objects.filter(platform_id__in=platform_ids).values_list("kind", flat=True)
        )
    )


# --- timelines -----------------------------------------------------------------------


def timeline_versions(
    *,
    platform_ids: Sequence[int],
    kind: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    significance: Sequence[str] = (),
    technical: str = "all",
    cutoff: datetime | None = None,
) -> QuerySet[Version]:
    """Versions of the documents of ``platform_ids`` (of ``kind`` only, when given),
    each with its document, platform, change and the change's flags; text unloaded.

    ``significance`` keeps versions whose change was summarised with one of them (a
    first version has no change, a technical one no summary: neither matches).
    ``cutoff`` is a plan's history window: versions in force at some time after it.
    Unordered: the caller's pagination orders by (captured_at, id).
    """
    versions = Version.objects.filter(document__platform_id__in=platform_ids)
    if kind is not None:
        versions = versions.filter(document__kind=kind)
    if since is not None:
        versions = versions.filter(captured_at__gte=since)
    if until is not None:
        versions = versions.filter(captured_at__lte=until)
    if significance:
        versions = versions.filter(change__significance__in=list(significance))
    if cutoff is not None:
        versions = versions.filter(
            Q(captured_at__gte=cutoff) | Q(successor__captured_at__gte=cutoff)
        )
    return (
        versions.filter(_technical_filter(technical))
        .select_related("document__platform", "change")
        .defer("text")
        .prefetch_related(_flags_prefetch("change__"))
    )


# --- the changes feed ----------------------------------------------------------------


@dataclass(frozen=True)
class FlagFilter:
    """``flag=right`` (any subject) or ``flag=right:opt-out`` (that subject exactly)."""

    category: str
    subject: str | None = None

    def condition(self) -> Q:
        condition = Q(category=self.category)
        if self.subject is not None:
            condition &= Q(subject=self.subject)
        return condition


def feed_slugs_unknown(
    *, platforms: Sequence[str] = (), kinds: Sequence[str] = ()
) -> dict[str, list[str]]:
    """The platform slugs and document kinds among these that the archive does not hold
    (a misspelt filter must say so, not answer an empty feed); one query per list given."""
    unknown: dict[str, list[str]] = {}
    if platforms:
        known = set(Platform.objects.filter(slug__in=platforms).values_list("slug", flat=True))
        if missing := [slug for slug in platforms if slug not in known]:
            unknown["platform"] = missing
    if kinds:
        known = set(Document.objects.filter(kind__in=kinds).values_list("kind", flat=True))
        if missing := [kind for kind in kinds if kind not in known]:
            unknown["kind"] = missing
    return unknown


def changes_feed(
    *,
    platforms: Sequence[str] = (),
    kinds: Sequence[str] = (),
    significance: Sequence[str] = (),
    flags: Sequence[FlagFilter] = (),
    since: datetime | None = None,
    until: datetime | None = None,
    origin: str | None = None,
    technical: str = "false",
    cutoff: datetime | None = None,
    with_details: bool = True,
) -> QuerySet[Change]:
    """Changes of every document, filtered; unordered (the feed pages by (captured_at, id)).

    ``flags`` keeps changes with at least one flag matching any of them. ``cutoff``: a
    plan's history window, changes captured at or after it. ``with_details`` loads what
    the full representation shows (the version's dates and flags); without it, only what
    a title needs.
    """
    changes = Change.objects.all()
    if platforms:
        changes = changes.filter(document__platform__slug__in=list(platforms))
    if kinds:
        changes = changes.filter(document__kind__in=list(kinds))
    if significance:
        changes = changes.filter(significance__in=list(significance))
    if flags:
        changes = changes.filter(_with_a_flag(flags))
    if since is not None:
        changes = changes.filter(captured_at__gte=since)
    if until is not None:
        changes = changes.filter(captured_at__lte=until)
    if cutoff is not None:
        changes = changes.filter(captured_at__gte=cutoff)
    if origin is not None:
        changes = changes.filter(version__origin=origin)
    return _feed_loaded(changes.filter(_technical_filter(technical)), with_details=with_details)


def _with_a_flag(flags: Sequence[FlagFilter]) -> Exists:
    matching = Q()
    for flag in flags:
        matching |= flag.condition()
    return Exists(ChangeFlag.objects.filter(matching, change=OuterRef("pk")))


def _feed_loaded(changes: QuerySet[Change], *, with_details: bool) -> QuerySet[Change]:
    if not with_details:
        return changes.select_related("document__platform").only(
            "id", "version_id", "captured_at", "title", "document__kind",
            "document__platform__slug",
        )
    return (
        changes.select_related("document__platform", "version")
        .defer("version__text")
        .prefetch_related(_flags_prefetch())
    )


def change_get(*, version_id: int, with_details: bool = True) -> Change | None:
    """The change a version made to its predecessor (None: no such version, or a first one)."""
    queryset = changes_feed(technical="all", with_details=with_details)
    return queryset.filter(version_id=version_id).first()


# --- one clause through time ---------------------------------------------------------

PROVISION_HISTORY_METHOD = (
    f"{stored_changes.METHOD}. The same clause across versions is the stored lineage id "
    "each provision got when governance.text.align matched it to the previous version's "
    "(same, moved, modified, split or merged clause); a wording is a run of consecutive "
    "versions holding the same text (sha256); the flags are those stored with the "
    "changes that touched this lineage."
)


@dataclass
class Wording:
    """One wording of a clause, held by consecutive versions."""

    text: str
    sha256: str
    heading_path: list[str]
    since: datetime
    until: datetime | None
    until_version_id: int | None  # the version that changed or dropped it
    version_ids: list[int] = field(default_factory=list)


@dataclass
class ProvisionHistory:
    lineage_id: str
    document: Document
    first_seen: datetime
    last_seen: datetime
    in_latest_version: bool
    removed_at: datetime | None
    wordings: list[Wording]
    flags: list[ChangeFlag]
    imported: bool = False  # some of its versions come from an imported dataset

    @property
    def platform(self) -> Platform:
        return self.document.platform

    @property
    def in_force(self) -> bool:
        return self.in_latest_version and self.platform.retired_at is None


def provision_history(*, lineage_id: str) -> ProvisionHistory | None:
    """One clause through time, in two queries whatever the number of its versions.

    The clause's provisions come with their versions and each version's successor, so
    that runs of versions holding the same wording can be told apart from gaps (the
    clause dropped, then another version holding it again) without reading the rest of
    the document's history. Lineage ids are unique within a version, and a lineage
    belongs to one document: should another ever hold it, the first document's is used.
    """
    rows = list(
        Provision.objects.filter(lineage_id=lineage_id)
        .select_related("version__document__platform__successor", "version__successor")
        .only(
            "heading_path", "text", "sha256", "version__id", "version__captured_at",
            "version__origin", "version__document", "version__successor__id",
            "version__successor__captured_at",
            *(f"version__document__{name}" for name in ("id", "kind", "title", "platform")),
            *(f"version__document__platform__{name}" for name in (
                "id", "slug", "name", "retired_at", "successor")),
            "version__document__platform__successor__slug",
        )
        .order_by("version__captured_at", "version__id")
    )
    if not rows:
        return None
    document = rows[0].version.document
    rows = [row for row in rows if row.version.document_id == document.pk]
    wordings = _wordings(rows)
    last_successor = getattr(rows[-1].version, "successor", None)
    retired_at = document.platform.retired_at
    if last_successor is None and retired_at is not None:
        # Never in force after its platform's retirement: the wording held until then.
        wordings[-1].until = max(retired_at, wordings[-1].since)
    flags = _lineage_flags(document=document, lineage_id=lineage_id)
    return ProvisionHistory(
        lineage_id=lineage_id,
        document=document,
        first_seen=rows[0].version.captured_at,
        last_seen=rows[-1].version.captured_at,
        in_latest_version=last_successor is None,
        removed_at=last_successor.captured_at if last_successor else None,
        wordings=wordings,
        flags=flags,
        imported=any(row.version.origin == Version.Origin.IMPORT for row in rows),
    )


def _wordings(rows: list[Provision]) -> list[Wording]:
    """The clause's rows (oldest first) as runs of consecutive versions holding one text."""
    wordings: list[Wording] = []
    previous = None
    for row in rows:
        version = row.version
        adjacent = previous is not None and _successor_id(previous.version) == version.pk
        if adjacent and previous.sha256 == row.sha256:
            wordings[-1].version_ids.append(version.pk)
        else:
            wordings.append(Wording(
                text=row.text, sha256=row.sha256, heading_path=list(row.heading_path),
                since=version.captured_at, until=None, until_version_id=None,
                version_ids=[version.pk],
            ))
        successor = getattr(version, "successor", None)
        # Until the next version, unless it is the next row of this same wording.
        wordings[-1].until = successor.captured_at if successor else None
        wordings[-1].until_version_id = successor.pk if successor else None
        previous = row
    return wordings


def _lineage_flags(*, document: Document, lineage_id: str) -> list[ChangeFlag]:
    # By lineage first (change_flag_lineage_idx), then the document through the change.
    return list(
        ChangeFlag.objects.filter(change__document=document, lineage_id=lineage_id)
        .select_related("change")
        .only("category", "subject", "direction", "lineage_id", "heading_path", "before",
              "after", "position", "change__id", "change__version_id", "change__captured_at")
        .order_by("change__captured_at", "change__id", "position")
    )


def _successor_id(version: Version) -> int | None:
    successor = getattr(version, "successor", None)
    return successor.pk if successor is not None else None
