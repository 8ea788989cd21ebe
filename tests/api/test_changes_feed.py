"""The changes feed (/changes/) and one change (/changes/{version_id}/), by plan."""

from datetime import UTC, datetime

import pytest

from governance.models import Change, ChangeFlag, Version
from governance.services import version_record
from tests.api.conftest import PAGE_SIZES, walk
from tests.factories import DocumentFactory, at, organization_with_key
from tests.personas import client_for

pytestmark = [pytest.mark.api, pytest.mark.django_db]

FEED = "/api/v1/changes/"
# On this day the Free plan's 365 days reach back to 5 January 2025, 12:00: of the
# archive policy's changes (days 2..12, day 6 technical) days 7..12 are within them.
FROZEN = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
FREE_FIELDS = {"representation", "id", "url", "platform", "kind", "captured_at", "title"}


@pytest.fixture
def feed(archive):
    """The archive's policy changes minor, day 3's major and a flag on day 4's, plus an
    imported history of Globex AI's terms (days 15 and 16: one change, day 16's).

    The flag and summary engines are being written: significance and flags are set on
    the Change rows directly, as they store them, so these tests do not depend on their
    rules of the day.
    """
    versions = archive["versions"]
    terms = DocumentFactory(platform__slug="globex-ai-feed", kind="terms-of-service",
                            title="Terms")
    for day in (15, 16):
        version_record(document=terms, text=f"# Terms\n\nWe may end this on day {day}.\n",
                       captured_at=at(day), origin=Version.Origin.IMPORT)
    ChangeFlag.objects.all().delete()
    Change.objects.filter(is_technical=False).update(significance="minor")
    Change.objects.filter(version=versions[2]).update(significance="major")
    ChangeFlag.objects.create(
        change=versions[3].change, position=0, category="right", subject="opt-out",
        direction="removed", lineage_id=versions[3].provisions.get(ordinal=1).lineage_id,
        heading_path=["Privacy"], before="you may opt out", after="",
    )
    return {**archive, "terms": terms, "imported": Change.objects.get(document=terms)}


def _days(rows):
    return [int(r["captured_at"][8:10]) for r in rows]


def test_paid_feed_is_newest_first_and_whole(api, feed):
    rows, pages = walk(api, FEED, page_size=3)
    assert pages == 4
    assert _days(rows) == [16, 12, 11, 10, 9, 8, 7, 5, 4, 3, 2]  # day 6 is technical
    fourth = next(r for r in rows if _days([r]) == [4])
    version = feed["versions"][3]
    assert fourth["representation"] == "full"
    assert fourth["id"] == version.pk
    assert fourth["url"].endswith(f"/api/v1/changes/{version.pk}/")
    assert fourth["version_url"].endswith(f"/api/v1/versions/{version.pk}/")
    assert fourth["previous_version_url"].endswith(f"/api/v1/versions/{version.previous_id}/")
    assert (fourth["platform"], fourth["kind"]) == ("acme-chat", "privacy-policy")
    assert fourth["significance"] == "minor" and fourth["title"]
    assert fourth["counts"]["provisions_modified"] == 2
    assert fourth["method"] and fourth["origin"] == "check" and fourth["is_technical"] is False
    assert [f["category"] + ":" + f["subject"] for f in fourth["flags"]] == ["right:opt-out"]
    page = api.get(FEED).json()
    assert "not a legal finding" in page["disclaimer"]
    assert "Open Terms Archive" in page["attribution"] and "ODC-BY" in page["attribution"]


