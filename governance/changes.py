"""Lineage and changes: what a new version keeps, moves and alters of its predecessor.

Both are derived from the two texts by the pure pipeline (``text.align``, ``text.diff``,
``text.flags``, ``text.summary``): ``version_record`` computes them in the transaction
that records the version, and ``changes_rebuild`` recomputes them for the whole archive
when an algorithm improves. Lineage ids are deterministic (the chain hash of the version
where a clause first appears, and its ordinal there), so a rebuild with the same
algorithm rewrites nothing and a better one keeps every id it does not need to change.
"""

import hashlib
import logging
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db import transaction

from governance import text as pipeline
from governance.models import LINEAGE_ID_LENGTH, Change, ChangeFlag, Document, Provision, Version
from governance.provisions import StoredProvisions, provisions_stored
from governance.text.diff import ProvisionChange, provision_changes
from governance.text.flags import Flag, change_flags
from governance.text.summary import (
    NO_SUMMARY_SUSPECT,
    NO_SUMMARY_TECHNICAL,
    ChangeCounts,
    Summary,
    change_counts,
    change_summarise,
)

logger = logging.getLogger(__name__)

# Named on every change, so a reader knows how it was made (and a rebuild can tell
# which changes an older algorithm made).
METHOD = "rules: align 1, flags 3, summary 3"

# The flag of a capture that looked broken: "suspect: shrank: 99% of the text removed".
SUSPECT = "suspect"


def anomaly_kind(anomaly: str) -> str:
    """'suspect: shrank ...' -> 'suspect'."""
    return anomaly.split(":", 1)[0]


def lineage_id_make(*, chain_hash: str, ordinal: int) -> str:
    """The id of a clause first seen at ``ordinal`` of the version with ``chain_hash``."""
    digest = hashlib.sha256(f"{chain_hash}:{ordinal}".encode()).hexdigest()
    return digest[:LINEAGE_ID_LENGTH]


def lineage_ids_fresh(*, chain_hash: str, count: int) -> list[str]:
    """Lineage ids of a first version: every clause starts its own line."""
    return [lineage_id_make(chain_hash=chain_hash, ordinal=index) for index in range(count)]


@dataclass(frozen=True)
class ChangeAnalysis:
    """Everything a change stores, computed before any row is written."""

    lineage_ids: list[str]
    changes: list[ProvisionChange]
    counts: ChangeCounts
    base_id: int  # the version compared with (Change.previous)
    flags: list[Flag] = field(default_factory=list)
    summary: Summary | None = None
    no_summary_reason: str = ""


# How far back a change looks for a capture that was not suspect (a run of broken
# captures longer than this is compared with its predecessor as it is).
SUSPECT_RUN_LIMIT = 50


def is_suspect(anomalies: Iterable[str]) -> bool:
    return any(anomaly_kind(anomaly) == SUSPECT for anomaly in anomalies)


@dataclass(frozen=True)
class ComparisonBase:
    """The version a new one is compared with, and the suspect captures skipped to it.

    ``good_text`` is the text of the last capture that did not look broken, when the
    latest did (else None: the latest's own text is the reference).
    """

    version_id: int
    captured_at: datetime
    skipped: int = 0
    good_text: str | None = None


def base_choose(
    *, text: str, latest: tuple[int, datetime], good: tuple[int, datetime, int] | None,
    good_text: str | None,
) -> ComparisonBase:
    """After suspect captures, compare with the last good version only if ``text`` looks
    like that good text come back; if it is itself far from it (a policy that really got
    shorter, a second error page), the latest capture stays the base."""
    if good is None or good_text is None or pipeline.suspect_reasons(text, good_text):
        return ComparisonBase(*latest, good_text=good_text)
    return ComparisonBase(*good, good_text=good_text)


def comparison_base(*, document_id: int, latest: Version, text: str) -> ComparisonBase:
    """What a new capture of ``text`` is compared with: the latest version, unless that
    was a suspect capture and ``text`` is the last good text come back (``base_choose``).

    Else, after an error page, the text that comes back would read as "the whole policy
    added" and every clause would lose its lineage to the broken capture in between.
    """
    rows = list(
        Version.objects.filter(document_id=document_id, captured_at__lte=latest.captured_at)
        .order_by("-captured_at", "-id")
        .values_list("id", "captured_at", "anomalies")[:SUSPECT_RUN_LIMIT]
    )
    if not rows or not is_suspect(rows[0][2]):
        return ComparisonBase(latest.pk, latest.captured_at)
    good = next(
        ((version_id, at, skipped) for skipped, (version_id, at, anomalies) in enumerate(rows)
         if not is_suspect(anomalies)),
        None,
    )
    good_text = None
    if good is not None:
        good_text = Version.objects.values_list("text", flat=True).get(pk=good[0])
    return base_choose(
        text=text, latest=(latest.pk, latest.captured_at), good=good, good_text=good_text
    )


