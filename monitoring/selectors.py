"""Reads of the monitoring app."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.db.models import Case, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, When

from governance.changes import SUSPECT, anomaly_kind
from governance.models import Document, Snapshot
from monitoring.models import Check, CheckSchedule


def schedules_unhealthy() -> QuerySet[CheckSchedule]:
    """Documents whose last N checks all failed, most failures first."""
    return (
        CheckSchedule.objects.filter(
            consecutive_failures__gte=settings.UNHEALTHY_AFTER_FAILURES
        )
        .select_related("document__platform")
        .order_by("-consecutive_failures", "id")
    )


# --- a document's checks, and what became of its suspect captures ----------------------

# Checks that decide a held capture's fate: a failed check leaves the hold as it was.
_DECISIVE = (
    Check.Outcome.CHANGED, Check.Outcome.UNCHANGED, Check.Outcome.NOT_MODIFIED,
    Check.Outcome.SUSPECT,
)


class Hold(StrEnum):
    PENDING = "pending"  # the schedule still holds this text; a recheck is due
    CONFIRMED = "confirmed"  # the recheck saw the same text: it became a version
    CLEARED = "cleared"  # the page came back, or changed to another text


@dataclass(frozen=True)
class HoldState:
    state: Hold
    resolved_by: int | None = None  # the check that decided it
    version_id: int | None = None  # the version it became (confirmed only)
    recheck_due_at: datetime | None = None  # pending only


def document_monitored(*, platform_slug: str, kind: str) -> Document | None:
    """The document with its platform and, as ``held_schedule``, its schedule or None."""
    document = (
        Document.objects.filter(platform__slug=platform_slug, kind=kind)
        .select_related("platform", "schedule")
        .first()
    )
    if document is not None:
        try:
            document.held_schedule = document.schedule
        except CheckSchedule.DoesNotExist:
            document.held_schedule = None
    return document


def check_queryset(*, document: Document, cutoff: datetime | None = None) -> QuerySet[Check]:
    """The document's checks with their snapshots; a suspect one carries
    ``resolved_by_id``, the next check that decided its fate (None while none has)."""
    later = Check.objects.filter(
        Q(started_at__gt=OuterRef("started_at"))
        | Q(started_at=OuterRef("started_at"), id__gt=OuterRef("id")),
        document_id=OuterRef("document_id"), outcome__in=_DECISIVE,
    ).order_by("started_at", "id")
    checks = (
        Check.objects.filter(document=document)
        .annotate(resolved_by_id=Case(
            When(outcome=Check.Outcome.SUSPECT, then=Subquery(later.values("id")[:1])),
            default=None, output_field=IntegerField(),
        ))
        .prefetch_related(Prefetch("snapshots", queryset=Snapshot.objects.order_by("id")))
    )
    if cutoff is not None:
        checks = checks.filter(started_at__gte=cutoff)
    return checks


def check_holds(*, checks: Iterable[Check], schedule: CheckSchedule | None) -> dict[int, HoldState]:
    """What became of each suspect capture among ``checks`` (from check_queryset), in one query.

    A held capture is decided by the next check that is not a failure: a version
    flagged ``suspect`` confirms it (a recheck records a suspect-looking text only
    when it matches the held one); same text as before, or another text, clears it.
    None yet, and the schedule still holds a text: pending.
    """
    suspects = [check for check in checks if check.outcome == Check.Outcome.SUSPECT]
    resolver_ids = {check.resolved_by_id for check in suspects} - {None}
    resolvers = {
        row["id"]: row
        for row in Check.objects.filter(pk__in=resolver_ids).values(
            "id", "outcome", "version_id", "version__anomalies"
        )
    } if resolver_ids else {}
    held = schedule is not None and schedule.suspect_text_sha256 != ""
    states = {}
    for check in suspects:
        resolver = resolvers.get(check.resolved_by_id)
        if resolver is None:
            states[check.pk] = (
                HoldState(Hold.PENDING, recheck_due_at=schedule.next_check_at)
                if held else HoldState(Hold.CLEARED)
            )
        elif resolver["outcome"] == Check.Outcome.CHANGED and any(
            anomaly_kind(flag) == SUSPECT for flag in resolver["version__anomalies"] or ()
        ):
            states[check.pk] = HoldState(
                Hold.CONFIRMED, resolved_by=resolver["id"], version_id=resolver["version_id"]
            )
        else:
            states[check.pk] = HoldState(Hold.CLEARED, resolved_by=resolver["id"])
    return states


def check_held(*, document: Document) -> Check | None:
    """The suspect capture the document's schedule holds now, with its snapshots, or None."""
    schedule = document.held_schedule
    if schedule is None or not schedule.suspect_text_sha256:
        return None
    latest = (
        Check.objects.filter(document=document, outcome__in=_DECISIVE)
        .prefetch_related(Prefetch("snapshots", queryset=Snapshot.objects.order_by("id")))
        .order_by("-started_at", "-id")
        .first()
    )
    return latest if latest is not None and latest.outcome == Check.Outcome.SUSPECT else None
