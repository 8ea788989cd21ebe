"""A capture that looks broken is kept as evidence but held until a recheck confirms it."""

from datetime import timedelta

import pytest

from governance.models import Document, Source
from monitoring.models import Check, CheckSchedule
from monitoring.services import document_check
from tests.factories import DocumentFactory
from tests.monitoring.conftest import html

pytestmark = pytest.mark.django_db

POLICY = "<main><h1>Privacy</h1>" + "<p>We explain what we collect and why.</p>" * 30 + "</main>"
BROKEN = "<main><h1>This page isn’t available</h1><p>Try again later.</p></main>"  # noqa: RUF001


@pytest.fixture
def document(fetch_settings) -> Document:
    document = DocumentFactory(platform__slug="suspect-site")
    Source.objects.create(document=document, url=fetch_settings.url("/privacy"),
                          extraction_rules={"select": "main"})
    return document


def check(document):
    return document_check(document_id=document.pk, lease_token=None)


def test_a_broken_capture_is_held_then_confirmed_by_the_recheck(document, fetch_settings):
    fetch_settings.route("/privacy", html(POLICY), html(BROKEN), html(BROKEN))
    assert check(document).outcome == "changed"
    held = check(document)
    assert held.outcome == "suspect"
    assert "held for a recheck" in held.detail and "error-page" in held.detail
    assert document.versions.count() == 1  # not the document's text yet
    assert held.check.snapshots.count() == 1  # but kept as evidence
    schedule = CheckSchedule.objects.get(document=document)
    assert schedule.next_check_at - schedule.last_checked_at <= timedelta(minutes=15)
    confirmed = check(document)
    assert confirmed.outcome == "changed"
    latest = document.versions.order_by("-captured_at").first()
    assert any(flag.startswith("suspect: error-page") for flag in latest.anomalies)


def test_a_glitch_that_goes_away_leaves_no_version(document, fetch_settings):
    fetch_settings.route("/privacy", html(POLICY), html(BROKEN), html(POLICY))
    check(document)
    assert check(document).outcome == "suspect"
    assert check(document).outcome == "unchanged"
    assert document.versions.count() == 1
    assert CheckSchedule.objects.get(document=document).suspect_text_sha256 == ""
    assert list(Check.objects.filter(document=document).values_list("outcome", flat=True)
                .order_by("started_at")) == ["changed", "suspect", "unchanged"]


def test_a_page_losing_most_of_its_text_is_held(document, fetch_settings):
    fetch_settings.route("/privacy", html(POLICY), html("<main><h1>Privacy</h1></main>"))
    check(document)
    held = check(document)
    assert held.outcome == "suspect" and "shrank" in held.detail


def test_a_second_broken_page_after_a_confirmed_one_is_held_too(document, fetch_settings):
    """The banner is judged against the last good text, not against the first error page."""
    other_broken = BROKEN.replace("Try again later.", "An unexpected error has occurred.")
    fetch_settings.route(
        "/privacy", html(POLICY), html(BROKEN), html(BROKEN), html(other_broken)
    )
    check(document)
    assert check(document).outcome == "suspect"
    assert check(document).outcome == "changed"  # confirmed: now a (flagged) version
    held = check(document)
    assert held.outcome == "suspect" and "error-page" in held.detail
    assert document.versions.count() == 2
