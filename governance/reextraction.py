"""Rules over time: changing a source's extraction rules, and re-extracting with them.

A better rule never rewrites the past. ``document_reextract`` runs the current
rules on the snapshots of the latest version and, when that gives another text,
appends one *technical* version (which never alerts) at the end of the history.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from governance import text as pipeline
from governance.models import Document, ExtractionRuleSet, Source, Version
from governance.selectors import snapshot_read
from governance.services import VersionRecordResult, VersionRejected, version_record


def source_rules_set(
    *, source: Source, rules: dict, valid_from: datetime | None = None, note: str = ""
) -> ExtractionRuleSet:
    """Record new rules for a source (validated first: bad rules fail here, not at fetch)."""
    normalised = pipeline.ExtractionRules.from_json(rules).to_json()
    valid_from = valid_from or timezone.now()
    with transaction.atomic():
        rule_set = ExtractionRuleSet.objects.create(
            source=source, valid_from=valid_from, rules=normalised, note=note
        )
        newest = source.rule_sets.order_by("-valid_from").first()
        Source.objects.filter(pk=source.pk).update(extraction_rules=newest.rules)
    return rule_set


def source_rules_at(*, source: Source, moment: datetime) -> dict:
    """The rules that applied to ``source`` at ``moment``."""
    rule_set = source.rule_sets.filter(valid_from__lte=moment).order_by("-valid_from").first()
    if rule_set is not None:
        return rule_set.rules
    first = source.rule_sets.order_by("valid_from").first()
    # Before any recorded change, the rules are the first recorded (or the declared) ones.
    return first.rules if first is not None else source.extraction_rules


def document_reextract(*, document: Document) -> VersionRecordResult | None:
    """Re-extract the latest version's snapshots with today's rules; None if no version."""
    latest = (
        Version.objects.filter(document=document)
        .order_by("-captured_at", "-id")
        .prefetch_related("versionsnapshot_set__snapshot")
        .first()
    )
    if latest is None:
        return None
    sources = list(document.sources.filter(valid_until__isnull=True).order_by("position"))
    links = list(latest.versionsnapshot_set.order_by("position"))
    if not links:
        raise VersionRejected(f"the latest version of {document} has no snapshot to re-extract")
    parts = []
    for link in links:
        # Snapshots are stored in source order; a missing source means "no rules".
        source = sources[link.position] if link.position < len(sources) else None
        rules = pipeline.ExtractionRules.from_json(source.extraction_rules if source else {})
        parts.append(
            pipeline.extract(
                snapshot_read(snapshot=link.snapshot), link.snapshot.media_type, rules=rules
            )
        )
    return version_record(
        document=document,
        text="\n\n".join(parts),
        # Appended after the tail even if the clock is behind the last capture.
        captured_at=max(timezone.now(), latest.captured_at + timedelta(microseconds=1)),
        snapshots=[link.snapshot for link in links],
        is_technical=True,
    )
