"""GET /api/v1/platforms/{slug}/documents/ and .../documents/{kind}/."""

import pytest

from tests.api.conftest import PAGE_SIZES, walk
from tests.factories import DocumentFactory, SourceFactory

pytestmark = [pytest.mark.api, pytest.mark.django_db]


def test_a_platforms_documents(api, archive):
    rows, _ = walk(api, "/api/v1/platforms/acme-chat/documents/")
    assert [(r["kind"], r["title"]) for r in rows] == [
        ("privacy-policy", "Privacy Policy"), ("terms-of-service", "Terms of Service")
    ]
    assert rows[0]["versions_url"].endswith(
        "/api/v1/platforms/acme-chat/documents/privacy-policy/versions/"
    )


def test_document_detail_has_sources_rules_and_latest_version(api, archive):
    SourceFactory(
        document=archive["policy"], url="https://acme.example/privacy",
        extraction_rules={"select": ["main"], "remove": [".cookie-banner"]},
    )
    body = api.get("/api/v1/platforms/acme-chat/documents/privacy-policy/").json()
    assert body["version_count"] == 12
    assert body["check_interval_seconds"] == 12 * 3600
    assert body["sources"] == [{
        "position": 0, "url": "https://acme.example/privacy",
        "extraction_rules": {"select": ["main"], "remove": [".cookie-banner"]},
        "valid_from": None, "valid_until": None, "verified": False, "verified_at": None,
    }]
    latest = body["latest_version"]
    assert latest["id"] == archive["versions"][-1].pk
    assert latest["stated_last_updated"] == {
        "date": "2025-01-12", "quote": "Last updated: January 12, 2025"
    }
    assert "text" not in latest


def test_a_document_without_versions(api, archive):
    DocumentFactory(platform=archive["chat"], kind="cookie-policy", title="Cookies")
    body = api.get("/api/v1/platforms/acme-chat/documents/cookie-policy/").json()
    assert body["latest_version"] is None and body["version_count"] == 0


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/platforms/nope/documents/",
        "/api/v1/platforms/nope/documents/privacy-policy/",
        "/api/v1/platforms/acme-chat/documents/nope/",
        "/api/v1/platforms/acme-chat/documents/nope/versions/",
    ],
)
def test_unknown_platform_or_kind_is_a_404_problem(api, archive, url):
    response = api.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("page_size", PAGE_SIZES)
def test_document_list_query_count_is_flat(api, archive, page_size, django_assert_num_queries):
    for n in range(6):
        DocumentFactory(platform=archive["chat"], kind=f"extra-{n}")
    with django_assert_num_queries(4):  # key, platform, documents page, their sources
        response = api.get("/api/v1/platforms/acme-chat/documents/", {"page_size": page_size})
    assert (response.json()["next"] is not None) == (page_size == 5)
