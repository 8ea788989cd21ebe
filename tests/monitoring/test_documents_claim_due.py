"""documents_claim_due(): leases on due documents, each won by exactly one claimer."""

from datetime import timedelta

import pytest

from monitoring.models import CheckSchedule
from monitoring.services import document_check, documents_claim_due, schedules_ensure
from tests.factories import DocumentFactory, SourceFactory, at
from tests.monitoring.conftest import html
from tests.monitoring.helpers import POLICY_V1, checks_of, document_fed_by, schedule_of

pytestmark = pytest.mark.django_db


def due_document(next_check_at=None, **fields):
    document = DocumentFactory(**fields)
    SourceFactory(document=document)
    CheckSchedule.objects.create(document=document, next_check_at=next_check_at or at(1))
    return document


def test_a_due_document_is_leased_to_its_claimer(settings):
    settings.CHECK_LEASE_SECONDS = 600
    document = due_document()

    [(document_id, token)] = documents_claim_due(now=at(1))

    assert document_id == document.pk and len(token) == 32
    schedule = schedule_of(document)
    assert schedule.lease_token == token
    assert schedule.lease_until == at(1) + timedelta(seconds=600)


def test_a_second_claim_at_the_same_moment_wins_nothing():
    due_document()
    assert len(documents_claim_due(now=at(1))) == 1
    assert documents_claim_due(now=at(1)) == []


def test_documents_not_due_or_inactive_are_not_claimed():
    due_document(next_check_at=at(2))
    due_document(active=False)
    assert documents_claim_due(now=at(1)) == []


def test_an_expired_lease_is_claimable_again_and_the_old_run_writes_nothing(
    fetch_settings, settings, time_machine
):
    settings.CHECK_LEASE_SECONDS = 600
    document = document_fed_by(fetch_settings.route("/privacy", html(POLICY_V1)))
    CheckSchedule.objects.create(document=document, next_check_at=at(1))
    [(_, crashed)] = documents_claim_due(now=at(1))
    assert documents_claim_due(now=at(1) + timedelta(seconds=599)) == []

    [(_, fresh)] = documents_claim_due(now=at(1) + timedelta(seconds=601))

    assert fresh != crashed and schedule_of(document).lease_token == fresh
    time_machine.move_to(at(1) + timedelta(seconds=602), tick=False)
    assert document_check(document_id=document.pk, lease_token=crashed).outcome == "skipped"
    assert document_check(document_id=document.pk, lease_token=fresh).outcome == "changed"
    assert [c.outcome for c in checks_of(document)] == ["changed"]


def test_claims_are_oldest_due_first_and_bounded_by_the_limit():
    late = due_document(next_check_at=at(1, hour=14))
    early = due_document(next_check_at=at(1, hour=10))
    due_document(next_check_at=at(1, hour=12))

    claimed = documents_claim_due(now=at(2), limit=2)

    assert claimed[0][0] == early.pk
    assert late.pk not in [document_id for document_id, _ in claimed]


def test_every_active_document_with_a_current_source_gets_a_schedule():
    fed = DocumentFactory()
    SourceFactory(document=fed)
    retired_source = DocumentFactory()
    SourceFactory(document=retired_source, valid_until=at(1))
    sourceless = DocumentFactory()
    inactive = DocumentFactory(active=False)
    SourceFactory(document=inactive)

    assert schedules_ensure() >= 1  # the session's imported corpus may be here too

    assert CheckSchedule.objects.filter(document=fed).exists()
    assert not CheckSchedule.objects.filter(
        document__in=[retired_source, sourceless, inactive]
    ).exists()
    assert schedules_ensure() == 0
