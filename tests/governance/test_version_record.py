"""version_record: the one write path of the archive."""

import hashlib
import threading

import pytest
from django.db import connection

from governance import selectors
from governance.models import Provision, Version
from governance.services import VersionRejected, snapshot_store, version_record
from tests.factories import DocumentFactory, at

POLICY_A = """# Privacy Policy

Last updated: May 1, 2025

## What we collect

We collect your account information.

- Your name
- Your email address

## Training

We may use your conversations to train our models.
"""

POLICY_B = POLICY_A.replace("We may use", "We will not use")


def expected_chain_hash(previous, slug_kind, text_sha, snapshot_shas, captured_at):
    """ARCHITECTURE.md's definition, recomputed with the standard library alone."""
    lines = [
        previous or "0" * 64,
        slug_kind,
        text_sha,
        ",".join(snapshot_shas),
        captured_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
    ]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@pytest.mark.django_db
class TestVersionRecord:
    def test_first_text_creates_a_version_with_provisions_and_dates(self):
        document = DocumentFactory()
        result = version_record(document=document, text=POLICY_A, captured_at=at(1))
        version = result.version
        assert result.created and result.outcome == "created"
        assert version.previous is None
        assert version.origin == "check"
        assert version.language == "en"
        assert version.stated_last_updated.isoformat() == "2025-05-01"
        assert "May 1, 2025" in version.stated_last_updated_quote
        assert version.text_sha256 == hashlib.sha256(version.text.encode()).hexdigest()
        provisions = list(version.provisions.order_by("ordinal"))
        assert [p.ordinal for p in provisions] == list(range(len(provisions)))
        assert any("train our models" in p.text for p in provisions)
        training = next(p for p in provisions if "train" in p.text)
        assert training.heading_path == ["Privacy Policy", "Training"]
        assert training.sha256 == hashlib.sha256(training.text.encode()).hexdigest()

    def test_same_text_again_is_identical_not_new(self):
        document = DocumentFactory()
        first = version_record(document=document, text=POLICY_A, captured_at=at(1)).version
        # Whitespace-only differences normalise away.
        again = version_record(
            document=document, text=POLICY_A.replace("\n", "\r\n") + "\n\n", captured_at=at(2)
        )
        assert not again.created and again.outcome == "identical"
        assert again.version.pk == first.pk
        assert Version.objects.filter(document=document).count() == 1

    def test_a_text_may_come_back(self):
        document = DocumentFactory()
        texts = [POLICY_A, POLICY_B, POLICY_A]
        versions = [
            version_record(document=document, text=text, captured_at=at(day)).version
            for day, text in enumerate(texts, start=1)
        ]
        assert len({v.pk for v in versions}) == 3
        assert versions[2].previous_id == versions[1].pk
        assert versions[1].previous_id == versions[0].pk
        assert versions[0].text_sha256 == versions[2].text_sha256

    def test_chain_hash_follows_the_published_definition(self):
        document = DocumentFactory(platform__slug="acme-chat", kind="terms-of-service")
        snapshot = snapshot_store(
            content=b"<html>raw</html>", media_type="text/html", fetched_at=at(1)
        )
        first = version_record(
            document=document, text=POLICY_A, captured_at=at(1), snapshots=[snapshot]
        ).version
        second = version_record(document=document, text=POLICY_B, captured_at=at(2)).version
        assert first.chain_hash == expected_chain_hash(
            None, "acme-chat/terms-of-service", first.text_sha256, [snapshot.sha256], at(1)
        )
        assert second.chain_hash == expected_chain_hash(
            first.chain_hash, "acme-chat/terms-of-service", second.text_sha256, [], at(2)
        )

    def test_history_is_append_only(self):
        document = DocumentFactory()
        version_record(document=document, text=POLICY_A, captured_at=at(5))
        with pytest.raises(VersionRejected, match="not after the latest version"):
            version_record(document=document, text=POLICY_B, captured_at=at(4))
        assert Version.objects.filter(document=document).count() == 1

    @pytest.mark.parametrize("text", ["", "   \n\n \t", "\u200b"])
    def test_empty_text_is_rejected_and_nothing_written(self, text):
        document = DocumentFactory()
        with pytest.raises(VersionRejected, match="empty"):
            version_record(document=document, text=text, captured_at=at(1))
        assert not Version.objects.filter(document=document).exists()
        assert not Provision.objects.filter(version__document=document).exists()

    def test_chinese_text_is_detected_and_segmented(self):
        document = DocumentFactory()
        text = "# 用户协议\n\n更新日期：2022年4月26日\n\n一、总则\n\n本协议是您与百度之间的协议。\n"  # noqa: RUF001
        version = version_record(document=document, text=text, captured_at=at(1)).version
        assert version.language == "zh"
        assert version.stated_last_updated.isoformat() == "2022-04-26"
        assert version.provisions.filter(text__contains="本协议").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("with_root", [True, False], ids=["append", "first-version"])
def test_racing_writers_never_fork_the_history(monkeypatch, with_root):
    """Two writers read the same tail, then both append: one line, never a fork.

    Whoever loses the insert retries against the new tail: it appends after it, or,
    when its capture is older than the winner's, is refused (history is append-only).
    """
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers with IMMEDIATE transactions; no race to test")
    document = DocumentFactory()
    if with_root:
        version_record(document=document, text=POLICY_A, captured_at=at(1))
    barrier = threading.Barrier(2, timeout=10)
    original = selectors.version_latest
    waited = threading.local()

    def latest_then_meet(*, document):
        found = original(document=document)
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()
        return found

    monkeypatch.setattr("governance.services.version_latest", latest_then_meet)
    created, refused, errors = [], [], []

    def write(text, day):
        try:
            result = version_record(document=document, text=text, captured_at=at(day))
            created.append(result.created)
        except VersionRejected as exc:
            refused.append(exc.reason)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=write, args=(POLICY_B, 2)),
        threading.Thread(target=write, args=(POLICY_A + "\nA new clause.\n", 3)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert all(created) and len(created) >= 1
    assert all("append-only" in reason for reason in refused)
    versions = list(Version.objects.filter(document=document))
    assert len(versions) == int(with_root) + len(created)
    successors = [v.previous_id for v in versions]
    assert len(successors) == len(set(successors)), "two versions share a predecessor: a fork"
    chain = list(selectors.version_chain(document=document))
    assert len(chain) == len(versions)
