"""What differs between any two versions of one document: the read behind the diff endpoint.

``version_pair`` finds the two versions (the predecessor when no other is named) in one
query and says why a pair cannot be diffed (``DiffError``); ``version_diff`` aligns their
stored provisions with ``text.align`` and redlines them with ``text.diff`` (character by
character for Chinese, Japanese and Korean: the language of the newer version decides),
always from the older version to the newer, whichever of the two was asked about.

Lineage ids are the stored ones, so a clause keeps the id it has everywhere else in the
API, also across a non-consecutive pair. Counts and summary: for consecutive versions,
the stored ``Change`` (what alerts and feeds said); for any other pair, the counts are
computed here and there is no summary (none was ever made for that span).
"""

import hashlib
from dataclasses import dataclass

from django.db.models import F, Q

from governance import changes as stored_changes
from governance.importing import ATTRIBUTION
from governance.models import Change, ChangeFlag, Provision, Version
from governance.text.align import MERGED, SPLIT, align
from governance.text.diff import (
    CHARACTER_LANGUAGES,
    DELETE,
    EQUAL,
    INSERT,
    provision_changes,
    unified_text_diff,
)
from governance.text.segment import Segment
from governance.text.summary import change_counts

# Bump when what this module returns for a pair changes (it is part of every ETag).
DIFF_ALGORITHM = "diff 2"

DISCLAIMER = (
    "This compares what two archived versions of a document state; it is not a legal "
    "finding and not legal advice. Wording changes are shown as captured; their legal "
    "effect depends on context this comparison does not assess."
)

# Why a pair cannot be diffed: the view answers each with its own status.
NOT_FOUND, FIRST_VERSION, SAME_VERSION, OTHER_DOCUMENT = (
    "not-found", "first-version", "same-version", "other-document",
)


