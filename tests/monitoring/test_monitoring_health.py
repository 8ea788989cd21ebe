"""GET /api/v1/monitoring/health/: documents whose recent checks all failed (Enterprise)."""

import pytest

from monitoring.models import Check, CheckSchedule
from monitoring.services import document_check
from tests.factories import DocumentFactory, at, organization_with_key
from tests.monitoring.conftest import Reply
from tests.monitoring.helpers import document_fed_by
from tests.personas import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.api]

URL = "/api/v1/monitoring/health/"


@pytest.fixture
def enterprise(db):
    _, _, secret = organization_with_key("enterprise")
    client = client_for(secret)
    assert client.get("/api/v1/account/").status_code == 200  # first use recorded
    return client


def unhealthy(failures: int, reason: str = "HTTP 403: Forbidden", **fields):
    document = DocumentFactory(**fields)
    CheckSchedule.objects.create(
        document=document, consecutive_failures=failures, last_checked_at=at(3),
        next_check_at=at(4),
    )
    for day in (1, 2, 3):
        Check.objects.create(
            document=document, started_at=at(day), finished_at=at(day), outcome="failed",
            reason=f"{reason} (day {day})",
        )
    return document


def test_documents_failing_again_and_again_are_listed_with_the_last_reason(
    enterprise, fetch_settings, settings
):
    settings.UNHEALTHY_AFTER_FAILURES = 3
    url = fetch_settings.route(
        "/privacy", Reply(status=403, body=b"Access denied by WAF\n", content_type="text/plain")
    )
    failing = document_fed_by(url)
    for _ in range(3):
        document_check(document_id=failing.pk, lease_token=None)
    once = document_fed_by(url, kind="terms-of-service")
    document_check(document_id=once.pk, lease_token=None)

    response = enterprise.get(URL)

    assert response.status_code == 200, response.content
    [row] = response.json()["results"]
    assert row["platform"] == failing.platform.slug and row["kind"] == "privacy-policy"
    assert row["consecutive_failures"] == 3
    assert row["last_failure_reason"] == f"{url}: HTTP 403: Access denied by WAF"
    assert row["last_checked_at"] and row["next_check_at"]


def test_most_failures_first(enterprise):
    three, five = unhealthy(3), unhealthy(5)
    rows = enterprise.get(URL).json()["results"]
    assert [row["platform"] for row in rows] == [five.platform.slug, three.platform.slug]
    assert rows[0]["last_failure_reason"] == "HTTP 403: Forbidden (day 3)"


def test_the_query_count_does_not_grow_with_the_page(enterprise, django_assert_max_num_queries):
    for n in range(12):
        unhealthy(3 + n)
    counts = {}
    for size in (5, 50):
        with django_assert_max_num_queries(20) as captured:
            assert enterprise.get(URL, {"page_size": size}).status_code == 200
        counts[size] = len(captured.captured_queries)
    assert counts[5] == counts[50]


def test_the_professional_plan_is_told_it_needs_enterprise(owner):
    response = owner.client.get(URL)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "needs the Enterprise plan" in response.json()["detail"]


def test_anonymous_callers_need_a_key(anonymous):
    response = anonymous.get(URL)
    assert response.status_code == 401
    assert "Enterprise" in response.json()["detail"]
