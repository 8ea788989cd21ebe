"""manage.py check_document PLATFORM KIND: check one document now and say what happened."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.monitoring.conftest import Reply, html
from tests.monitoring.helpers import POLICY_V1, document_fed_by, versions_of

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("check_document", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_outcome_and_the_new_version(fetch_settings):
    document = document_fed_by(fetch_settings.route("/privacy", html(POLICY_V1)))
    name = f"{document.platform.slug}/{document.kind}"

    first = run(document.platform.slug, document.kind)
    [version] = versions_of(document)
    assert first.startswith(f"{name}: changed: new version recorded (")
    assert f"{len(html(POLICY_V1).body)} bytes); version {version.pk}" in first

    again = run(document.platform.slug, document.kind)
    assert again.startswith(f"{name}: unchanged: same text as the latest version (")
    assert "; version" not in again


def test_an_unknown_document_is_a_clear_error():
    with pytest.raises(CommandError, match="no document no-such-platform/privacy-policy"):
        run("no-such-platform", "privacy-policy")


def test_a_permanent_failure_is_an_error_with_its_reason(fetch_settings):
    url = fetch_settings.route(
        "/privacy", Reply(status=404, body=b"Page not found\n", content_type="text/plain")
    )
    document = document_fed_by(url)
    with pytest.raises(CommandError, match=r": failed: .*HTTP 404: Page not found"):
        run(document.platform.slug, document.kind)


def test_a_transient_failure_says_to_try_again(fetch_settings):
    url = fetch_settings.route(
        "/privacy", Reply(status=503, body=b"Maintenance\n", content_type="text/plain")
    )
    document = document_fed_by(url)
    with pytest.raises(CommandError, match=r"HTTP 503: Maintenance \(temporary; try again\)"):
        run(document.platform.slug, document.kind)
