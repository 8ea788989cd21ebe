"""Timelines: a platform's (and its predecessors') versions in order, and one document's."""

import pytest

from governance.models import Change, ChangeFlag
from tests.api.conftest import PAGE_SIZES, walk
from tests.factories import organization_with_key
from tests.personas import client_for

pytestmark = [pytest.mark.api, pytest.mark.django_db]

PLATFORM = "/api/v1/platforms/acme-chat/timeline/"
DOCUMENT = "/api/v1/platforms/acme-chat/documents/privacy-policy/timeline/"
OLD = "/api/v1/platforms/acme-old/timeline/"


@pytest.fixture
def timeline(archive):
    """The archive, its changes minor but day 3's (major) and day 8's (editorial), and
    one flag, on day 4's change.

    The flag and summary engines (governance.text.flags, .summary) are being written:
    significance and flags are set on the Change rows directly, as the engines store
    them, so these tests depend on the API alone, not on the rules of the day.
    """
    versions = archive["versions"]
    policy_changes = Change.objects.filter(document=archive["policy"])
    ChangeFlag.objects.filter(change__in=policy_changes).delete()
    policy_changes.filter(is_technical=False).update(significance="minor")
    Change.objects.filter(version=versions[2]).update(significance="major")
    Change.objects.filter(version=versions[7]).update(significance="editorial")
    change = versions[3].change
    lineage_id = versions[3].provisions.get(ordinal=1).lineage_id
    ChangeFlag.objects.create(
        change=change, position=0, category="number", subject="retention period",
        direction="changed", lineage_id=lineage_id, heading_path=["Privacy"],
        before="3 days", after="4 days",
    )
    return archive


def _days(rows):
    return [(r["platform"], r["kind"], r["captured_at"][8:10]) for r in rows]


def test_platform_timeline_is_oldest_first_with_the_predecessors_history(api, timeline):
    rows, pages = walk(api, PLATFORM, page_size=5)
    assert pages == 3
    policy = [("acme-chat", "privacy-policy", f"{d:02d}") for d in range(1, 13)]
    # acme-old was retired into acme-chat: its terms (day 2) come in order, after the
    # policy's day 2 version captured at the same instant (ties go by id).
    assert _days(rows) == [*policy[:2], ("acme-old", "terms-of-service", "02"), *policy[2:]]
    body = api.get(PLATFORM).json()
    assert body["platform"]["slug"] == "acme-chat"
    assert body["platform"]["successor"] is None
    (predecessor,) = body["platform"]["predecessors"]
    assert predecessor["slug"] == "acme-old"
    assert predecessor["retired_at"] == "2025-01-20T00:00:00Z"
    assert predecessor["timeline_url"].endswith(OLD)
    assert "not a legal finding" in body["disclaimer"]
    assert "ODC-BY" in body["attribution"]


def test_predecessors_can_be_left_out_and_order_reversed(api, timeline):
    rows, _ = walk(api, PLATFORM, include_predecessors="false", order="-captured_at",
                   page_size=5)
    assert [r["id"] for r in rows] == [v.pk for v in reversed(timeline["versions"])]
    assert api.get(PLATFORM, {"include_predecessors": "false"}).json()["platform"][
        "predecessors"] == []


def test_entries_carry_the_version_and_its_change(api, timeline):
    versions = timeline["versions"]
    rows, _ = walk(api, DOCUMENT)
    first, third, fourth, technical = rows[0], rows[2], rows[3], rows[5]
    assert first["id"] == versions[0].pk and first["change"] is None
    assert first["url"].endswith(f"/api/v1/versions/{versions[0].pk}/")
    assert first["stated_last_updated"] == {
        "date": "2025-01-01", "quote": versions[0].stated_last_updated_quote}
    assert first["origin"] == "check" and first["anomalies"] == []
    assert "text" not in first
    change = third["change"]
    assert change["significance"] == "major"
    assert change["title"]  # wording belongs to governance.text.summary
    assert change["url"].endswith(f"/api/v1/changes/{versions[2].pk}/")
    assert change["counts"]["provisions_modified"] == 2
    assert set(change["counts"]) >= {"provisions_added", "words_added", "words_removed"}
    assert change["method"] and change["no_summary_reason"] == ""
    (flag,) = fourth["change"]["flags"]
    assert flag == {
        "category": "number", "subject": "retention period", "direction": "changed",
        "lineage_id": flag["lineage_id"], "heading_path": ["Privacy"], "before": "3 days",
        "after": "4 days",
        "provision_history_url": flag["provision_history_url"],
    }
    assert flag["provision_history_url"].endswith(
        f"/api/v1/provisions/{flag['lineage_id']}/history/")
    assert technical["is_technical"] is True
    assert technical["change"]["title"] is None and technical["change"]["significance"] is None
    assert "technical" in technical["change"]["no_summary_reason"]


