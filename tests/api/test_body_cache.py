"""Rendered bodies kept in Redis (governance/api/cache.py): the same bytes, fewer queries,
never a stale page or another plan's, and never served before the gates have run."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import ApiKey
from accounts.services import api_key_revoke
from governance.services import version_record
from tests.api.conftest import PAGE_SIZES
from tests.factories import DocumentFactory, organization_with_key
from tests.personas import client_for

pytestmark = [pytest.mark.api, pytest.mark.django_db]

VERSIONS = "/api/v1/platforms/acme-chat/documents/privacy-policy/versions/"
PER_REQUEST = ("X-Request-ID", "X-RateLimit-Remaining", "X-RateLimit-Reset")


def same_response(first, second) -> None:
    assert second.status_code == first.status_code == 200
    assert second.content == first.content
    headers = {name: value for name, value in first.items() if name not in PER_REQUEST}
    assert {name: value for name, value in second.items() if name not in PER_REQUEST} == headers
    for name in PER_REQUEST:
        assert name in second


@pytest.mark.redis
def test_a_version_detail_is_served_from_the_cache_after_the_gates(
    api, archive, django_assert_num_queries
):
    url = f"/api/v1/versions/{archive['versions'][3].pk}/"
    first = api.get(url)
    with django_assert_num_queries(2):  # the key, the gate row (successor, chain hash)
        second = api.get(url)
    same_response(first, second)


@pytest.mark.redis
@pytest.mark.parametrize("page_size", PAGE_SIZES)
def test_a_versions_page_is_served_from_the_cache(
    api, archive, page_size, django_assert_num_queries
):
    first = api.get(VERSIONS, {"page_size": page_size})
    with django_assert_num_queries(2):  # the key, the document with its version marks
        second = api.get(VERSIONS, {"page_size": page_size})
    same_response(first, second)


@pytest.mark.redis
def test_a_new_version_changes_the_page_and_the_previous_versions_next_link(api, archive):
    latest = archive["versions"][-1]
    page = api.get(VERSIONS, {"page_size": 5}).json()
    detail = api.get(f"/api/v1/versions/{latest.pk}/")
    assert detail.json()["next"] is None
    newer = version_record(
        document=archive["policy"], text="# Privacy\n\nWe keep data 13 days.\n",
        captured_at=latest.captured_at + timedelta(days=1),
    ).version
    again = api.get(VERSIONS, {"page_size": 5}).json()
    assert again["results"][0]["id"] == newer.pk
    assert [r["id"] for r in again["results"][1:]] == [r["id"] for r in page["results"][:4]]
    now = api.get(f"/api/v1/versions/{latest.pk}/")
    assert now.json()["next"].endswith(f"/api/v1/versions/{newer.pk}/")
    assert now["ETag"] != detail["ETag"]


@pytest.mark.redis
def test_the_query_string_and_the_host_are_part_of_the_key(api, archive, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver", "localhost"]
    by_five = api.get(VERSIONS, {"page_size": 5}).json()
    by_four = api.get(VERSIONS, {"page_size": 4}).json()
    assert len(by_five["results"]) == 5 and len(by_four["results"]) == 4
    other_host = api.get(VERSIONS, {"page_size": 5}, HTTP_HOST="localhost").json()
    assert other_host["next"].startswith("http://localhost/")
    assert by_five["next"].startswith("http://testserver/")


@pytest.mark.redis
def test_a_revoked_key_is_refused_although_the_body_is_cached(archive):
    organization, user, secret = organization_with_key("professional")
    client = client_for(secret)
    url = f"/api/v1/versions/{archive['versions'][2].pk}/"
    assert client.get(url).status_code == 200
    assert client.get(VERSIONS).status_code == 200
    api_key_revoke(key=ApiKey.objects.get(organization=organization), actor_user=user)
    assert client.get(url).status_code == 401
    assert client.get(VERSIONS).status_code == 401


@pytest.mark.redis
def test_a_free_plan_is_cut_off_at_365_days_whatever_was_cached():
    document = DocumentFactory(platform__slug="cache-window", kind="privacy-policy")
    now = timezone.now()
    oldest, middle, latest = (
        version_record(document=document, text=f"# P\n\nClause as of day {days}.\n",
                       captured_at=now - timedelta(days=days)).version
        for days in (800, 400, 100)
    )
    url = "/api/v1/platforms/cache-window/documents/privacy-policy/versions/"
    professional = client_for(organization_with_key("professional")[2])
    free = client_for(organization_with_key("free")[2])
    everything = [latest.pk, middle.pk, oldest.pk]
    for _ in range(2):  # the second round is served from the cache
        assert [r["id"] for r in professional.get(url).json()["results"]] == everything
        assert [r["id"] for r in free.get(url).json()["results"]] == [latest.pk, middle.pk]
        assert professional.get(f"/api/v1/versions/{oldest.pk}/").status_code == 200
        assert free.get(f"/api/v1/versions/{oldest.pk}/").status_code == 403


@pytest.mark.redis
def test_rate_limit_headers_count_cached_answers_too(api, archive):
    url = f"/api/v1/versions/{archive['versions'][0].pk}/"
    remaining = [int(api.get(url)["X-RateLimit-Remaining"]) for _ in range(3)]
    assert remaining == [remaining[0], remaining[0] - 1, remaining[0] - 2]


def test_an_unreachable_cache_is_skipped(api, archive, settings, caplog):
    settings.CACHES = {
        **settings.CACHES,
        "api": {**settings.CACHES["api"], "LOCATION": "redis://127.0.0.1:1/0"},  # nothing there
    }
    url = f"/api/v1/versions/{archive['versions'][4].pk}/"
    first, second = api.get(url), api.get(url)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert api.get(VERSIONS).status_code == 200
    assert "API cache unavailable" in caplog.text


def test_unknown_parameters_are_answered_but_not_cached(api, archive):
    response = api.get(VERSIONS, {"page_size": 5, "utm_source": "mail"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 5
