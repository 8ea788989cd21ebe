"""Versioned extraction rules and manage.py reextract: technical versions, never rewrites."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from governance.models import ExtractionRuleSet, Version
from governance.reextraction import source_rules_at, source_rules_set
from governance.services import snapshot_store, version_record
from governance.text import ExtractionError
from tests.factories import DocumentFactory, SourceFactory, at

pytestmark = pytest.mark.django_db

PAGE = (
    b"<html><body><nav>Menu</nav><main><h1>Privacy</h1><p>We keep data 30 days.</p>"
    b'<div class="banner">Accept cookies? id=8f3a</div></main></body></html>'
)


@pytest.fixture
def document():
    document = DocumentFactory(platform__slug="rules-test")
    source = SourceFactory(document=document, url="https://rules.example/privacy",
                           extraction_rules={"select": ["main"]})
    snapshot = snapshot_store(content=PAGE, media_type="text/html", fetched_at=at(1),
                              url=source.url, http_status=200)
    from governance.text import ExtractionRules, extract

    text = extract(PAGE, "text/html", rules=ExtractionRules.from_json(source.extraction_rules))
    version_record(document=document, text=text, captured_at=at(1), snapshots=[snapshot])
    return document


def reextract(document) -> str:
    out = StringIO()
    call_command("reextract", document.platform.slug, document.kind, stdout=out)
    return out.getvalue()


def test_rules_keep_their_history(document):
    source = document.sources.get()
    source_rules_set(source=source, rules={"select": "main"}, valid_from=at(1))
    source_rules_set(source=source, rules={"select": "main", "remove": ".banner"},
                     valid_from=at(5), note="drop the cookie banner")
    source.refresh_from_db()
    assert source.extraction_rules == {"select": ["main"], "remove": [".banner"]}
    assert source_rules_at(source=source, moment=at(3)) == {"select": ["main"], "remove": []}
    assert source_rules_at(source=source, moment=at(6))["remove"] == [".banner"]
    assert ExtractionRuleSet.objects.filter(source=source).count() == 2


def test_bad_rules_are_refused_before_they_are_stored(document):
    with pytest.raises(ExtractionError, match="invalid CSS selector"):
        source_rules_set(source=document.sources.get(), rules={"select": "main[["})
    assert not ExtractionRuleSet.objects.exists()


def test_reextract_with_better_rules_appends_one_technical_version(document):
    first = document.versions.get()
    assert "Accept cookies" in first.text
    source_rules_set(source=document.sources.get(), rules={"select": "main", "remove": ".banner"})
    assert "technical version" in reextract(document)
    versions = list(document.versions.order_by("captured_at"))
    assert len(versions) == 2
    assert versions[1].is_technical and versions[1].previous_id == first.pk
    assert "Accept cookies" not in versions[1].text
    assert [s.pk for s in versions[1].snapshots.all()] == [s.pk for s in first.snapshots.all()]
    first.refresh_from_db()
    assert "Accept cookies" in first.text  # the past is never rewritten
    assert "nothing appended" in reextract(document)
    assert document.versions.count() == 2


def test_reextract_errors_are_clear():
    with pytest.raises(CommandError, match="no document nope/privacy-policy"):
        call_command("reextract", "nope", "privacy-policy", stdout=StringIO())
    empty = DocumentFactory(platform__slug="empty-doc")
    with pytest.raises(CommandError, match="has no version yet"):
        call_command("reextract", "empty-doc", empty.kind, stdout=StringIO())


def test_technical_versions_are_marked(document):
    source_rules_set(source=document.sources.get(), rules={"select": "main", "remove": ".banner"})
    reextract(document)
    assert Version.objects.filter(document=document, is_technical=True).count() == 1
