"""GET /api/v1/providers/ and /api/v1/platforms/: the public catalogue."""

import pytest

from tests.api.conftest import PAGE_SIZES, walk

pytestmark = [pytest.mark.api, pytest.mark.django_db]


def test_providers_list_and_detail(api, archive):
    rows, _ = walk(api, "/api/v1/providers/", page_size=1)
    slugs = [row["slug"] for row in rows]
    assert {"acme-test", "globex-test"} <= set(slugs)
    assert slugs == sorted(slugs)
    assert api.get("/api/v1/providers/acme-test/").json() == {
        "slug": "acme-test", "name": "Acme", "website": ""
    }


def test_platforms_show_provider_status_and_successor(api, archive):
    body = api.get("/api/v1/platforms/acme-old/").json()
    assert body["provider"] == "acme-test"
    assert body["active"] is False
    assert body["retired_at"] == "2025-01-20T00:00:00Z"
    assert body["successor"] == "acme-chat"
    assert body["url"].endswith("/api/v1/platforms/acme-old/")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"provider": "acme-test"}, ["acme-chat", "acme-old"]),
        ({"provider": "acme-test", "active": "true"}, ["acme-chat"]),
        ({"provider": "acme-test", "active": "false"}, ["acme-old"]),
        ({"provider": "nobody"}, []),
    ],
)
def test_platform_filters(api, archive, params, expected):
    rows, _ = walk(api, "/api/v1/platforms/", **params)
    assert [row["slug"] for row in rows] == expected


def test_a_bad_filter_value_is_a_400_naming_the_field(api, archive):
    response = api.get("/api/v1/platforms/", {"active": "perhaps"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "active" in response.json()["errors"]


@pytest.mark.parametrize("page_size", PAGE_SIZES)
@pytest.mark.parametrize("url", ["/api/v1/platforms/", "/api/v1/providers/"])
def test_list_query_count_is_flat(api, archive, url, page_size, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = api.get(url, {"page_size": page_size})
    assert response.status_code == 200
    assert (response.json()["next"] is not None) == (page_size == 5)


def test_platform_pages_cover_every_row_once(api, archive):
    rows, pages = walk(api, "/api/v1/platforms/", page_size=2, provider="globex-test")
    assert pages == 1 and len(rows) == 2
    rows, pages = walk(api, "/api/v1/platforms/", page_size=1, provider="acme-test")
    assert pages == 2 and [r["slug"] for r in rows] == ["acme-chat", "acme-old"]


def test_unknown_platform_is_a_problem(api, archive):
    response = api.get("/api/v1/platforms/nope/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Not Found"