@pytest.mark.parametrize(
    ("params", "days"),
    [
        ({"technical": "true"}, [6]),
        ({"technical": "all", "until": "2025-01-06"}, [6, 5, 4, 3, 2]),
        ({"platform": "acme-chat", "since": "2025-01-11"}, [12, 11]),
        ({"platform": "acme-chat,globex-ai-feed", "since": "2025-01-11"}, [16, 12, 11]),
        ({"platform": "acme-old"}, []),  # a single version: no change yet
        ({"kind": "terms-of-service"}, [16]),
        ({"kind": ["terms-of-service", "privacy-policy"], "since": "2025-01-12"}, [16, 12]),
        ({"significance": "major"}, [3]),
        ({"significance": "major,minor", "until": "2025-01-03"}, [3, 2]),
        ({"flag": "right"}, [4]),
        ({"flag": "right:opt-out"}, [4]),
        ({"flag": ["right:opt-in", "number"]}, []),
        ({"since": "2025-01-03T00:00:00Z", "until": "2025-01-04"}, [4, 3]),
        ({"origin": "import"}, [16]),
        ({"origin": "check", "since": "2025-01-12"}, [12]),
    ],
)
def test_feed_filters(api, feed, params, days):
    rows, _ = walk(api, FEED, **params)
    assert _days(rows) == days


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"platform": "no-such-platform"}, "platform"),
        ({"platform": "acme-chat,nope"}, "platform"),
        ({"kind": "cookie-policy"}, "kind"),
        ({"significance": "huge"}, "significance"),
        ({"flag": "colour"}, "flag"),
        ({"flag": "right:"}, "flag"),
        ({"since": "last tuesday"}, "since"),
        ({"until": "2025-13-01"}, "until"),
        ({"until": ""}, "until"),
        ({"technical": ""}, "technical"),
        ({"since": "2025-01-05", "until": "2025-01-04"}, "until"),
        ({"origin": "rumour"}, "origin"),
        ({"technical": "maybe"}, "technical"),
        ({"page_size": "201"}, "page_size"),
        ({"cursor": "forged"}, "cursor"),
    ],
)
def test_bad_parameters_are_400_problems_naming_them(api, feed, params, field):
    response = api.get(FEED, params)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]


def test_unknown_format_is_406(api, feed):
    assert api.get(FEED, {"format": "xml"}).status_code == 406


@pytest.fixture
def free(feed, time_machine):
    time_machine.move_to(FROZEN, tick=False)
    _, _, secret = organization_with_key("free")
    return client_for(secret)


def test_free_sees_titles_within_its_window(free, feed):
    rows, _ = walk(free, FEED, page_size=2)
    assert _days(rows) == [16, 12, 11, 10, 9, 8, 7]
    assert all(set(row) == FREE_FIELDS for row in rows)
    assert rows[0]["representation"] == "title" and rows[0]["title"]
    assert rows[1]["url"].endswith(f"/api/v1/changes/{feed['versions'][11].pk}/")
    # The free filters work within the window too.
    assert _days(walk(free, FEED, platform="acme-chat", until="2025-01-08")[0]) == [8, 7]


@pytest.mark.parametrize("params", [{"significance": "major"}, {"flag": "right"}])
def test_free_analysis_filters_need_professional(free, feed, params):
    response = free.get(FEED, params)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["required_plan"] == "professional"
    assert "Professional plan" in response.json()["detail"]


def test_change_detail_paid_and_free(api, free, feed):
    version = feed["versions"][9]
    whole = api.get(f"{FEED}{version.pk}/").json()
    assert whole["representation"] == "full" and whole["id"] == version.pk
    assert whole["significance"] == "minor" and "flags" in whole
    assert "not a legal finding" in whole["disclaimer"]
    titled = free.get(f"{FEED}{version.pk}/").json()
    assert set(titled) == FREE_FIELDS | {"disclaimer"}
    assert titled["title"] == whole["title"]
    # Before the window: the archive as it stood then needs Professional.
    refused = free.get(f"{FEED}{feed['versions'][2].pk}/")
    assert refused.status_code == 403 and refused.json()["required_plan"] == "professional"


def test_a_technical_change_has_no_summary(api, feed):
    body = api.get(f"{FEED}{feed['versions'][5].pk}/").json()
    assert body["is_technical"] is True
    assert body["title"] is None and body["significance"] is None
    assert "technical" in body["no_summary_reason"]