def base_note(base: ComparisonBase) -> str:
    """Said in the body of a change that skipped suspect captures."""
    if not base.skipped:
        return ""
    captures = "capture" if base.skipped == 1 else f"{base.skipped} captures"
    return (
        f"Compared with the version captured {base.captured_at:%Y-%m-%d %H:%M} UTC: the "
        f"{captures} after it looked broken (suspect) and are not compared with."
    )


def no_summary_reason(*, is_technical: bool, anomalies: Iterable[str]) -> str:
    """Why a version gets no summary ("" when it gets one)."""
    if is_technical:
        return NO_SUMMARY_TECHNICAL
    for anomaly in anomalies:
        if is_suspect([anomaly]):
            detail = anomaly.split(":", 1)[1].strip() if ":" in anomaly else ""
            return f"{NO_SUMMARY_SUSPECT} ({detail})" if detail else NO_SUMMARY_SUSPECT
    return ""


def change_analyse(
    *,
    old: StoredProvisions,
    base_id: int,
    new_segments: Sequence[pipeline.Segment],
    chain_hash: str,
    language: str,
    platform_name: str,
    document_title: str,
    is_technical: bool,
    anomalies: Iterable[str],
    note: str = "",
) -> ChangeAnalysis:
    """Align the new provisions with the old, give them lineage ids, and describe the change.

    ``note`` (say, ``base_note``) opens the summary's body.
    """
    matches = pipeline.align(old.segments, new_segments)
    # A fresh clause is named by where it first appears (this version, its ordinal):
    # lineage_assign leaves it empty here and it is filled in by index below.
    lineage_ids = pipeline.lineage_assign(old.lineage_ids, matches, len(new_segments), str)
    for index, lineage_id in enumerate(lineage_ids):
        if not lineage_id:
            lineage_ids[index] = lineage_id_make(chain_hash=chain_hash, ordinal=index)
    changes = provision_changes(
        old.segments, new_segments, matches, old.lineage_ids, lineage_ids, language=language
    )
    counts = change_counts(changes, old.segments, new_segments, language=language)
    reason = no_summary_reason(is_technical=is_technical, anomalies=anomalies)
    if reason:
        return ChangeAnalysis(
            lineage_ids=lineage_ids, changes=changes, counts=counts, base_id=base_id,
            no_summary_reason=reason,
        )
    flags = change_flags(changes, old.segments, new_segments, language=language)
    summary = change_summarise(
        platform=platform_name,
        document=document_title,
        counts=counts,
        flags=flags,
        changes=changes,
    )
    if note:
        summary = replace(summary, body=f"{note}\n{summary.body}".strip())
    return ChangeAnalysis(
        lineage_ids=lineage_ids, changes=changes, counts=counts, base_id=base_id,
        flags=flags, summary=summary,
    )


def _change_fields(*, version: Version, analysis: ChangeAnalysis) -> dict:
    counts, summary = analysis.counts, analysis.summary
    return {
        "previous_id": analysis.base_id,
        "document_id": version.document_id,
        "captured_at": version.captured_at,
        "is_technical": version.is_technical,
        "provisions_added": counts.added,
        "provisions_removed": counts.removed,
        "provisions_modified": counts.modified,
        "provisions_moved": counts.moved,
        "provisions_split": counts.split,
        "provisions_merged": counts.merged,
        "words_added": counts.words_added,
        "words_removed": counts.words_removed,
        "headings_touched": [list(path) for path in counts.headings_touched],
        "title": summary.title if summary else "",
        "body": summary.body if summary else "",
        "significance": summary.significance if summary else "",
        "significance_rule": summary.rule if summary else "",
        "no_summary_reason": analysis.no_summary_reason,
        "method": METHOD,
    }


def _flag_rows(change: Change, flags: Sequence[Flag]) -> list[ChangeFlag]:
    return [
        ChangeFlag(
            change=change,
            position=position,
            category=flag.category,
            subject=flag.subject[:200],
            direction=flag.direction,
            lineage_id=flag.lineage_id,
            heading_path=list(flag.heading_path),
            before=flag.before,
            after=flag.after,
        )
        for position, flag in enumerate(flags)
    ]


def change_store(*, version: Version, analysis: ChangeAnalysis) -> Change:
    """The change row of a freshly recorded version, with its flags."""
    fields = _change_fields(version=version, analysis=analysis)
    change = Change.objects.create(version=version, **fields)
    ChangeFlag.objects.bulk_create(_flag_rows(change, analysis.flags))
    return change


def _flag_tuple(flag) -> tuple:
    return (
        flag.category, flag.subject[:200], flag.direction, flag.lineage_id,
        list(flag.heading_path), flag.before, flag.after,
    )


@dataclass
class RebuildSummary:
    documents: int = 0
    versions: int = 0
    provisions_relinked: int = 0
    changes_created: int = 0
    changes_updated: int = 0
    changes_unchanged: int = 0

    def line(self) -> str:
        return (
            f"{self.documents} documents, {self.versions} versions: "
            f"{self.provisions_relinked} provisions relinked, changes created "
            f"{self.changes_created}, updated {self.changes_updated}, "
            f"unchanged {self.changes_unchanged}"
        )


