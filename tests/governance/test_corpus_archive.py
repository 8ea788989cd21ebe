"""The real corpus (Open Terms Archive GenAI Contrib, ODC-BY 1.0), imported once per session."""

import json
from collections import Counter

import pytest

from governance.models import Platform, Snapshot, Version
from governance.verification import archive_verify

pytestmark = [pytest.mark.django_db, pytest.mark.corpus]


def manifest_versions(corpus_dir):
    manifest = json.loads((corpus_dir / "manifest.json").read_text())
    return {v["file"]: v for doc in manifest for v in doc["versions"]}, manifest


def test_every_manifest_entry_is_accounted_for(imported_corpus, corpus_dir):
    files, _ = manifest_versions(corpus_dir)
    summary = imported_corpus
    assert summary.rejected == []
    assert summary.platforms_added == []  # every service is in the built-in catalogue
    assert summary.created + summary.identical == len(files)
    corpus_snapshots = Snapshot.objects.filter(dataset="OpenTermsArchive/genai-contrib-versions")
    assert corpus_snapshots.count() == len(files)
    for path, sha256 in corpus_snapshots.values_list("dataset_path", "sha256"):
        assert files[path]["sha256"] == sha256


def test_a_second_import_finds_everything_present(imported_corpus, corpus_dir):
    from governance.importing import history_import

    again = history_import(corpus_dir=corpus_dir)
    assert (again.created, again.identical, again.rejected) == (0, 0, [])
    assert again.already_present == imported_corpus.created + imported_corpus.identical


def test_the_out_of_order_re_extraction_is_flagged(imported_corpus):
    flagged = Version.objects.filter(anomalies__contains=["extraction-order"])
    labels = {(v.document.platform.slug, v.document.kind) for v in flagged}
    assert ("claude-ai", "acceptable-use-policy") in labels
    assert imported_corpus.anomalies == flagged.count()


def test_technical_versions_come_from_technical_upgrades(imported_corpus, corpus_dir):
    files, _ = manifest_versions(corpus_dir)
    for version in Version.objects.filter(is_technical=True).prefetch_related("snapshots"):
        (snapshot,) = version.snapshots.all()
        assert files[snapshot.dataset_path]["kind"] == "technical_upgrade"
    assert imported_corpus.technical == Version.objects.filter(is_technical=True).count()


def test_renamed_services_are_retired_with_successors(imported_corpus):
    successors = dict(
        Platform.objects.filter(retired_at__isnull=False).values_list("slug", "successor__slug")
    )
    assert successors == {"openai": "chatgpt", "xai": "grok", "mistral-ai": "le-chat"}


def test_languages_are_detected(imported_corpus):
    languages = Counter(
        Version.objects.values_list("document__platform__slug", "language")
    )
    assert languages[("wenxinyiyan", "zh")] == Version.objects.filter(
        document__platform__slug="wenxinyiyan"
    ).count()
    assert languages[("claude-ai", "en")] > 0


def test_the_imported_archive_verifies(imported_corpus):
    report = archive_verify()
    assert report.ok, report.broken[:3]
    assert report.versions == Version.objects.count()


def test_imported_suspect_captures_and_regional_switches_are_flagged(imported_corpus):
    def flags(platform, kind):
        return {
            v.captured_at.strftime("%Y-%m-%d"): v.anomalies
            for v in Version.objects.filter(document__platform__slug=platform,
                                            document__kind=kind)
        }

    copilot = flags("microsoft-copilot", "privacy-policy")
    assert any(a.startswith("suspect: shrank") for a in copilot["2026-02-20"])
    claude = flags("claude-ai", "terms-of-service")
    assert "jurisdiction-variant: UK → CH/EEA" in claude["2025-11-28"]
    llama = Version.objects.filter(document__platform__slug="llama-api",
                                   anomalies__icontains="error-page")
    assert llama.exists()


def test_every_version_after_the_first_has_its_change(imported_corpus):
    """Done means for issue 7: imported history gets changes too, one per version."""
    from governance.models import Change, Provision

    later = Version.objects.filter(previous__isnull=False)
    assert later.count() > 500
    assert not later.filter(change__isnull=True).exists()
    assert not Version.objects.filter(previous__isnull=True, change__isnull=False).exists()
    assert not Provision.objects.filter(lineage_id="").exists()
    summarised = Change.objects.filter(is_technical=False, no_summary_reason="")
    assert not summarised.filter(title="").exists()
    assert not summarised.filter(significance="").exists()
    # Technical versions and suspect captures say why they have no summary.
    assert not Change.objects.filter(is_technical=True, no_summary_reason="").exists()
    suspect = Change.objects.filter(version__anomalies__icontains="suspect")
    assert suspect.exists()
    assert not suspect.filter(no_summary_reason="").exists()


def test_lineage_follows_a_clause_through_the_corpus(imported_corpus):
    """Most clauses of a later version come from the one before it."""
    from governance.models import Provision

    version = (
        Version.objects.filter(
            document__platform__slug="chatgpt", document__kind="privacy-policy",
            previous__isnull=False, is_technical=False,
        ).order_by("-captured_at").first()
    )
    if version is None:
        pytest.skip("no chatgpt privacy policy history in this corpus")
    new = set(Provision.objects.filter(version=version).values_list("lineage_id", flat=True))
    old = set(
        Provision.objects.filter(version=version.previous).values_list("lineage_id", flat=True)
    )
    assert len(new & old) >= len(new) // 2


def test_rebuilding_the_whole_imported_archive_changes_nothing(imported_corpus):
    """rebuild_changes is idempotent on real history: what import recorded is what it gives."""
    from governance.changes import changes_rebuild
    from governance.models import Change, Document

    documents = Document.objects.filter(versions__origin="import").distinct()
    summary = changes_rebuild(documents=documents.select_related("platform"))
    assert summary.versions >= 577
    assert summary.provisions_relinked == 0
    assert summary.changes_created == summary.changes_updated == 0
    assert summary.changes_unchanged == Change.objects.filter(document__in=documents).count()
