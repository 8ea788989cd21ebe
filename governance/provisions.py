"""A version's provisions as the pipeline sees them (segments with lineage ids), read
back from the database, or from memory when they were just recorded in this process.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from governance import text as pipeline
from governance.models import Provision, Version


@dataclass(frozen=True)
class StoredProvisions:
    """A version's provisions as the pipeline sees them, with their lineage ids."""

    segments: list[pipeline.Segment]
    lineage_ids: list[str]


# An importer records a document's versions one after the other, each compared with
# the one just recorded: within ``provisions_remembered`` the provisions just written
# are kept in memory (with the version's chain hash, checked on use) instead of being
# read back. Outside it (checks, which record one version at a time) nothing is kept.
_remembered: ContextVar[dict[int, tuple[str, StoredProvisions]] | None] = ContextVar(
    "provisions_remembered", default=None
)


@contextmanager
def provisions_remembered() -> Iterator[None]:
    """Remember the provisions of the versions recorded inside (the last one only)."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def provisions_remember(*, version: Version, provisions: StoredProvisions) -> None:
    memo = _remembered.get()
    if memo is not None:
        memo.clear()  # only the latest version is ever asked for
        # As provisions_stored would build them from the rows just written.
        segments = [
            pipeline.Segment(heading_path=tuple(segment.heading_path), text=segment.text)
            for segment in provisions.segments
        ]
        memo[version.pk] = (
            version.chain_hash,
            StoredProvisions(segments=segments, lineage_ids=list(provisions.lineage_ids)),
        )


def provisions_of(*, version_id: int, chain_hash: str | None) -> StoredProvisions:
    """``provisions_stored``, from memory when that version was just recorded here.

    The chain hash (None when unknown: always read) guards against a version id that is
    not the one remembered (a recording rolled back after it was remembered, say): it
    names the version's content.
    """
    memo = _remembered.get()
    found = memo.get(version_id) if memo is not None and chain_hash is not None else None
    if found is not None and found[0] == chain_hash:
        return found[1]
    return provisions_stored(version_id=version_id)


def provisions_stored(*, version_id: int) -> StoredProvisions:
    rows = Provision.objects.filter(version_id=version_id).order_by("ordinal")
    segments, lineage_ids = [], []
    for heading_path, text, lineage_id in rows.values_list("heading_path", "text", "lineage_id"):
        segments.append(pipeline.Segment(heading_path=tuple(heading_path), text=text))
        lineage_ids.append(lineage_id)
    return StoredProvisions(segments=segments, lineage_ids=lineage_ids)