@pytest.mark.parametrize(
    ("pk", "says"),
    [("first", "first version"), ("999999999", "No version"), ("abc", "No version"),
     ("-1", "No version")],
)
def test_change_detail_404s(api, feed, pk, says):
    if pk == "first":
        pk = feed["versions"][0].pk
    response = api.get(f"{FEED}{pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert says in response.json()["detail"]


@pytest.mark.parametrize("pk", ["{0}_{1}", "+{pk}", "%20{pk}", "{pk}%20", "{wide}", "0{pk}"])
def test_change_detail_answers_only_its_canonical_id(api, feed, pk):
    # A change has one address: another spelling of the id (which int() would accept)
    # is no address at all.
    real = str(feed["versions"][10].pk)
    wide = "".join(chr(ord(digit) + 0xFEE0) for digit in real)  # fullwidth digits
    path = pk.format(real[0], real[1:], pk=real, wide=wide)
    response = api.get(f"{FEED}{path}/")
    assert response.status_code == 404, path
    assert response["Content-Type"] == "application/problem+json"


@pytest.fixture
def tied(db):
    """Seven documents of one platform captured at the same instants on days 1..3."""
    from tests.factories import PlatformFactory

    platform = PlatformFactory(slug="tied-platform")
    for n in range(7):
        document = DocumentFactory(platform=platform, kind=f"kind-{n}")
        for day in (1, 2, 3):
            version_record(document=document, text=f"# T\n\nText {n} of day {day}.\n",
                           captured_at=at(day))
    return platform


def _walk_back(client, url, **params):
    """To the last page by `next`, then back to the first by `previous`."""
    response = client.get(url, params)
    while response.json()["next"]:
        response = client.get(response.json()["next"])
    rows = response.json()["results"]
    while response.json()["previous"]:
        response = client.get(response.json()["previous"])
        assert response.status_code == 200, response.content
        rows = response.json()["results"] + rows
    return rows


@pytest.mark.parametrize("page_size", [1, 2, 3, 4])
def test_pages_are_stable_over_ties_both_ways(api, tied, page_size):
    # 14 changes, in groups of 7 sharing one captured_at: every page boundary inside
    # a group must neither skip nor repeat a change, forwards or backwards.
    forwards, _ = walk(api, FEED, page_size=page_size)
    assert len(forwards) == 14 and len({r["id"] for r in forwards}) == 14
    backwards = _walk_back(api, FEED, page_size=page_size)
    assert [r["id"] for r in backwards] == [r["id"] for r in forwards]


@pytest.mark.parametrize(
    "position",
    [["2025-01-05 00:00:00+00:00"], ["yesterday", "1"], ["2025-01-05 00:00:00+00:00", "x"],
     ["2025-01-05 00:00:00+00:00", "a\u0000"], "not json", [1, 2]],
)
def test_forged_cursor_positions_are_400_problems(api, feed, position):
    # A cursor is ours, but it travels in the URL: whatever it holds is a 400, never a 500.
    import base64
    import json
    from urllib.parse import urlencode

    raw = position if isinstance(position, str) else json.dumps(position)
    cursor = base64.b64encode(urlencode({"p": raw}).encode()).decode()
    response = api.get(FEED, {"cursor": cursor})
    assert response.status_code == 400, response.content
    assert "cursor" in response.json()["errors"]


def test_personas_read_the_same_feed(owner, teammate, outsider, anonymous, feed):
    bodies = [persona.client.get(FEED).json() for persona in (owner, teammate, outsider)]
    assert bodies[0] == bodies[1] == bodies[2]
    assert len(bodies[0]["results"]) == 11
    detail = f"{FEED}{feed['versions'][4].pk}/"
    assert owner.client.get(detail).json() == outsider.client.get(detail).json()
    for url in (FEED, detail):
        refused = anonymous.get(url)
        assert refused.status_code == 401
        assert refused["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("page_size", PAGE_SIZES)
@pytest.mark.parametrize(
    ("params", "queries"),
    [
        ({}, 3),  # key, the page (changes, versions, documents, platforms), the flags
        ({"platform": "acme-chat", "kind": "privacy-policy"}, 5),  # + each filter checked
        ({"flag": "right,number", "significance": "minor,major"}, 3),
    ],
)
def test_paid_query_count_is_flat(api, feed, params, queries, page_size,
                                  django_assert_num_queries):
    with django_assert_num_queries(queries):
        response = api.get(FEED, {**params, "page_size": page_size})
    assert response.status_code == 200 and response.json()["results"]


@pytest.mark.parametrize("page_size", PAGE_SIZES)
def test_free_query_count_is_flat(free, feed, page_size, django_assert_num_queries):
    assert free.get(FEED).status_code == 200  # the key's first use is recorded
    with django_assert_num_queries(2):  # key, the page: no flags for titles
        response = free.get(FEED, {"page_size": page_size})
    assert len(response.json()["results"]) == min(page_size, 7)
