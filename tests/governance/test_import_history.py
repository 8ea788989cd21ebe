"""manage.py import_history on small hand-made datasets and on the real corpus."""

import hashlib
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from governance.importing import EXTRACTION_ORDER_ANOMALY, history_import
from governance.models import Document, Platform, Snapshot, Source, Version
from governance.selectors import snapshot_read

DATASET = "Example/versions"
V1 = "# Terms\n\nLast updated: January 2, 2024\n\nYou may use the service.\n"
V2 = "# Terms\n\nLast updated: March 1, 2024\n\nYou may not use the service.\n"


def version_entry(file, recorded_at, content, kind="change", index=0):
    return {
        "file": file,
        "recorded_at": recorded_at,
        "sha256": hashlib.sha256(content).hexdigest(),
        "commit": hashlib.sha1(file.encode()).hexdigest(),  # noqa: S324 - a fake commit id
        "kind": kind,
        "source_index": index,
        "bytes": len(content),
    }


def write_dataset(root: Path, documents: dict[tuple[str, str], list[tuple]]) -> Path:
    """documents: (service, kind) -> [(recorded_at, text, kind, source_index), ...]"""
    manifest = []
    for (service, kind), versions in documents.items():
        entries = []
        for recorded_at, text, version_kind, index in versions:
            file = f"{service}/{kind}/{recorded_at.replace(':', '-')}.md"
            content = text.encode()
            (root / file).parent.mkdir(parents=True, exist_ok=True)
            (root / file).write_bytes(content)
            entries.append(version_entry(file, recorded_at, content, version_kind, index))
        manifest.append(
            {
                "service": service,
                "service_name": service.title(),
                "document_type": kind.replace("-", " ").title(),
                "document_type_slug": kind,
                "source_url": f"https://{service}.example/{kind}",
                "source_urls": [f"https://{service}.example/{kind}"],
                "source_url_history": [
                    {"urls": [f"https://old.{service}.example/{kind}"],
                     "valid_until": "2024-02-01T00:00:00Z"}
                ],
                "source_repository": DATASET,
                "versions": entries,
            }
        )
    (root / "manifest.json").write_text(json.dumps(manifest))
    return root


@pytest.fixture
def dataset(tmp_path):
    return write_dataset(
        tmp_path,
        {
            ("test-svc-a", "terms-of-service"): [
                ("2024-01-02T10:00:00Z", V1, "first_record", 0),
                ("2024-01-09T10:00:00Z", V1 + "\n", "change", 1),  # same text once normalised
                ("2024-03-01T10:00:00Z", V2, "change", 3),
                ("2024-03-05T10:00:00Z", V2 + "\nNew footer.\n", "technical_upgrade", 2),
            ],
            ("test-svc-b", "privacy-policy"): [
                ("2024-01-05T10:00:00Z", "# Privacy\n\nWe keep data 30 days.\n", "first_record", 0),
            ],
        },
    )


