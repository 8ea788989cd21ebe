"""Pages that change only in their noise never make a new version."""

import pytest

from governance.models import Source
from monitoring.services import document_check
from tests.factories import DocumentFactory
from tests.monitoring.conftest import Reply

pytestmark = pytest.mark.django_db

RULES = {
    "select": "main",
    "remove": [".cookie-banner", ".counter", ".render-info"],
    "drop_patterns": [r"^Updated \d+ (minutes|hours|days) ago$"],
}


def page(n: int, clause: str = "We keep your data for 30 days.") -> Reply:
    """The same policy wrapped in noise that differs on every fetch (n)."""
    return Reply(body=f"""<html><head><script nonce="n{n}">var rid="{n:08x}";</script></head>
<body><div class="cookie-banner">Consent id c{n:06d}. <button>Accept</button></div>
<main><h1>Privacy Policy</h1><p>Updated {n} hours ago</p>
<p>{clause} See <a href="https://example.com/rights?utm_source=s{n}&amp;rdt={n}">your
rights</a>.</p><div class="counter">{n * 7} people found this helpful</div>
<span class="render-info">Rendered at 2026-12-04T10:{n % 60:02d}:00Z, request {n:x}</span>
</main><footer>Request id {n * 31:x}</footer></body></html>""".encode())


@pytest.fixture
def document(fetch_settings):
    document = DocumentFactory(platform__slug="noisy-site")
    Source.objects.create(document=document, url=fetch_settings.url("/privacy"),
                          extraction_rules=RULES)
    return document


def test_noise_only_differences_never_make_a_version(document, fetch_settings):
    fetch_settings.route("/privacy", *(page(n) for n in range(1, 6)))
    outcomes = [document_check(document_id=document.pk, lease_token=None).outcome
                for _ in range(5)]
    assert outcomes == ["changed"] + ["unchanged"] * 4
    (version,) = document.versions.all()
    assert "utm_source" not in version.text and "rdt=" not in version.text
    assert "Consent id" not in version.text and "hours ago" not in version.text


def test_a_real_clause_change_among_the_noise_is_one_version(document, fetch_settings):
    longer = "We keep your data for 90 days."
    fetch_settings.route("/privacy", page(1), page(2), page(3, longer), page(4, longer))
    outcomes = [document_check(document_id=document.pk, lease_token=None).outcome
                for _ in range(4)]
    assert outcomes == ["changed", "unchanged", "changed", "unchanged"]
    latest = document.versions.order_by("-captured_at").first()
    assert "90 days" in latest.text
