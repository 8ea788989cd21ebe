"""Celery tasks of the monitoring app. Tasks stay thin: take ids, call one service."""

import logging
import uuid

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from monitoring import services
from monitoring.fetching import FetchError

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def beat_heartbeat_task() -> None:
    """Proof that beat and a worker are alive; /readyz reads its age."""
    services.beat_heartbeat_record()


@shared_task(ignore_result=True)
def checks_dispatch_task() -> int:
    """Every minute: lease the due documents and enqueue one check each, after commit."""
    services.schedules_ensure()
    # One round per dispatch: the documents claimed together share each URL's fetch;
    # a later round (a recheck a minute later) always fetches afresh.
    round_id = f"{timezone.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    with transaction.atomic():
        claimed = services.documents_claim_due()
        for document_id, token in claimed:
            transaction.on_commit(
                lambda d=document_id, t=token: document_check_task.apply_async(
                    (d, t, round_id), queue=settings.CHECK_QUEUE
                )
            )
    return len(claimed)


@shared_task(
    bind=True,
    ignore_result=True,
    autoretry_for=(FetchError,),  # routed to settings.CHECK_QUEUE (CELERY_TASK_ROUTES)
    retry_backoff=settings.CHECK_RETRY_BACKOFF_SECONDS,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=3,
)
def document_check_task(self, document_id: int, lease_token: str, round_id: str = "") -> str:
    """Check one document. Only transient fetch failures reach autoretry (the service
    records permanent ones); after the last retry the failure is counted."""
    try:
        return services.document_check(
            document_id=document_id, lease_token=lease_token, round_id=round_id
        ).outcome
    except services.Document.DoesNotExist:
        logger.info("document gone before its check", extra={"document_id": document_id})
        return "gone"
    except FetchError as exc:
        if self.request.retries >= self.max_retries:
            services.document_check_give_up(
                document_id=document_id, lease_token=lease_token, reason=exc.reason
            )
            return "failed"
        raise


@shared_task(ignore_result=True)
def checks_prune_task() -> int:
    return services.checks_prune()