@pytest.mark.django_db
class TestHistoryImport:
    def test_imports_versions_identical_technical_and_anomalies(self, dataset):
        summary = history_import(corpus_dir=dataset)
        assert (summary.created, summary.identical, summary.already_present) == (4, 1, 0)
        assert (summary.technical, summary.anomalies, summary.rejected) == (1, 1, [])
        document = Document.objects.get(platform__slug="test-svc-a", kind="terms-of-service")
        versions = list(document.versions.order_by("captured_at"))
        assert [v.captured_at.isoformat() for v in versions] == [
            "2024-01-02T10:00:00+00:00", "2024-03-01T10:00:00+00:00", "2024-03-05T10:00:00+00:00"
        ]
        assert [v.is_technical for v in versions] == [False, False, True]
        assert versions[2].anomalies == [EXTRACTION_ORDER_ANOMALY]
        assert all(v.previous_seen_at is None for v in versions)
        assert {v.origin for v in versions} == {"import"}  # imported history never alerts
        assert versions[1].stated_last_updated.isoformat() == "2024-03-01"

    def test_every_file_is_a_snapshot_with_provenance(self, dataset):
        history_import(corpus_dir=dataset)
        manifest = json.loads((dataset / "manifest.json").read_text())
        files = {v["file"]: v for doc in manifest for v in doc["versions"]}
        snapshots = Snapshot.objects.filter(dataset=DATASET)
        assert {s.dataset_path for s in snapshots} == set(files)
        for snapshot in snapshots:
            entry = files[snapshot.dataset_path]
            assert snapshot.sha256 == entry["sha256"]
            assert snapshot.dataset_commit == entry["commit"]
            assert snapshot.media_type == "text/markdown"
            assert hashlib.sha256(snapshot_read(snapshot=snapshot)).hexdigest() == entry["sha256"]
        first = Version.objects.get(captured_at="2024-01-02T10:00:00Z")
        assert [s.dataset_path for s in first.snapshots.all()] == [
            "test-svc-a/terms-of-service/2024-01-02T10-00-00Z.md"
        ]

    def test_second_run_creates_nothing(self, dataset):
        history_import(corpus_dir=dataset)
        counts = (Version.objects.count(), Snapshot.objects.count(), Source.objects.count())
        again = history_import(corpus_dir=dataset)
        assert (again.created, again.identical, again.already_present) == (0, 0, 5)
        assert (Version.objects.count(), Snapshot.objects.count(), Source.objects.count()) == counts

    def test_sources_keep_their_validity_periods(self, dataset):
        history_import(corpus_dir=dataset)
        sources = Source.objects.filter(document__platform__slug="test-svc-b")
        periods = sorted((s.url, s.valid_until is None) for s in sources)
        assert periods == [
            ("https://old.test-svc-b.example/privacy-policy", False),
            ("https://test-svc-b.example/privacy-policy", True),
        ]

    def test_unknown_platforms_are_added_and_reported(self, dataset):
        summary = history_import(corpus_dir=dataset)
        assert sorted(summary.platforms_added) == ["test-svc-a", "test-svc-b"]
        assert Platform.objects.get(slug="test-svc-a").provider is None

    def test_a_hash_mismatch_rejects_the_whole_document_only(self, dataset):
        target = dataset / "test-svc-a/terms-of-service/2024-03-01T10-00-00Z.md"
        target.write_bytes(target.read_bytes().replace(b"not", b"NOT"))
        summary = history_import(corpus_dir=dataset)
        assert summary.created == 1  # test-svc-b only
        assert len(summary.rejected) == 1
        label, reason = summary.rejected[0]
        assert label == "test-svc-a/terms-of-service"
        assert "2024-03-01T10-00-00Z.md: sha256" in reason and "does not match" in reason
        assert not Version.objects.filter(document__platform__slug="test-svc-a").exists()
        assert not Snapshot.objects.filter(dataset_path__startswith="test-svc-a/").exists()

    def test_a_missing_file_is_reported_per_file(self, dataset):
        (dataset / "test-svc-b/privacy-policy/2024-01-05T10-00-00Z.md").unlink()
        summary = history_import(corpus_dir=dataset)
        assert summary.rejected[0][0] == "test-svc-b/privacy-policy"
        assert "cannot be read" in summary.rejected[0][1]

    def test_a_malformed_entry_is_rejected_and_the_rest_imported(self, dataset):
        manifest = json.loads((dataset / "manifest.json").read_text())
        manifest[1]["versions"][0]["sha256"] = "not-a-hash"
        manifest.append({"service": "broken"})
        manifest.append("not an object")
        (dataset / "manifest.json").write_text(json.dumps(manifest))
        summary = history_import(corpus_dir=dataset)
        reasons = dict(summary.rejected)
        assert "64 hex digits" in reasons["test-svc-b/privacy-policy"]
        assert "malformed manifest entry" in reasons["entry 3"]
        assert summary.created == 3

    def test_a_file_path_escaping_the_dataset_is_refused(self, dataset):
        manifest = json.loads((dataset / "manifest.json").read_text())
        manifest[1]["versions"][0]["file"] = "../../etc/passwd"
        (dataset / "manifest.json").write_text(json.dumps(manifest))
        reasons = dict(history_import(corpus_dir=dataset).rejected)
        assert "outside the dataset" in reasons["test-svc-b/privacy-policy"]


