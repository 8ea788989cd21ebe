"""Celery tasks of the monitoring app. Tasks stay thin: load ids, call one service."""

from celery import shared_task

from monitoring.services import beat_heartbeat_record


@shared_task(ignore_result=True)
def beat_heartbeat_task() -> None:
    """Proof that beat and a worker are alive; /readyz reads its age."""
    beat_heartbeat_record()