def changes_rebuild(*, documents: Iterable[Document] | None = None) -> RebuildSummary:
    """Recompute lineage ids and changes, document by document (one transaction each).

    Idempotent: rows equal to what the algorithm gives are left alone, so a second run
    writes nothing; versions are never touched, only derived rows.
    """
    summary = RebuildSummary()
    queryset = Document.objects.select_related("platform").order_by("id")
    for document in documents if documents is not None else queryset:
        with transaction.atomic():
            _document_rebuild(document, summary)
        summary.documents += 1
    return summary


def _document_rebuild(document: Document, summary: RebuildSummary) -> None:
    versions = list(
        Version.objects.filter(document=document)
        .select_for_update()
        .order_by("captured_at", "id")
        .only("id", "previous_id", "document_id", "captured_at", "is_technical",
              "anomalies", "chain_hash", "language")
    )
    existing = {
        change.version_id: change
        for change in Change.objects.filter(document=document).prefetch_related("flags")
    }
    # The versions before the current one, newest last, as comparison_base sees them.
    earlier: deque[tuple[Version, StoredProvisions]] = deque(maxlen=SUSPECT_RUN_LIMIT)
    for version in versions:
        stored = provisions_stored(version_id=version.pk)
        if not earlier:
            lineage_ids = lineage_ids_fresh(
                chain_hash=version.chain_hash, count=len(stored.segments)
            )
            analysis = None
        else:
            base_provisions, base = _base_in(earlier, version)
            analysis = change_analyse(
                old=base_provisions,
                base_id=base.version_id,
                new_segments=stored.segments,
                chain_hash=version.chain_hash,
                language=version.language,
                platform_name=document.platform.name,
                document_title=document.title,
                is_technical=version.is_technical,
                anomalies=version.anomalies,
                note=base_note(base),
            )
            lineage_ids = analysis.lineage_ids
        summary.provisions_relinked += _lineage_update(version, stored, lineage_ids)
        if analysis is not None:
            _change_reconcile(version, analysis, existing.get(version.pk), summary)
        kept = StoredProvisions(segments=stored.segments, lineage_ids=lineage_ids)
        earlier.append((version, kept))
        summary.versions += 1


def _base_in(
    earlier: deque[tuple[Version, StoredProvisions]], version: Version
) -> tuple[StoredProvisions, ComparisonBase]:
    """comparison_base over the versions in memory (texts loaded only after a suspect)."""
    latest, latest_provisions = earlier[-1]
    if not is_suspect(latest.anomalies):
        return latest_provisions, ComparisonBase(latest.pk, latest.captured_at)
    good = next(
        ((candidate, stored, skipped)
         for skipped, (candidate, stored) in enumerate(reversed(earlier))
         if not is_suspect(candidate.anomalies)),
        None,
    )
    if good is None:
        return latest_provisions, ComparisonBase(latest.pk, latest.captured_at)
    texts = dict(
        Version.objects.filter(pk__in=[version.pk, good[0].pk]).values_list("id", "text")
    )
    base = base_choose(
        text=texts[version.pk],
        latest=(latest.pk, latest.captured_at),
        good=(good[0].pk, good[0].captured_at, good[2]),
        good_text=texts[good[0].pk],
    )
    return (good[1] if base.version_id == good[0].pk else latest_provisions), base


def _lineage_update(version: Version, stored: StoredProvisions, lineage_ids: list[str]) -> int:
    pairs = zip(stored.lineage_ids, lineage_ids, strict=True)
    changed = [ordinal for ordinal, (old_id, new_id) in enumerate(pairs) if old_id != new_id]
    if not changed:
        return 0
    rows = Provision.objects.filter(version=version, ordinal__in=changed).only("id", "ordinal")
    updates = []
    for row in rows:
        row.lineage_id = lineage_ids[row.ordinal]
        updates.append(row)
    Provision.objects.bulk_update(updates, ["lineage_id"], batch_size=500)
    return len(updates)


def _change_reconcile(
    version: Version, analysis: ChangeAnalysis, change: Change | None, summary: RebuildSummary
) -> None:
    fields = _change_fields(version=version, analysis=analysis)
    if change is None:
        change_store(version=version, analysis=analysis)
        summary.changes_created += 1
        return
    same_fields = all(getattr(change, name) == value for name, value in fields.items())
    same_flags = [_flag_tuple(flag) for flag in change.flags.all()] == [
        _flag_tuple(flag) for flag in analysis.flags
    ]
    if same_fields and same_flags:
        summary.changes_unchanged += 1
        return
    for name, value in fields.items():
        setattr(change, name, value)
    change.save()
    change.flags.all().delete()
    ChangeFlag.objects.bulk_create(_flag_rows(change, analysis.flags))
    summary.changes_updated += 1
