"""Rate limits: per organisation by plan, per address for anonymous callers, in Redis."""

import dataclasses
import json
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from accounts import plans
from accounts.counters import DAY, quota_take, quota_usage, redis_client
from accounts.http import throttling
from accounts.models import AuditEvent
from tests.accounts.helpers import assert_problem, key_of
from tests.factories import organization_with_key
from tests.personas import client_for

PROVIDERS = "/api/v1/providers/"
HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
# 45 seconds before the end of a minute, 11 h 59 min 45 s before the end of the day.
NOON = datetime(2026, 3, 10, 12, 0, 15, tzinfo=UTC)


def limits(response) -> tuple[str, str, str]:
    return tuple(response[header] for header in HEADERS)


@pytest.fixture
def small_plan(monkeypatch):
    """Give a plan smaller limits for one test: small_plan("free", requests_per_minute=3)."""

    def shrink(slug: str, **limits_):
        monkeypatch.setitem(plans.PLANS, slug, dataclasses.replace(plans.PLANS[slug], **limits_))

    return shrink


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOON, tick=False)


# --- headers and refusals (in process) -------------------------------------------------


@pytest.mark.api
def test_keyed_responses_report_the_organisations_window(owner, frozen):
    assert limits(owner.client.get(PROVIDERS)) == ("600", "599", "45")
    assert limits(owner.client.get(PROVIDERS)) == ("600", "598", "45")


@pytest.mark.api
def test_anonymous_responses_report_the_addresss_window(anonymous, db, frozen):
    assert limits(anonymous.get(PROVIDERS)) == ("20", "19", "45")
    assert limits(anonymous.get(PROVIDERS, REMOTE_ADDR="192.0.2.1")) == ("20", "19", "45")


@pytest.mark.api
def test_refusals_carry_the_headers_and_are_counted(owner, anonymous, frozen):
    free = client_for(organization_with_key("free")[2])
    refusals = [
        (free.get("/api/v1/monitoring/health/"), 403, "60"),
        (anonymous.get("/api/v1/account/"), 401, "20"),
        (owner.client.get("/api/v1/platforms/no-such-platform/"), 404, "600"),
    ]
    for response, status, limit in refusals:
        assert_problem(response, status)
        assert limits(response)[0] == limit and limits(response)[1] == str(int(limit) - 1)


@pytest.mark.api
def test_a_team_shares_one_quota_and_another_organisation_has_its_own(
    owner, teammate, outsider, small_plan, frozen
):
    small_plan("professional", requests_per_minute=3)
    assert owner.client.get(PROVIDERS).status_code == 200
    assert teammate.client.get(PROVIDERS).status_code == 200
    assert owner.client.get(PROVIDERS)["X-RateLimit-Remaining"] == "0"
    assert_problem(teammate.client.get(PROVIDERS), 429)
    # The outsider is on the same plan but counts on its own.
    assert limits(outsider.client.get(PROVIDERS)) == ("3", "2", "45")


@pytest.mark.api
def test_over_the_minute_limit_is_a_429_with_retry_after(owner, small_plan, frozen):
    small_plan("professional", requests_per_minute=3)
    for _ in range(3):
        assert owner.client.get(PROVIDERS).status_code == 200
    response = owner.client.get(PROVIDERS)
    problem = assert_problem(response, 429)
    assert response["Retry-After"] == "45" and problem["retry_after"] == 45
    assert limits(response) == ("3", "0", "45")
    # A refused request is not counted: the organisation used 3, not 4.
    name = f"org:{owner.organization.pk}"
    assert quota_usage(client=redis_client(), name=name)[:2] == (3, 3)


@pytest.mark.api
def test_the_window_reopens_at_the_next_minute(owner, small_plan, time_machine):
    small_plan("professional", requests_per_minute=1)
    time_machine.move_to(NOON, tick=False)
    assert owner.client.get(PROVIDERS).status_code == 200
    assert owner.client.get(PROVIDERS).status_code == 429
    time_machine.move_to(NOON + timedelta(seconds=45), tick=False)
    assert owner.client.get(PROVIDERS).status_code == 200


@pytest.mark.api
def test_the_daily_quota_binds_until_midnight_utc(owner, small_plan, frozen):
    small_plan("professional", requests_per_day=2)
    owner.client.get(PROVIDERS)
    assert limits(owner.client.get(PROVIDERS)) == ("2", "0", str(12 * 3600 - 15))
    response = owner.client.get(PROVIDERS)
    assert_problem(response, 429)
    assert response["Retry-After"] == str(12 * 3600 - 15)


