"""GET .../documents/{kind}/checks/ and .../held-capture/: checks, and captures held back.

Suspect captures are made through the real check (monitoring.services.document_check
against the local HTTP server), as tests/monitoring/test_suspect_hold.py does.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from governance.models import Document, Source
from governance.services import snapshot_store
from monitoring.models import Check, CheckSchedule
from monitoring.services import document_check
from tests.api.conftest import PAGE_SIZES, walk
from tests.factories import DocumentFactory, at
from tests.monitoring.conftest import Reply, html
from tests.personas import client_for

pytestmark = [pytest.mark.api, pytest.mark.django_db]

POLICY = "<main><h1>Privacy</h1>" + "<p>We explain what we collect and why.</p>" * 30 + "</main>"
BROKEN = "<main><h1>This page isn’t available</h1><p>Try again later.</p></main>"  # noqa: RUF001
CHECKS = "/api/v1/platforms/checks-site/documents/privacy-policy/checks/"
HELD = "/api/v1/platforms/checks-site/documents/privacy-policy/held-capture/"


@pytest.fixture
def document(fetch_settings) -> Document:
    document = DocumentFactory(platform__slug="checks-site")
    Source.objects.create(document=document, url=fetch_settings.url("/privacy"),
                          extraction_rules={"select": "main"})
    return document


@pytest.fixture
def api(owner):
    """The owner of a professional organisation (History included)."""
    # The first use of a key records it (last used, new IP); steady state is one query.
    assert owner.client.get("/api/v1/account/").status_code == 200
    return owner.client


def run_checks(document, fetch_settings, *replies: Reply) -> list[Check]:
    """One check per reply, in order; returns the checks (oldest first)."""
    fetch_settings.route("/privacy", *replies)
    return [document_check(document_id=document.pk, lease_token=None).check for _ in replies]


def rows_of(client, **params) -> list[dict]:
    response = client.get(CHECKS, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- the hold: pending, confirmed, cleared ----------------------------------------------


def test_a_held_capture_is_pending_and_kept_as_evidence(api, document, fetch_settings):
    first, held = run_checks(document, fetch_settings, html(POLICY), html(BROKEN))
    schedule = CheckSchedule.objects.get(document=document)

    newest, oldest = rows_of(api)

    assert (newest["id"], oldest["id"]) == (held.pk, first.pk)
    assert oldest["outcome"] == "changed" and oldest["hold"] is None
    assert oldest["version"] == first.version_id
    assert oldest["version_url"].endswith(f"/api/v1/versions/{first.version_id}/")
    assert newest["outcome"] == "suspect" and "error-page" in newest["reason"]
    assert newest["version"] is None and newest["version_url"] is None
    assert newest["http_status"] == 200 and newest["bytes_fetched"] > 0
    assert newest["hold"] == {
        "state": "pending", "resolved_by": None, "version": None, "version_url": None,
        "recheck_due_at": schedule.next_check_at.isoformat().replace("+00:00", "Z"),
    }
    [snapshot] = newest["snapshots"]
    assert snapshot["sha256"] == held.snapshots.get().sha256
    assert snapshot["url"].endswith(f"/api/v1/snapshots/{snapshot['sha256']}/")
    evidence = api.get(snapshot["url"])  # the broken page itself, as an attachment
    assert evidence.status_code == 200 and b"isn" in b"".join(evidence.streaming_content)


def test_the_held_capture_summary(api, document, fetch_settings):
    _, held = run_checks(document, fetch_settings, html(POLICY), html(BROKEN))
    schedule = CheckSchedule.objects.get(document=document)

    response = api.get(HELD)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["platform"] == "checks-site" and body["kind"] == "privacy-policy"
    assert body["checks_url"].endswith(CHECKS)
    capture = body["held_capture"]
    assert capture["check"] == held.pk
    assert capture["captured_at"] == held.started_at.isoformat().replace("+00:00", "Z")
    assert capture["reason"] == held.reason and "held for a recheck" in capture["reason"]
    assert capture["recheck_due_at"] == schedule.next_check_at.isoformat().replace("+00:00", "Z")
    assert [s["sha256"] for s in capture["snapshots"]] == [held.snapshots.get().sha256]


def test_a_recheck_seeing_the_same_text_confirms_the_hold(api, document, fetch_settings):
    _, held, confirmed = run_checks(
        document, fetch_settings, html(POLICY), html(BROKEN), html(BROKEN)
    )
    assert confirmed.outcome == "changed" and confirmed.version_id

    rows = {row["id"]: row for row in rows_of(api)}

    assert rows[held.pk]["hold"]["state"] == "confirmed"
    assert rows[held.pk]["hold"]["resolved_by"] == confirmed.pk
    assert rows[held.pk]["hold"]["version"] == confirmed.version_id
    assert rows[held.pk]["hold"]["version_url"].endswith(
        f"/api/v1/versions/{confirmed.version_id}/"
    )
    assert rows[held.pk]["hold"]["recheck_due_at"] is None
    assert rows[confirmed.pk]["hold"] is None
    assert api.get(HELD).json()["held_capture"] is None


def test_a_page_back_to_normal_clears_the_hold(api, document, fetch_settings):
    _, held, normal = run_checks(document, fetch_settings, html(POLICY), html(BROKEN), html(POLICY))
    assert normal.outcome == "unchanged"

    rows = {row["id"]: row for row in rows_of(api)}

    assert rows[held.pk]["hold"] == {
        "state": "cleared", "resolved_by": normal.pk, "version": None, "version_url": None,
        "recheck_due_at": None,
    }
    assert api.get(HELD).json()["held_capture"] is None


def test_another_broken_capture_replaces_the_hold(api, document, fetch_settings):
    shrunk = "<main><h1>Privacy</h1></main>"
    _, first_hold, second_hold = run_checks(
        document, fetch_settings, html(POLICY), html(BROKEN), html(shrunk)
    )
    assert second_hold.outcome == "suspect"

    rows = {row["id"]: row for row in rows_of(api)}

    assert rows[first_hold.pk]["hold"]["state"] == "cleared"
    assert rows[first_hold.pk]["hold"]["resolved_by"] == second_hold.pk
    assert rows[second_hold.pk]["hold"]["state"] == "pending"
    assert api.get(HELD).json()["held_capture"]["check"] == second_hold.pk


def test_a_failed_recheck_leaves_the_capture_held(api, document, fetch_settings):
    gone = Reply(status=404, body=b"Not found\n", content_type="text/plain")
    _, held, failed = run_checks(document, fetch_settings, html(POLICY), html(BROKEN), gone)
    assert failed.outcome == "failed"

    rows = {row["id"]: row for row in rows_of(api)}

    assert rows[held.pk]["hold"]["state"] == "pending"
    assert rows[failed.pk]["http_status"] == 404 and rows[failed.pk]["snapshots"] == []
    assert api.get(HELD).json()["held_capture"]["check"] == held.pk


def test_a_document_never_checked(api, document):
    assert rows_of(api) == []
    assert api.get(HELD).json()["held_capture"] is None


# --- filters, pages, errors -------------------------------------------------------------


def made_checks(document, days=range(1, 13)) -> list[Check]:
    """A check at 00:00 UTC of each day, suspect on odd days (each cleared the next day)."""
    checks = []
    for day in days:
        snapshot = snapshot_store(
            content=f"<p>day {day}</p>".encode(), media_type="text/html",
            fetched_at=at(day), url="https://checks.example/privacy", http_status=200,
        )
        check = Check.objects.create(
            document=document, started_at=at(day), finished_at=at(day) + timedelta(seconds=1),
            outcome="suspect" if day % 2 else "unchanged", reason=f"day {day}",
            http_status=200, bytes_fetched=10, duration_ms=5,
        )
        check.snapshots.set([snapshot])
        checks.append(check)
    return checks


@pytest.fixture
def made(db) -> list[Check]:
    return made_checks(DocumentFactory(platform__slug="checks-site"))


def test_newest_first_across_pages(api, made):
    rows, pages = walk(api, CHECKS, page_size=5)
    assert pages == 3
    assert [row["id"] for row in rows] == [check.pk for check in reversed(made)]
    assert rows[1]["hold"]["state"] == "cleared" and rows[1]["hold"]["resolved_by"] == made[-1].pk


@pytest.mark.parametrize(
    ("params", "days"),
    [
        ({"outcome": "suspect"}, [11, 9, 7, 5, 3, 1]),
        ({"since": "2025-01-10"}, [12, 11, 10]),
        ({"until": "2025-01-02"}, [2, 1]),  # a bare date: the end of that day
        ({"since": "2025-01-03T00:00:00Z", "until": "2025-01-04"}, [4, 3]),
        ({"since": "2025-01-03T00:00:01Z", "until": "2025-01-06", "outcome": "unchanged"},
         [6, 4]),
        ({"outcome": "failed"}, []),
    ],
)
def test_filters(api, made, params, days):
    rows, _ = walk(api, CHECKS, **params)
    assert [row["reason"] for row in rows] == [f"day {day}" for day in days]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"outcome": "broken"}, "outcome"),
        ({"since": "last tuesday"}, "since"),
        ({"until": "2025-02-30"}, "until"),
        ({"page_size": "201"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"cursor": "forged"}, "cursor"),
    ],
)
def test_bad_parameters_are_400_problems_naming_the_field(api, made, params, field):
    response = api.get(CHECKS, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and field in body["errors"]


@pytest.mark.parametrize("url", [CHECKS, HELD])
def test_an_unknown_format_is_406(api, made, url):
    response = api.get(url, {"format": "xml"})
    assert response.status_code == 406
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("suffix", ["checks/", "held-capture/"])
@pytest.mark.parametrize(
    "document", ["no-such-site/documents/privacy-policy", "checks-site/documents/no-such-kind"]
)
def test_an_unknown_platform_or_kind_is_a_404_problem(api, made, suffix, document):
    response = api.get(f"/api/v1/platforms/{document}/{suffix}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert "No Document" in response.json()["detail"]


@pytest.mark.parametrize("page_size", PAGE_SIZES)
def test_the_query_count_does_not_grow_with_the_page(
    api, made, page_size, django_assert_max_num_queries
):
    CheckSchedule.objects.create(document=made[0].document, suspect_text_sha256="a" * 64)
    # key, document with its schedule, the page, its snapshots, the checks that decided
    # the suspect ones
    with django_assert_max_num_queries(5) as captured:
        response = api.get(CHECKS, {"page_size": page_size})
    assert len(captured.captured_queries) == 5
    assert (response.json()["next"] is not None) == (page_size == 5)


def test_the_held_capture_query_count(api, made, django_assert_num_queries):
    CheckSchedule.objects.create(document=made[0].document, suspect_text_sha256="a" * 64)
    Check.objects.filter(pk=made[-1].pk).delete()  # the newest is now an undecided suspect
    with django_assert_num_queries(4):  # key, document with its schedule, check, snapshots
        body = api.get(HELD).json()
    assert body["held_capture"]["check"] == made[-2].pk


# --- who may read ------------------------------------------------------------------------


@pytest.mark.parametrize("url", [CHECKS, HELD])
def test_anonymous_callers_need_a_key(anonymous, made, url):
    response = anonymous.get(url)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert "Free plan" in response.json()["detail"]


@pytest.mark.parametrize("url", [CHECKS, HELD])
def test_owner_teammate_and_outsider_read_the_same_archive(owner, teammate, outsider, made, url):
    # Checks belong to the public archive, not to an organisation: every keyed caller on a
    # plan with History sees the same answer.
    bodies = [persona.client.get(url) for persona in (owner, teammate, outsider)]
    assert [response.status_code for response in bodies] == [200, 200, 200]
    assert bodies[0].json() == bodies[1].json() == bodies[2].json()


def test_the_free_plan_sees_a_year_of_checks(tier_client, made):
    document = made[0].document
    now = timezone.now()
    recent = Check.objects.create(document=document, started_at=now - timedelta(days=10),
                                  finished_at=now, outcome="unchanged")
    old = Check.objects.create(document=document, started_at=now - timedelta(days=400),
                               finished_at=now, outcome="unchanged")
    Check.objects.filter(pk__in=[c.pk for c in made]).delete()
    free = [row["id"] for row in tier_client("free").get(CHECKS).json()["results"]]
    professional = [
        row["id"] for row in tier_client("professional").get(CHECKS).json()["results"]
    ]
    assert free == [recent.pk]
    assert professional == [recent.pk, old.pk]


def test_an_unknown_key_is_refused(made):
    response = client_for("cw_live_nope_nope").get(CHECKS)
    assert response.status_code == 401