@pytest.mark.parametrize(
    ("params", "days"),
    [
        ({"since": "2025-01-10"}, [10, 11, 12]),
        ({"until": "2025-01-02"}, [1, 2]),  # a bare date: the end of that day
        ({"since": "2025-01-03T00:00:00Z", "until": "2025-01-04"}, [3, 4]),
        ({"significance": "major"}, [3]),
        ({"significance": "major,editorial"}, [3, 8]),
        ({"significance": ["editorial", "major"]}, [3, 8]),
        ({"technical": "true"}, [6]),
        ({"technical": "false", "until": "2025-01-07"}, [1, 2, 3, 4, 5, 7]),
    ],
)
def test_document_timeline_filters(api, timeline, params, days):
    rows, _ = walk(api, DOCUMENT, **params)
    assert [int(r["captured_at"][8:10]) for r in rows] == days


def test_platform_timeline_by_kind(api, timeline):
    rows, _ = walk(api, PLATFORM, kind="terms-of-service")
    assert _days(rows) == [("acme-old", "terms-of-service", "02")]
    rows, _ = walk(api, PLATFORM, kind="privacy-policy", significance="editorial")
    assert _days(rows) == [("acme-chat", "privacy-policy", "08")]


def test_document_timeline_includes_the_predecessors_document_of_that_kind(api, timeline):
    url = "/api/v1/platforms/acme-chat/documents/terms-of-service/timeline/"
    rows, _ = walk(api, url)
    assert _days(rows) == [("acme-old", "terms-of-service", "02")]
    assert walk(api, url, include_predecessors="false")[0] == []


def test_a_retired_platform_names_its_successor(api, timeline):
    body = api.get(OLD).json()
    assert _days(body["results"]) == [("acme-old", "terms-of-service", "02")]
    assert body["platform"]["retired_at"] == "2025-01-20T00:00:00Z"
    assert body["platform"]["successor"]["slug"] == "acme-chat"
    assert body["platform"]["successor"]["timeline_url"].endswith(PLATFORM)
    assert body["platform"]["predecessors"] == []


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        (PLATFORM, {"since": "last tuesday"}, "since"),
        (PLATFORM, {"until": "2025-02-30"}, "until"),
        (PLATFORM, {"since": "2025-01-05", "until": "2025-01-04"}, "until"),
        (PLATFORM, {"significance": "huge"}, "significance"),
        (PLATFORM, {"significance": ","}, "significance"),
        (PLATFORM, {"technical": "perhaps"}, "technical"),
        (PLATFORM, {"order": "captured"}, "order"),
        (PLATFORM, {"order": ""}, "order"),
        (PLATFORM, {"kind": ""}, "kind"),
        (PLATFORM, {"include_predecessors": "yes"}, "include_predecessors"),
        (PLATFORM, {"kind": "cookie-policy"}, "kind"),
        (PLATFORM, {"kind": "not a slug"}, "kind"),
        (DOCUMENT, {"since": "soon"}, "since"),
        (DOCUMENT, {"page_size": "201"}, "page_size"),
        (DOCUMENT, {"cursor": "forged"}, "cursor"),
    ],
)
def test_bad_parameters_are_400_problems_naming_them(api, timeline, url, params, field):
    response = api.get(url, params)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]


def test_unknown_kind_names_the_kinds_there_are(api, timeline):
    detail = api.get(PLATFORM, {"kind": "cookie-policy"}).json()["errors"]["kind"]
    assert "privacy-policy, terms-of-service" in str(detail)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/platforms/no-such-platform/timeline/",
        "/api/v1/platforms/no-such-platform/documents/privacy-policy/timeline/",
        "/api/v1/platforms/acme-chat/documents/cookie-policy/timeline/",
    ],
)
def test_unknown_platform_or_document_is_a_404_problem(api, timeline, url):
    response = api.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_unknown_format_is_406(api, timeline):
    assert api.get(PLATFORM, {"format": "xml"}).status_code == 406
    assert api.get(DOCUMENT, HTTP_ACCEPT="text/csv").status_code == 406


@pytest.mark.parametrize("url", [PLATFORM, DOCUMENT])
def test_personas_read_the_same_timeline(owner, teammate, outsider, anonymous, timeline, url):
    bodies = [persona.client.get(url).json() for persona in (owner, teammate, outsider)]
    assert bodies[0] == bodies[1] == bodies[2]
    assert len(bodies[0]["results"]) >= 12
    refused = anonymous.get(url)
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("url", [PLATFORM, DOCUMENT])
def test_free_plan_is_refused_naming_professional(timeline, url):
    _, _, secret = organization_with_key("free")
    response = client_for(secret).get(url)
    assert response.status_code == 403
    assert response.json()["required_plan"] == "professional"
    assert "Professional plan" in response.json()["detail"]


@pytest.mark.parametrize("page_size", PAGE_SIZES)
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # key; the platform (with its document mark) and its one generation of
        # predecessors; the page (versions, documents, platforms, changes); the flags.
        (PLATFORM, 5),
        (DOCUMENT, 5),
        (OLD, 3),  # no predecessors, and a first version only: no flags to load
    ],
)
def test_query_count_is_flat(api, timeline, url, queries, page_size,
                             django_assert_num_queries):
    with django_assert_num_queries(queries):
        response = api.get(url, {"page_size": page_size, "significance": "major,minor,editorial"}
                           if url != OLD else {"page_size": page_size})
    assert response.status_code == 200
    with django_assert_num_queries(queries):
        assert api.get(url, {"page_size": page_size}).status_code == 200
