"""/api/v1/account/: the organisation, its plan, usage and role; closing the account."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiKey, AuditEvent, Organization
from accounts.plans import PLANS
from accounts.services import (
    AccountError,
    api_key_create,
    organization_deletion_request,
    organizations_erase_due,
)
from accounts.tasks import organizations_erase_due_task
from tests.accounts.helpers import assert_problem, key_of
from tests.factories import organization_with_key
from tests.personas import client_for

pytestmark = [pytest.mark.api, pytest.mark.django_db]

ACCOUNT = "/api/v1/account/"
Action = AuditEvent.Action
NOON = datetime(2026, 3, 10, 12, 0, 30, tzinfo=UTC)


def test_the_owner_sees_organisation_plan_usage_and_role(owner, time_machine):
    time_machine.move_to(NOON, tick=False)
    response = owner.client.get(ACCOUNT)
    assert response.status_code == 200
    body = response.json()
    organization = owner.organization
    assert body["organization"] == {
        "name": "Owner Org", "slug": organization.slug,
        "created_at": organization.created_at.isoformat().replace("+00:00", "Z"),
        "erase_after": None,
    }
    assert body["role"] == "owner"
    plan = PLANS["professional"]
    assert body["plan"] == {
        "slug": "professional", "name": "Professional", "features": sorted(plan.features),
        "monitored_platforms": plan.monitored_platforms,
        "history_depth_days": plan.history_depth_days,
        "requests_per_minute": plan.requests_per_minute,
        "requests_per_day": plan.requests_per_day, "exports_per_day": plan.exports_per_day,
    }
    # The request itself is counted before the answer is made.
    assert body["usage"] == {
        "requests_this_minute": 1, "requests_today": 1, "day_resets_in_seconds": 12 * 3600 - 30,
    }
    assert body["api_key"] == {
        "prefix": key_of(owner.secret).prefix, "scopes": ["admin", "export", "read", "watch"]
    }


def test_usage_counts_every_admitted_request_of_the_organisation(owner, teammate, time_machine):
    time_machine.move_to(NOON, tick=False)
    owner.client.get("/api/v1/providers/")
    teammate.client.get("/api/v1/providers/")
    usage = owner.client.get(ACCOUNT).json()["usage"]
    assert (usage["requests_this_minute"], usage["requests_today"]) == (3, 3)
    time_machine.move_to(NOON + timedelta(minutes=1), tick=False)
    usage = owner.client.get(ACCOUNT).json()["usage"]
    assert (usage["requests_this_minute"], usage["requests_today"]) == (1, 4)


@pytest.mark.parametrize("plan", sorted(PLANS))
def test_each_plan_shows_its_own_features_and_limits(db, plan):
    _, _, secret = organization_with_key(plan)
    body = client_for(secret).get(ACCOUNT).json()
    assert body["plan"]["slug"] == plan
    assert body["plan"]["features"] == sorted(PLANS[plan].features)
    assert body["plan"]["requests_per_minute"] == PLANS[plan].requests_per_minute


def test_a_teammate_sees_their_role_and_key(owner, teammate):
    body = teammate.client.get(ACCOUNT).json()
    assert body["role"] == "member"
    assert body["api_key"] == {"prefix": key_of(teammate.secret).prefix, "scopes": ["read"]}
    assert body["organization"]["slug"] == owner.organization.slug


def test_an_outsider_sees_only_its_own_organisation(owner, outsider):
    body = outsider.client.get(ACCOUNT).json()
    assert body["organization"]["slug"] == outsider.organization.slug != owner.organization.slug


def test_anonymous_callers_get_a_401_problem(anonymous):
    problem = assert_problem(anonymous.get(ACCOUNT), 401)
    assert "Authorization: Bearer" in problem["detail"]
    assert_problem(anonymous.delete(ACCOUNT), 401)


def test_usage_is_null_when_redis_is_unreachable(owner, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = owner.client.get(ACCOUNT)
    assert response.status_code == 200 and response.json()["usage"] is None


# --- closing the account --------------------------------------------------------------


def test_the_owner_closes_the_account(owner, teammate, settings, time_machine):
    time_machine.move_to(NOON, tick=False)
    settings.ACCOUNT_DELETION_GRACE_DAYS = 30
    _, extra_secret = api_key_create(
        organization=owner.organization, name="ci", created_by=owner.user
    )
    response = owner.client.delete(ACCOUNT, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 202
    erase_after = NOON + timedelta(days=30)
    assert response.json()["organization"]["erase_after"] == "2026-04-09T12:00:30Z"
    owner.organization.refresh_from_db()
    assert owner.organization.erase_after == erase_after
    # Every key of the organisation dies at once, whoever made it.
    assert not ApiKey.objects.filter(
        organization=owner.organization, revoked_at__isnull=True
    ).exists()
    for secret in (owner.secret, teammate.secret, extra_secret):
        assert "revoked" in assert_problem(client_for(secret).get(ACCOUNT), 401)["detail"]
    event = AuditEvent.objects.get(
        organization=owner.organization, action=Action.DELETION_REQUESTED
    )
    assert event.details == {"erase_after": erase_after.isoformat()}
    assert (event.actor_user, event.ip) == (owner.user, "203.0.113.9")
    with pytest.raises(AccountError, match="being deleted"):
        api_key_create(organization=owner.organization, name="late")


def test_the_grace_period_comes_from_the_settings(owner, settings, time_machine):
    time_machine.move_to(NOON, tick=False)
    settings.ACCOUNT_DELETION_GRACE_DAYS = 7
    owner.client.delete(ACCOUNT)
    owner.organization.refresh_from_db()
    assert owner.organization.erase_after == NOON + timedelta(days=7)


def test_a_second_request_keeps_the_first_date(owner, time_machine):
    time_machine.move_to(NOON, tick=False)
    organization_deletion_request(organization=owner.organization)
    first = Organization.objects.get(pk=owner.organization.pk).erase_after
    time_machine.shift(timedelta(days=3))
    organization_deletion_request(organization=Organization.objects.get(pk=owner.organization.pk))
    assert Organization.objects.get(pk=owner.organization.pk).erase_after == first
    assert AuditEvent.objects.filter(action=Action.DELETION_REQUESTED).count() == 1


def test_a_teammate_may_not_close_the_account(owner, teammate):
    assert_problem(teammate.client.delete(ACCOUNT), 403)
    owner.organization.refresh_from_db()
    assert owner.organization.erase_after is None
    assert owner.client.get(ACCOUNT).status_code == 200


def test_an_outsider_closes_only_its_own_account(owner, teammate, outsider):
    assert outsider.client.delete(ACCOUNT).status_code == 202
    owner.organization.refresh_from_db()
    assert owner.organization.erase_after is None
    assert owner.client.get(ACCOUNT).status_code == 200
    assert teammate.client.get(ACCOUNT).status_code == 200


def test_erasure_takes_only_organisations_past_their_grace_period(settings, time_machine, db):
    settings.ACCOUNT_DELETION_GRACE_DAYS = 30
    time_machine.move_to(NOON, tick=False)
    early, _, _ = organization_with_key("free")
    late, _, _ = organization_with_key("free")
    kept, _, kept_secret = organization_with_key("free")
    organization_deletion_request(organization=early)
    time_machine.shift(timedelta(days=1))
    organization_deletion_request(organization=late)

    time_machine.move_to(NOON + timedelta(days=30) - timedelta(seconds=1), tick=False)
    assert organizations_erase_due() == 0
    time_machine.move_to(NOON + timedelta(days=30), tick=False)
    assert organizations_erase_due() == 1
    assert not Organization.objects.filter(pk=early.pk).exists()
    assert not ApiKey.objects.filter(organization_id=early.pk).exists()
    assert not AuditEvent.objects.filter(organization_id=early.pk).exists()
    assert set(Organization.objects.filter(pk__in=[early.pk, late.pk, kept.pk])) == {late, kept}

    time_machine.move_to(NOON + timedelta(days=400), tick=False)
    assert organizations_erase_due() == 1
    assert list(Organization.objects.filter(pk__in=[early.pk, late.pk, kept.pk])) == [kept]
    assert client_for(kept_secret).get(ACCOUNT).status_code == 200
    assert organizations_erase_due(now=timezone.now()) == 0


def test_erasure_runs_on_the_beat_schedule(settings, time_machine, db):
    entry = next(
        entry for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "accounts.tasks.organizations_erase_due_task"
    )
    assert entry["options"]["expires"] < entry["schedule"].total_seconds()
    time_machine.move_to(NOON, tick=False)
    closed, _, _ = organization_with_key("free")
    organization_deletion_request(organization=closed)
    time_machine.shift(timedelta(days=settings.ACCOUNT_DELETION_GRACE_DAYS, seconds=1))
    assert organizations_erase_due_task() == 1
    assert not Organization.objects.filter(pk=closed.pk).exists()


# --- signed-in people (session) act for their own organisation only -------------------


def test_a_signed_in_member_acts_only_for_an_organisation_of_theirs(owner, teammate, outsider):
    client = APIClient()
    client.force_login(teammate.user)
    body = client.get(ACCOUNT).json()
    assert (body["organization"]["slug"], body["role"]) == (owner.organization.slug, "member")
    # Naming another organisation does not make its member of it: no organisation at all.
    response = client.get(ACCOUNT, HTTP_X_ORGANIZATION=outsider.organization.slug)
    assert_problem(response, 401)
    assert_problem(client.delete(ACCOUNT), 403)
