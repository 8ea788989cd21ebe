"""document_check(): fetch a document's sources and record what changed, with its Check."""

import uuid

import pytest

from governance.models import Snapshot, Source
from monitoring.fetching import FetchError
from monitoring.models import Check, CheckSchedule, SourceState
from monitoring.selectors import schedules_unhealthy
from monitoring.services import document_check, document_check_give_up
from tests.factories import at
from tests.monitoring.conftest import Reply, html
from tests.monitoring.helpers import (
    POLICY_V1,
    POLICY_V2,
    checks_of,
    document_fed_by,
    lease,
    schedule_of,
    versions_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def server(fetch_settings):
    return fetch_settings


def check(document, **options):
    return document_check(document_id=document.pk, lease_token=None, **options)


def test_the_first_capture_records_a_version_with_its_evidence(server, time_machine):
    time_machine.move_to(at(1), tick=False)
    url = server.route("/privacy", html(POLICY_V1))
    document = document_fed_by(url)

    result = check(document)

    assert result.outcome == Check.Outcome.CHANGED
    [version] = versions_of(document)
    assert version.captured_at == at(1) and version.previous_seen_at is None
    assert version.origin == "check"
    assert "We keep your data for 30 days." in version.text
    [snapshot] = version.snapshots.all()
    assert snapshot.url == url and snapshot.http_status == 200
    assert snapshot.media_type == "text/html; charset=utf-8"
    assert snapshot.fetched_at == at(1)
    assert snapshot.http_headers["content-type"] == "text/html; charset=utf-8"
    [recorded] = checks_of(document)
    assert recorded == result.check
    assert recorded.version == version and recorded.http_status == 200
    assert recorded.bytes_fetched == len(html(POLICY_V1).body)
    assert recorded.started_at == at(1) and not recorded.transient
    schedule = schedule_of(document)
    assert schedule.last_seen_at == at(1) and schedule.last_checked_at == at(1)
    assert schedule.next_check_at == at(1) + document.check_interval
    assert schedule.lease_until is None and schedule.lease_token == ""
    assert Source.objects.get(document=document).verified_at == at(1)


def test_the_same_text_again_is_unchanged_and_records_no_version(server, time_machine):
    url = server.route("/privacy", html(POLICY_V1))
    document = document_fed_by(url)
    time_machine.move_to(at(1), tick=False)
    check(document)
    time_machine.move_to(at(2), tick=False)

    result = check(document)

    assert result.outcome == Check.Outcome.UNCHANGED and result.check.version is None
    assert len(versions_of(document)) == 1
    assert [c.outcome for c in checks_of(document)] == ["changed", "unchanged"]
    assert schedule_of(document).last_seen_at == at(2)
    # The same bytes are not stored twice: the last snapshot stands.
    assert Snapshot.objects.filter(url=url).count() == 1


def test_a_304_is_not_modified_and_records_no_version(server, time_machine):
    url = server.route("/privacy", html(POLICY_V1, etag='"v1"'))
    document = document_fed_by(url)
    time_machine.move_to(at(1), tick=False)
    check(document)
    time_machine.move_to(at(2), tick=False)

    result = check(document)

    assert result.outcome == Check.Outcome.NOT_MODIFIED
    assert server.requests[-1].headers["if-none-match"] == '"v1"'
    assert result.check.http_status == 304 and result.check.bytes_fetched == 0
    assert len(versions_of(document)) == 1
    assert schedule_of(document).last_seen_at == at(2)


def test_a_change_is_a_new_version_between_the_last_sighting_and_now(server, time_machine):
    url = server.route("/privacy", html(POLICY_V1), html(POLICY_V1), html(POLICY_V2))
    document = document_fed_by(url)
    for day in (1, 2, 3):
        time_machine.move_to(at(day), tick=False)
        result = check(document)

    assert result.outcome == Check.Outcome.CHANGED
    first, second = versions_of(document)
    assert second.previous == first
    assert second.previous_seen_at == at(2)  # the unchanged check of day 2 still saw v1
    assert second.captured_at == at(3)
    assert "90 days" in second.text
    assert result.check.version == second


def test_a_document_of_two_sources_keeps_their_order_and_each_snapshot(server):
    first = server.route("/part-1", html("<div id='keep'><p>Part one.</p></div><nav>Menu</nav>"))
    second = server.route("/part-2", html("<main><p>Part two.</p></main><footer>Foot</footer>"))
    document = document_fed_by((first, {"select": ["#keep"]}), (second, {"select": ["main"]}))
    # Declared order is the position, not the order the rows were made in.
    Source.objects.filter(url=first).update(position=7)
    Source.objects.filter(url=second).update(position=3)

    assert check(document).outcome == Check.Outcome.CHANGED

    [version] = versions_of(document)
    assert version.text.index("Part two.") < version.text.index("Part one.")
    assert "Menu" not in version.text and "Foot" not in version.text
    snapshots = [link.snapshot for link in version.versionsnapshot_set.order_by("position")]
    assert [snapshot.url for snapshot in snapshots] == [second, first]


def test_a_url_feeding_two_documents_is_fetched_once_in_a_round(server):
    url = server.route("/shared-terms", html("<p>Terms for every product.</p>"))
    one = document_fed_by(url, kind="terms-of-service")
    two = document_fed_by(url, kind="terms-of-service")

    round_id = f"test-{uuid.uuid4().hex}"  # round keys live 10 minutes: never reuse one
    assert check(one, round_id=round_id).outcome == Check.Outcome.CHANGED
    assert check(two, round_id=round_id).outcome == Check.Outcome.CHANGED

    assert server.hits("/shared-terms") == 1
    [version_one], [version_two] = versions_of(one), versions_of(two)
    assert list(version_one.snapshots.all()) == list(version_two.snapshots.all())
    # A later round fetches it again.
    check(one, round_id=f"test-{uuid.uuid4().hex}")
    assert server.hits("/shared-terms") == 2


def test_an_unsupported_media_type_is_a_recorded_failure(server):
    zipped = Reply(body=b"PK\x03\x04zipped", content_type="application/zip")
    url = server.route("/policy.zip", zipped)
    document = document_fed_by(url)

    result = check(document)

    assert result.outcome == Check.Outcome.FAILED
    assert "unsupported media type 'application/zip'" in result.detail
    [recorded] = checks_of(document)
    assert recorded.outcome == "failed" and not recorded.transient
    assert recorded.reason == result.detail
    assert versions_of(document) == []
    schedule = schedule_of(document)
    assert schedule.consecutive_failures == 1 and schedule.lease_token == ""


def test_a_server_error_raises_for_a_retry_and_records_a_transient_check(server):
    url = server.route(
        "/privacy",
        Reply(status=500, body=b"Upstream unavailable\n", content_type="text/plain"),
        html(POLICY_V1),
    )
    document = document_fed_by(url)
    document_id, token = document.pk, lease(document)

    with pytest.raises(FetchError) as caught:
        document_check(document_id=document_id, lease_token=token)

    assert caught.value.transient and caught.value.http_status == 500
    [failed] = checks_of(document)
    assert failed.outcome == "failed" and failed.transient and failed.http_status == 500
    assert failed.reason.endswith("HTTP 500: Upstream unavailable")
    schedule = schedule_of(document)
    # The lease stays with the task that will retry; nothing is counted yet.
    assert schedule.lease_token == token and schedule.consecutive_failures == 0

    # The retry (same lease) succeeds.
    assert document_check(document_id=document_id, lease_token=token).outcome == "changed"
    assert len(versions_of(document)) == 1
    assert schedule_of(document).lease_token == ""


def test_giving_up_after_the_last_retry_counts_the_failure_and_frees_the_document(server):
    document = document_fed_by(server.route("/privacy", Reply(status=503)))
    document_id, token = document.pk, lease(document)

    document_check_give_up(document_id=document_id, lease_token=token, reason="HTTP 503")

    schedule = schedule_of(document)
    assert schedule.consecutive_failures == 1
    assert schedule.lease_token == "" and schedule.lease_until is None
    assert schedule.next_check_at > schedule.last_checked_at


def test_permanent_failures_are_counted_until_the_document_is_unhealthy(server, settings):
    settings.UNHEALTHY_AFTER_FAILURES = 3
    url = server.route(
        "/privacy", Reply(status=403, body=b"Forbidden for robots\n", content_type="text/plain")
    )
    document = document_fed_by(url)

    for expected in (1, 2, 3):
        result = check(document)
        assert result.outcome == "failed"
        assert schedule_of(document).consecutive_failures == expected
        assert (document.schedule in schedules_unhealthy()) is (expected >= 3)

    assert all(not c.transient and c.http_status == 403 for c in checks_of(document))
    assert checks_of(document)[-1].reason.endswith("HTTP 403: Forbidden for robots")

    server.route("/privacy", html(POLICY_V1))
    assert check(document).outcome == "changed"
    assert schedule_of(document).consecutive_failures == 0


def test_a_304_after_a_failed_extraction_still_records_the_version(server, time_machine):
    """The validators of a page whose text could not be recorded must not turn the
    next check into "not modified": that change would never be recorded."""
    url = server.route("/privacy", html(POLICY_V1, etag='"v1"'))
    document = document_fed_by((url, {"select": ["#not-there"]}))
    time_machine.move_to(at(1), tick=False)
    assert check(document).outcome == "failed"

    Source.objects.filter(document=document).update(extraction_rules={"select": ["h1", "p"]})
    time_machine.move_to(at(2), tick=False)
    result = check(document)

    assert server.requests[-1].headers.get("if-none-match") == '"v1"'  # the 304 is fine ...
    assert result.outcome == Check.Outcome.CHANGED  # ... the text is recorded anyway
    [version] = versions_of(document)
    assert "30 days" in version.text and version.captured_at == at(2)


def test_a_run_whose_lease_was_taken_over_writes_nothing(server, settings):
    document = document_fed_by(server.route("/privacy", html(POLICY_V1)))
    document_id, stale_token = document.pk, lease(document)
    CheckSchedule.objects.filter(document=document).update(lease_token="another-run")

    result = document_check(document_id=document_id, lease_token=stale_token)

    assert result.outcome == "skipped"
    assert checks_of(document) == [] and versions_of(document) == []
    assert server.hits("/privacy") == 0
    assert not SourceState.objects.filter(source__document=document).exists()
