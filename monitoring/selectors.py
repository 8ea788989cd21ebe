"""Reads of the monitoring app."""

from django.conf import settings
from django.db.models import QuerySet

from monitoring.models import CheckSchedule


def schedules_unhealthy() -> QuerySet[CheckSchedule]:
    """Documents whose last N checks all failed, most failures first."""
    return (
        CheckSchedule.objects.filter(
            consecutive_failures__gte=settings.UNHEALTHY_AFTER_FAILURES
        )
        .select_related("document__platform")
        .order_by("-consecutive_failures", "id")
    )
