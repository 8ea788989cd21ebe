"""Celery tasks of the accounts app. Tasks stay thin: call one service, log the outcome."""

import logging

from celery import shared_task

from accounts.services import idempotency_records_prune, organizations_erase_due

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def organizations_erase_due_task() -> int:
    """Hourly: erase the organisations whose deletion grace period is over."""
    erased = organizations_erase_due()
    if erased:
        logger.info("erased organisations past their grace period", extra={"count": erased})
    return erased


@shared_task(ignore_result=True)
def idempotency_records_prune_task() -> int:
    """Hourly: Idempotency-Key answers are kept a day."""
    return idempotency_records_prune()