@pytest.mark.django_db
class TestImportHistoryCommand:
    def test_prints_attribution_and_a_one_line_summary(self, dataset):
        out = StringIO()
        call_command("import_history", str(dataset), "--no-progress", stdout=out)
        lines = out.getvalue().strip().splitlines()
        assert "ODC-BY 1.0" in lines[0]
        assert lines[-1] == (
            "created 4 (technical 1, extraction-order anomalies 1), identical 1, "
            "already present 0, rejected 0"
        )

    @pytest.mark.parametrize(
        ("content", "message"),
        [(None, "no manifest"), ("{not json", "not readable JSON"), ("{}", "JSON array")],
    )
    def test_an_unreadable_manifest_is_a_clear_error(self, tmp_path, content, message):
        if content is not None:
            (tmp_path / "manifest.json").write_text(content)
        before = Version.objects.count()
        with pytest.raises(CommandError, match=message):
            call_command("import_history", str(tmp_path), "--no-progress", stdout=StringIO())
        assert Version.objects.count() == before

    def test_rejections_make_the_command_fail_after_importing_the_rest(self, dataset):
        (dataset / "test-svc-b/privacy-policy/2024-01-05T10-00-00Z.md").write_bytes(b"changed")
        out = StringIO()
        with pytest.raises(CommandError, match="1 item"):
            call_command("import_history", str(dataset), "--no-progress", stdout=out)
        assert "rejected 1: test-svc-b/privacy-policy:" in out.getvalue()
        assert Version.objects.filter(document__platform__slug="test-svc-a").count() == 3


@pytest.mark.django_db
def test_a_document_rejected_midway_counts_as_rejected_only(tmp_path):
    """Versions counted before the rejection were rolled back with the document."""
    dataset = write_dataset(
        tmp_path,
        {
            ("test-svc-a", "terms-of-service"): [
                ("2024-01-02T10:00:00Z", V1, "first_record", 0),
                ("2024-03-01T10:00:00Z", V2, "change", 1),
                ("2024-03-05T10:00:00Z", " \n\t\n", "change", 2),  # empty once normalised
            ],
            ("test-svc-b", "privacy-policy"): [
                ("2024-01-05T10:00:00Z", "# Privacy\n\nWe keep data 30 days.\n", "first_record", 0),
            ],
        },
    )
    summary = history_import(corpus_dir=dataset)
    assert (summary.created, summary.identical, summary.platforms_added) == (1, 0, ["test-svc-b"])
    assert [label for label, _ in summary.rejected] == ["test-svc-a/terms-of-service"]
    assert not Version.objects.filter(document__platform__slug="test-svc-a").exists()


# Workers only see committed rows: these tests commit (and the database is emptied after).
# The live server some API tests start is a thread of this process, idle in select():
# Python warns about any fork beside a thread; the import itself starts none before forking.
@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
class TestParallelImport:
    def test_workers_import_what_one_process_would(self, dataset):
        from governance.verification import archive_verify

        summary = history_import(corpus_dir=dataset, workers=2)
        assert (summary.created, summary.identical, summary.already_present) == (4, 1, 0)
        assert (summary.technical, summary.anomalies, summary.rejected) == (1, 1, [])
        assert sorted(summary.platforms_added) == ["test-svc-a", "test-svc-b"]
        assert summary.workers_peak_rss_kib > 0
        # Counted by platform: the session's corpus import may share the database.
        mine = Version.objects.filter(document__platform__slug__in=["test-svc-a", "test-svc-b"])
        assert mine.count() == 4
        assert Snapshot.objects.filter(dataset=DATASET).count() == 5
        assert archive_verify(platform_slugs=["test-svc-a", "test-svc-b"]).ok
        again = history_import(corpus_dir=dataset, workers=2)
        assert (again.created, again.identical, again.already_present) == (0, 0, 5)
        assert mine.count() == 4

    def test_a_rejected_document_leaves_the_others_imported(self, dataset):
        target = dataset / "test-svc-a/terms-of-service/2024-03-01T10-00-00Z.md"
        target.write_bytes(target.read_bytes().replace(b"not", b"NOT"))
        summary = history_import(corpus_dir=dataset, workers=2)
        assert summary.created == 1
        assert [label for label, _ in summary.rejected] == ["test-svc-a/terms-of-service"]
        assert not Version.objects.filter(document__platform__slug="test-svc-a").exists()
