"""Real Celery workers (prefork, subprocesses) on real Redis (db 15) and PostgreSQL.

Nothing runs eagerly: the test enqueues, a worker process checks, and the test
polls the database for the outcome, always under a deadline. Each test has a queue
named after its run id, so parallel runs never take each other's messages.
"""

import os
import signal
import threading
import time

import pytest

from governance.models import Document
from monitoring.models import CheckSchedule
from monitoring.services import documents_claim_due
from monitoring.tasks import checks_dispatch_task, document_check_task
from tests.monitoring.conftest import Reply, html, wait_until
from tests.monitoring.helpers import POLICY_V1, POLICY_V2, checks_of, document_fed_by, versions_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]

OUTCOME_SECONDS = 60


def only_document_due(document) -> None:
    """The database is this test's: nothing else is due (a stray corpus row would be)."""
    Document.objects.exclude(pk=document.pk).update(active=False)
    CheckSchedule.objects.get_or_create(document=document)


def claim(document) -> str:
    only_document_due(document)
    [(document_id, token)] = documents_claim_due()
    assert document_id == document.pk
    return token


def finished_checks(document, outcome: str):
    return [check for check in checks_of(document) if check.outcome == outcome]


def test_the_beat_path_records_a_first_capture(celery_workers, fetch_settings):
    url = fetch_settings.route("/privacy", html(POLICY_V1))
    document = document_fed_by(url)
    only_document_due(document)
    worker = celery_workers.start("solo")

    assert checks_dispatch_task() == 1  # the beat task's body: claim, enqueue after commit

    [check] = wait_until(
        lambda: finished_checks(document, "changed"), timeout=OUTCOME_SECONDS,
        what="the worker's first capture", logs=worker.log,
    )
    [version] = versions_of(document)
    assert check.version == version and version.origin == "check"
    assert version.snapshots.get().url == url
    assert CheckSchedule.objects.get(document=document).lease_token == ""


def test_two_workers_dispatching_at_once_check_a_due_document_once(
    celery_workers, fetch_settings
):
    url = fetch_settings.route("/privacy", html(POLICY_V1))
    document = document_fed_by(url)
    only_document_due(document)
    workers = [celery_workers.start("one", wait=False), celery_workers.start("two", wait=False)]
    for worker in workers:
        worker.wait_ready()

    for _ in workers:  # two beats (or one beat delivered twice), one message each
        checks_dispatch_task.apply_async(queue=celery_workers.queue)

    def succeeded(task: str) -> list[str]:
        return [line for line in celery_workers.logs().splitlines()
                if f"{task}[" in line and "succeeded in" in line]

    wait_until(
        lambda: len(succeeded("checks_dispatch_task")) == 2
        and succeeded("document_check_task"),
        timeout=OUTCOME_SECONDS, what="both dispatches and the check", logs=celery_workers.logs,
    )
    log = celery_workers.logs()
    claimed = sorted(int(line.rsplit(":", 1)[1]) for line in succeeded("checks_dispatch_task"))
    assert claimed == [0, 1], log  # one claim won, the other found nothing to claim
    assert len(succeeded("document_check_task")) == 1, log
    assert [c.outcome for c in checks_of(document)] == ["changed"], log
    assert len(versions_of(document)) == 1
    assert fetch_settings.hits("/privacy") == 1


def test_a_server_error_is_retried_by_the_worker_until_it_records(
    celery_workers, fetch_settings
):
    url = fetch_settings.route(
        "/privacy",
        Reply(status=500, body=b"Temporarily broken\n", content_type="text/plain"),
        html(POLICY_V1),
    )
    document = document_fed_by(url)
    token = claim(document)
    worker = celery_workers.start("solo")

    document_check_task.apply_async((document.pk, token, ""), queue=celery_workers.queue)

    wait_until(lambda: finished_checks(document, "changed"), timeout=OUTCOME_SECONDS,
               what="the retried check", logs=worker.log)
    failed, changed = checks_of(document)
    assert failed.outcome == "failed" and failed.transient and failed.http_status == 500
    assert failed.reason.endswith("HTTP 500: Temporarily broken")
    assert changed.version == versions_of(document)[0]
    assert fetch_settings.hits("/privacy") == 2
    assert "Retry in" in worker.log()


@pytest.mark.parametrize("victim", ["worker-group", "pool-child"])
def test_a_worker_killed_mid_check_gets_its_check_redelivered(
    celery_workers, fetch_settings, victim
):
    """SIGKILL during the fetch: the message was never acknowledged (acks_late), so it
    comes back: at once when only the pool child dies (the main process rejects it,
    reject_on_worker_lost), after the broker's visibility timeout when the whole
    worker dies. The lease (15 minutes) is still valid then: the re-run is the
    redelivered message, not a new claim; nothing here calls the task again."""
    held = threading.Event()
    url = fetch_settings.route("/privacy", html(POLICY_V2, hold=held), html(POLICY_V2))
    document = document_fed_by(url)
    token = claim(document)
    short = {  # the host lock of a killed fetch lasts 3 x read timeout: keep it short
        "FETCH_READ_TIMEOUT": "2",
        "CELERY_VISIBILITY_TIMEOUT": "6",
        "CELERY_TASK_TIME_LIMIT": "5",
        "CELERY_TASK_SOFT_TIME_LIMIT": "4",
    }
    first = celery_workers.start("first", **short)

    sent = document_check_task.apply_async((document.pk, token, ""), queue=celery_workers.queue)
    assert fetch_settings.wait_for_hits("/privacy", 1, timeout=OUTCOME_SECONDS), first.log()
    arrived = fetch_settings.requests[0].at
    if victim == "worker-group":
        first.kill(signal.SIGKILL)
        assert checks_of(document) == []
        # The message waits in the broker's "unacked" set until the visibility timeout;
        # a new worker restores such messages when it starts polling.
        time.sleep(max(0.0, arrived + 6.5 - time.monotonic()))
        rerun = celery_workers.start("second", **short)
    else:
        [child] = first.pool_children()
        os.kill(child, signal.SIGKILL)
        rerun = first

    [check] = wait_until(lambda: finished_checks(document, "changed"), timeout=OUTCOME_SECONDS,
                         what="the redelivered check", logs=celery_workers.logs)
    held.set()
    assert [c.outcome for c in checks_of(document)] == ["changed"], celery_workers.logs()
    [version] = versions_of(document)
    assert check.version == version and "90 days" in version.text
    assert fetch_settings.hits("/privacy") == 2  # the killed fetch and the re-run
    received = f"document_check_task[{sent.id}] received"
    if victim == "worker-group":
        assert received in rerun.log(), rerun.log()
    else:
        assert rerun.log().count(received) == 2, rerun.log()  # delivered, then redelivered
        assert "SIGKILL" in rerun.log()

