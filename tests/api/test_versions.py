"""The versions list of a document, one version, and the as-of lookup."""

import pytest

from tests.api.conftest import PAGE_SIZES, walk

pytestmark = [pytest.mark.api, pytest.mark.django_db]

VERSIONS = "/api/v1/platforms/acme-chat/documents/privacy-policy/versions/"
AS_OF = "/api/v1/platforms/acme-chat/documents/privacy-policy/as-of/"


def test_versions_newest_first_across_pages(api, archive):
    rows, pages = walk(api, VERSIONS, page_size=5)
    assert pages == 3
    assert [r["id"] for r in rows] == [v.pk for v in reversed(archive["versions"])]
    assert rows[0]["captured_at"] == "2025-01-12T00:00:00Z"
    assert "text" not in rows[0]


@pytest.mark.parametrize(
    ("params", "days"),
    [
        ({"captured_after": "2025-01-10"}, [12, 11, 10]),
        ({"captured_before": "2025-01-02"}, [2, 1]),  # a bare date: the end of that day
        ({"captured_after": "2025-01-03T00:00:00Z", "captured_before": "2025-01-04"}, [4, 3]),
        ({"technical": "true"}, [6]),
        ({"technical": "false", "captured_before": "2025-01-07"}, [7, 5, 4, 3, 2, 1]),
    ],
)
def test_version_filters(api, archive, params, days):
    rows, _ = walk(api, VERSIONS, **params)
    assert [r["captured_at"][8:10] for r in rows] == [f"{d:02d}" for d in days]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"captured_after": "last tuesday"}, "captured_after"),
        ({"captured_before": "2025-02-30"}, "captured_before"),
        ({"technical": "perhaps"}, "technical"),
        ({"page_size": "201"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "many"}, "page_size"),
        ({"cursor": "forged"}, "cursor"),
    ],
)
def test_bad_parameters_are_400_problems_naming_the_field(api, archive, params, field):
    response = api.get(VERSIONS, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and field in body["errors"]


@pytest.mark.parametrize("page_size", PAGE_SIZES)
def test_versions_list_query_count_is_flat(api, archive, page_size, django_assert_num_queries):
    with django_assert_num_queries(3):  # key, document with its platform, the versions page
        response = api.get(VERSIONS, {"page_size": page_size})
    assert (response.json()["next"] is not None) == (page_size == 5)


def test_version_detail(api, archive):
    first, second, third = archive["versions"][:3]
    body = api.get(f"/api/v1/versions/{second.pk}/").json()
    assert body["text"] == second.text
    assert body["chain_hash"] == second.chain_hash
    assert body["language"] == "en"
    assert body["previous"].endswith(f"/api/v1/versions/{first.pk}/")
    assert body["next"].endswith(f"/api/v1/versions/{third.pk}/")
    assert [p["text"] for p in body["provisions"]] == [
        "Last updated: January 2, 2025", "We keep data 2 days."
    ]
    assert body["provisions"][1]["heading_path"] == ["Privacy"]
    (snapshot,) = body["snapshots"]
    assert snapshot["source"] == {"url": "https://acme.example/privacy"}
    assert snapshot["http_status"] == 200
    assert snapshot["url"].endswith(f"/api/v1/snapshots/{snapshot['sha256']}/")


def test_version_detail_query_count(api, archive, django_assert_num_queries):
    # 5, was 4: the gates, the ETag and the body-cache key now come from a light row
    # first (id, chain hash, successor); a body not cached yet then costs what the whole
    # detail cost before. A cached body needs the first two only (tests/api/test_body_cache).
    with django_assert_num_queries(5):  # key, gate row, version + document + successor,
        # provisions, snapshots
        assert api.get(f"/api/v1/versions/{archive['versions'][3].pk}/").status_code == 200


def test_version_etags_and_caching(api, archive):
    middle, latest = archive["versions"][5], archive["versions"][-1]
    response = api.get(f"/api/v1/versions/{middle.pk}/")
    etag = response["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert response["Cache-Control"] == "private, max-age=31536000, immutable"
    assert "Authorization" in response["Vary"]
    again = api.get(f"/api/v1/versions/{middle.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag
    # The newest version still waits for its "next" link: cacheable, but not immutable.
    tail = api.get(f"/api/v1/versions/{latest.pk}/")
    assert tail["Cache-Control"] == "private, max-age=60, must-revalidate"
    assert tail.json()["next"] is None


@pytest.mark.parametrize("pk", ["999999999", "abc", "-1"])
def test_unknown_version_is_a_404_problem(api, archive, pk):
    response = api.get(f"/api/v1/versions/{pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("as_of", "day"),
    [
        ("2025-01-05", 5),  # a bare date is the end of that day
        ("2025-01-05T00:00:00Z", 5),  # captured exactly then
        ("2025-01-04T23:59:59Z", 4),
        ("2025-01-05T01:00:00+02:00", 4),  # 2025-01-04T23:00Z
        ("2030-01-01", 12),
    ],
)
def test_as_of_returns_the_version_captured_at_or_before(api, archive, as_of, day):
    response = api.get(AS_OF, {"as_of": as_of})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"]["id"] == archive["versions"][day - 1].pk
    assert body["in_force"] is True and body["notice"] is None
    assert "text" in body["version"]


def test_as_of_before_the_first_capture_is_a_clear_404(api, archive):
    response = api.get(AS_OF, {"as_of": "2024-12-30"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert "first capture is 2025-01-01T00:00:00+00:00" in response.json()["detail"]


def test_as_of_after_retirement_says_so(api, archive):
    url = "/api/v1/platforms/acme-old/documents/terms-of-service/as-of/"
    before = api.get(url, {"as_of": "2025-01-10"}).json()
    after = api.get(url, {"as_of": "2025-02-01"}).json()
    assert before["in_force"] is True
    assert after["in_force"] is False
    assert after["notice"] == "Acme Old was retired on 2025-01-20; its successor is acme-chat."


@pytest.mark.parametrize("params", [{}, {"as_of": ""}, {"as_of": "yesterday"}])
def test_as_of_needs_a_valid_moment(api, archive, params):
    response = api.get(AS_OF, params)
    assert response.status_code == 400
    assert "as_of" in response.json()["errors"]


@pytest.fixture
def same_day_versions(db):
    """Two captures on 2025-03-01: at midnight and at noon."""
    from governance.services import version_record
    from tests.factories import DocumentFactory

    document = DocumentFactory(platform__slug="same-day", kind="terms-of-service")
    early = version_record(document=document, text="# T\n\nEarly.\n",
                           captured_at=at_utc("2025-03-01T00:00:00")).version
    noon = version_record(document=document, text="# T\n\nNoon.\n",
                          captured_at=at_utc("2025-03-01T12:00:00")).version
    return early, noon


def at_utc(text):
    from datetime import UTC, datetime

    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_a_bare_date_means_the_end_of_that_day(api, same_day_versions):
    early, noon = same_day_versions
    url = "/api/v1/platforms/same-day/documents/terms-of-service/as-of/"
    body = api.get(url, {"as_of": "2025-03-01"}).json()
    assert body["as_of"] == "2025-03-01T23:59:59.999999Z"
    assert body["version"]["id"] == noon.pk
    assert api.get(url, {"as_of": "2025-03-01T06:00:00Z"}).json()["version"]["id"] == early.pk


def test_date_range_filters_take_whole_days(api, same_day_versions):
    early, noon = same_day_versions
    url = "/api/v1/platforms/same-day/documents/terms-of-service/versions/"
    before = api.get(url, {"captured_before": "2025-03-01"}).json()["results"]
    assert [v["id"] for v in before] == [noon.pk, early.pk]
    after = api.get(url, {"captured_after": "2025-03-01"}).json()["results"]
    assert [v["id"] for v in after] == [noon.pk, early.pk]
    assert api.get(url, {"captured_after": "2025-03-02"}).json()["results"] == []
    assert api.get(url, {"captured_before": "2025-02-28"}).json()["results"] == []