@pytest.mark.api
def test_anonymous_callers_are_limited_per_address(anonymous, db, monkeypatch, frozen):
    monkeypatch.setattr(throttling, "ANONYMOUS_REQUESTS_PER_MINUTE", 2)
    for _ in range(2):
        assert anonymous.get(PROVIDERS, REMOTE_ADDR="192.0.2.1").status_code == 200
    assert_problem(anonymous.get(PROVIDERS, REMOTE_ADDR="192.0.2.1"), 429)
    # X-Forwarded-For is whatever the caller writes: it does not make a new address.
    spoofed = anonymous.get(
        PROVIDERS, REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=f"10.0.0.{uuid.uuid4().int % 250}"
    )
    assert_problem(spoofed, 429)
    assert anonymous.get(PROVIDERS, REMOTE_ADDR="192.0.2.2").status_code == 200


@pytest.mark.api
def test_wrong_keys_count_against_the_callers_address(db, monkeypatch, frozen):
    monkeypatch.setattr(throttling, "ANONYMOUS_REQUESTS_PER_MINUTE", 2)
    guesser = client_for("cw_live_00000000_" + "A" * 43)
    for _ in range(2):
        response = guesser.get(PROVIDERS, REMOTE_ADDR="192.0.2.3")
        assert_problem(response, 401)
        assert response["X-RateLimit-Limit"] == "2"
    assert_problem(guesser.get(PROVIDERS, REMOTE_ADDR="192.0.2.3"), 429)


@pytest.mark.api
def test_requests_are_served_unmetered_when_redis_is_down(owner, anonymous, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    for response in (owner.client.get(PROVIDERS), anonymous.get(PROVIDERS)):
        assert response.status_code == 200
        assert not any(header in response for header in HEADERS)


# --- the counters themselves (real Redis) ----------------------------------------------


@pytest.mark.redis
def test_the_daily_quota_resets_at_midnight_utc():
    client, name = redis_client(), f"quota-test-{uuid.uuid4().hex}"
    midnight = datetime(2026, 3, 11, tzinfo=UTC).timestamp()

    def take(at: float):
        return quota_take(client=client, name=name, per_minute=100, per_day=2, now=at)

    assert take(midnight - 30).admitted and take(midnight - 20).admitted
    refused = take(midnight - 1)
    assert not refused.admitted
    assert refused.day.count == 2 and refused.day.reset_at == midnight
    assert refused.binding is refused.day
    after = take(midnight)
    assert after.admitted and after.day.count == 1 and after.day.reset_at == midnight + DAY
    assert take(midnight + 1).admitted and not take(midnight + 2).admitted


@pytest.mark.redis
def test_the_minute_window_is_aligned_and_binds_first_when_smaller():
    client, name = redis_client(), f"quota-test-{uuid.uuid4().hex}"
    start = datetime(2026, 3, 10, 12, 1, tzinfo=UTC).timestamp()
    decisions = [
        quota_take(client=client, name=name, per_minute=2, per_day=100, now=start + n)
        for n in range(3)
    ]
    assert [d.admitted for d in decisions] == [True, True, False]
    assert decisions[-1].binding is decisions[-1].minute
    assert decisions[-1].minute.reset_at == start + 60
    assert quota_take(client=client, name=name, per_minute=2, per_day=100, now=start + 60).admitted


# --- exact under concurrency (a live server, real threads) -----------------------------


def _burst(url: str, n: int, secret: str | None = None) -> list[tuple[int, dict, bytes]]:
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def call(_):
        request = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(call, range(n)))


def _start_of_a_minute(time_machine) -> None:
    # Time runs (the server needs it to), from the start of a minute: the burst ends long
    # before the window does, whatever the machine's speed.
    time_machine.move_to(datetime(2026, 3, 10, 12, 0, 1, tzinfo=UTC), tick=True)


def _assert_exact(results, limit: int) -> None:
    statuses = sorted(status for status, _, _ in results)
    assert statuses == [200] * limit + [429] * (len(results) - limit)
    for status, headers, body in results:
        if status == 429:
            assert int(headers["Retry-After"]) >= 1
            assert headers["Content-Type"] == "application/problem+json"
            assert json.loads(body)["status"] == 429
            assert headers["X-RateLimit-Remaining"] == "0"


@pytest.mark.django_db(transaction=True)
def test_a_burst_against_an_organisation_admits_exactly_its_limit(
    live_server, small_plan, time_machine
):
    small_plan("professional", requests_per_minute=10)
    _, _, secret = organization_with_key("professional")
    _start_of_a_minute(time_machine)
    results = _burst(live_server.url + PROVIDERS, 30, secret)
    _assert_exact(results, 10)
    # Thirty simultaneous first uses from one address are one audit event, not thirty.
    assert AuditEvent.objects.filter(
        actor_key=key_of(secret), action=AuditEvent.Action.KEY_USED_FROM_NEW_IP
    ).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_burst_from_one_anonymous_address_admits_exactly_its_limit(
    live_server, monkeypatch, time_machine
):
    monkeypatch.setattr(throttling, "ANONYMOUS_REQUESTS_PER_MINUTE", 10)
    _start_of_a_minute(time_machine)
    _assert_exact(_burst(live_server.url + PROVIDERS, 30), 10)