class DiffError(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class VersionPair:
    """Two versions of one document, older first, as they were asked for."""

    older: Version
    newer: Version
    requested_id: int
    against_id: int
    against_default: bool

    @property
    def consecutive(self) -> bool:
        """True when the newer version's stored change is measured against the older one:
        its predecessor, or the last good version before suspect captures."""
        change = getattr(self.newer, "change", None)
        base_id = change.previous_id if change is not None else self.newer.previous_id
        return base_id == self.older.pk

    @property
    def reversed(self) -> bool:
        """True when ``against`` is the newer one: the diff still runs older -> newer."""
        return self.against_id == self.newer.pk


def _pair_queryset():
    # The text is loaded only when a whole-text diff needs it (version_pair_unified_diff).
    return (
        Version.objects.select_related("document__platform", "change")
        .defer("text")
        .annotate(in_force_until=F("successor__captured_at"))
    )


def version_pair(*, version_id: int, against_id: int | None) -> VersionPair:
    """The version ``version_id`` and ``against_id`` (default: its predecessor), in one query."""
    if against_id is None:
        rows = list(_pair_queryset().filter(Q(pk=version_id) | Q(successor__id=version_id)))
    else:
        rows = list(_pair_queryset().filter(pk__in=[version_id, against_id]))
    by_id = {row.pk: row for row in rows}
    defaulted = against_id is None
    version = by_id.pop(version_id, None)
    if version is None:
        raise DiffError(NOT_FOUND, f"No version with id {version_id}.")
    if against_id == version_id:
        raise DiffError(SAME_VERSION, "against is this version: name another version to diff.")
    if against_id is None:
        if version.previous_id is None:
            raise DiffError(
                FIRST_VERSION,
                "first version: nothing to diff against; pass against=<version id> to "
                f"compare version {version_id} (the first of {version.document}) with "
                "another version.",
            )
        # What the stored change was measured against: the predecessor, unless that
        # was a suspect capture (then the last good version, loaded here).
        change = getattr(version, "change", None)
        against_id = change.previous_id if change is not None else version.previous_id
        if against_id not in by_id:
            by_id.update((row.pk, row) for row in _pair_queryset().filter(pk=against_id))
    against = by_id.get(against_id)
    if against is None:
        raise DiffError(NOT_FOUND, f"No version with id {against_id} (against).")
    if against.document_id != version.document_id:
        raise DiffError(
            OTHER_DOCUMENT,
            f"Both must be versions of the same document: version {version_id} is of "
            f"{version.document}, version {against_id} of {against.document}.",
        )
    older, newer = sorted((version, against), key=lambda v: (v.captured_at, v.pk))
    return VersionPair(
        older=older, newer=newer, requested_id=version_id, against_id=against_id,
        against_default=defaulted,
    )


def version_pair_fingerprint(*, pair: VersionPair, output: str) -> str:
    """What fixes a diff's bytes in ``output`` form: a strong ETag's content.

    Both versions are immutable (their chain hashes name them). What is derived from
    them (lineage ids, change rows) changes only when ``rebuild_changes`` runs a better
    algorithm: the algorithms are named here, and so are the stored change rows of both
    versions (loaded with the pair anyway), so a rebuild that rewrites a summary under
    the same algorithm name still makes a new tag.
    """
    parts = [
        pair.older.chain_hash, pair.newer.chain_hash, str(pair.requested_id),
        str(pair.against_id), str(pair.against_default), stored_changes.METHOD,
        DIFF_ALGORITHM, output, _change_mark(pair.older), _change_mark(pair.newer),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


_CHANGE_MARK_FIELDS = (
    "pk", "method", "title", "body", "significance", "significance_rule",
    "no_summary_reason", "provisions_added", "provisions_removed", "provisions_modified",
    "provisions_moved", "provisions_split", "provisions_merged", "words_added",
    "words_removed", "headings_touched",
)


def _change_mark(version: Version) -> str:
    change = getattr(version, "change", None)
    if change is None:
        return "-"
    return repr([getattr(change, name) for name in _CHANGE_MARK_FIELDS])


@dataclass(frozen=True)
class ProvisionDiff:
    """One clause that differs (never an unchanged one), by ordinals of the stored rows.

    ``diff`` chunks always rebuild both texts: "equal" + "delete" give the older text,
    "equal" + "insert" the newer (an added clause is one insert, a removed one a delete,
    a clause moved unchanged one equal chunk).
    """

    kind: str
    lineage_id: str
    lineage_id_before: str | None
    old_ordinal: int | None
    new_ordinal: int | None
    heading_path_before: list[str] | None
    heading_path_after: list[str] | None
    related_old_ordinals: list[int]
    related_new_ordinals: list[int]
    diff: list[tuple[str, str]]


@dataclass(frozen=True)
class VersionDiff:
    pair: VersionPair
    language: str
    granularity: str  # "word" | "character"
    counts: dict
    change: Change | None  # the stored change, for a consecutive pair
    flags: list[ChangeFlag]
    changes: list[ProvisionDiff]
    method: str

    @property
    def attribution(self) -> str | None:
        """The Open Terms Archive credit (ODC-BY 1.0) when either text was imported."""
        origins = {self.pair.older.origin, self.pair.newer.origin}
        return ATTRIBUTION if Version.Origin.IMPORT in origins else None


@dataclass(frozen=True)
class _Side:
    ordinals: list[int]
    segments: list[Segment]
    lineage_ids: list[str]


def _side(version_id: int) -> _Side:
    rows = (
        Provision.objects.filter(version_id=version_id)
        .order_by("ordinal")
        .values_list("ordinal", "heading_path", "text", "lineage_id")
    )
    side = _Side([], [], [])
    for ordinal, heading_path, text, lineage_id in rows:
        side.ordinals.append(ordinal)
        side.segments.append(Segment(heading_path=tuple(heading_path), text=text))
        side.lineage_ids.append(lineage_id)
    return side


def version_diff(*, pair: VersionPair) -> VersionDiff:
    """Align and redline the pair's provisions (two queries, three with a stored change)."""
    old, new = _side(pair.older.pk), _side(pair.newer.pk)
    language = pair.newer.language or "en"
    matches = align(old.segments, new.segments)
    found = provision_changes(
        old.segments, new.segments, matches, old.lineage_ids, new.lineage_ids,
        language=language,
    )
    character = language.split("-")[0].lower() in CHARACTER_LANGUAGES
    change = getattr(pair.newer, "change", None) if pair.consecutive else None
    flags: list[ChangeFlag] = []
    if change is not None:
        flags = list(ChangeFlag.objects.filter(change=change).order_by("position"))
        counts = _stored_counts(change)
        source = f"counts and summary stored with the change ({change.method})"
    else:
        computed = change_counts(found, old.segments, new.segments, language=language)
        counts = _computed_counts(computed)
        source = f"counts computed for this pair ({stored_changes.METHOD}); no summary"
    method = (
        f"rules ({DIFF_ALGORITHM}): the stored provisions of both versions aligned by "
        f"governance.text.align, then diffed {'character' if character else 'word'} by "
        f"{'character' if character else 'word'} (language {language}); {source}."
    )
    return VersionDiff(
        pair=pair, language=language, granularity="character" if character else "word",
        counts=counts, change=change, flags=flags,
        changes=[_provision_diff(c, old, new) for c in found], method=method,
    )


def _provision_diff(change, old: _Side, new: _Side) -> ProvisionDiff:
    i, j = change.old_index, change.new_index
    related = list(change.related)
    diff = list(change.diff)
    if not diff:
        # provision_changes leaves the diff empty when no text changed on a pair (a
        # move) or when a side is missing: give the text all the same.
        if i is not None and j is not None:
            diff = [(EQUAL, new.segments[j].text)]
        elif j is not None:
            diff = [(INSERT, new.segments[j].text)]
        elif i is not None:
            diff = [(DELETE, old.segments[i].text)]
        diff = [chunk for chunk in diff if chunk[1]]
    return ProvisionDiff(
        kind=change.kind,
        lineage_id=change.lineage_id,
        lineage_id_before=None if i is None else old.lineage_ids[i],
        old_ordinal=None if i is None else old.ordinals[i],
        new_ordinal=None if j is None else new.ordinals[j],
        heading_path_before=None if i is None else list(old.segments[i].heading_path),
        heading_path_after=None if j is None else list(new.segments[j].heading_path),
        related_old_ordinals=[old.ordinals[k] for k in related] if change.kind == MERGED else [],
        related_new_ordinals=[new.ordinals[k] for k in related] if change.kind == SPLIT else [],
        diff=diff,
    )


_COUNT_FIELDS = ("added", "removed", "modified", "moved", "split", "merged")


def _stored_counts(change: Change) -> dict:
    return _counts(change, prefix="provisions_")


def _computed_counts(computed) -> dict:
    return _counts(computed, prefix="")


def _counts(source, *, prefix: str) -> dict:
    """A change's counts (stored ``Change`` or computed ``ChangeCounts``), as the API names them."""
    counts = {f"provisions_{name}": getattr(source, prefix + name) for name in _COUNT_FIELDS}
    counts["words_added"] = source.words_added
    counts["words_removed"] = source.words_removed
    counts["headings_touched"] = [list(path) for path in source.headings_touched]
    return counts


def version_label(version: Version) -> str:
    """``platform/kind@captured_at``: how a whole-text diff names each side."""
    document = version.document
    return (
        f"{document.platform.slug}/{document.kind}@"
        f"{version.captured_at.strftime('%Y-%m-%dT%H:%M:%SZ')}"
    )


def version_pair_unified_diff(*, pair: VersionPair) -> str:
    """The unified diff (3 lines of context) of the two whole texts, older to newer."""
    texts = dict(
        Version.objects.filter(pk__in=[pair.older.pk, pair.newer.pk]).values_list("pk", "text")
    )
    return unified_text_diff(
        texts[pair.older.pk], texts[pair.newer.pk],
        old_name=version_label(pair.older), new_name=version_label(pair.newer),
    )

