"""Lineage ids and Change rows, as version_record writes them and rebuild_changes redoes them."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from governance.changes import METHOD, changes_rebuild, lineage_id_make
from governance.models import Change, ChangeFlag, Provision, Version
from governance.services import version_record
from tests.factories import DocumentFactory, at

POLICY = """# Privacy Policy

## What we collect

We collect your account information, such as your name and email address.

We collect the content of your conversations with the assistant.

## How long we keep it

We keep your conversations for 30 days after you delete them.

## Your choices

You can opt out of the use of your conversations for training in the settings.
"""

# Sections swapped, one clause edited, one added, one removed.
POLICY_NEXT = """# Privacy Policy

## Your choices

You can opt out of the use of your conversations for training in the settings.

## How long we keep it

We keep your conversations for 90 days after you delete them.

## Sharing

We share your information with our service providers.

## What we collect

We collect your account information, such as your name and email address.
"""


def lineage(version: Version) -> dict[str, str]:
    """First words of each provision -> its lineage id."""
    return {
        " ".join(p.text.split()[:4]): p.lineage_id
        for p in Provision.objects.filter(version=version).order_by("ordinal")
    }


@pytest.mark.django_db
class TestLineageOnRecord:
    def test_first_version_starts_one_lineage_per_clause(self):
        document = DocumentFactory()
        version = version_record(document=document, text=POLICY, captured_at=at(1)).version
        provisions = list(Provision.objects.filter(version=version).order_by("ordinal"))
        assert [p.lineage_id for p in provisions] == [
            lineage_id_make(chain_hash=version.chain_hash, ordinal=p.ordinal) for p in provisions
        ]
        assert len({p.lineage_id for p in provisions}) == len(provisions)
        assert all(len(p.lineage_id) == 20 for p in provisions)
        assert not Change.objects.filter(version=version).exists()

    def test_moved_and_edited_clauses_keep_their_lineage(self):
        document = DocumentFactory()
        first = version_record(document=document, text=POLICY, captured_at=at(1)).version
        second = version_record(document=document, text=POLICY_NEXT, captured_at=at(2)).version
        before, after = lineage(first), lineage(second)
        # Unchanged but moved, and edited (30 -> 90 days): same lineage.
        assert after["You can opt out"] == before["You can opt out"]
        assert after["We collect your account"] == before["We collect your account"]
        assert after["We keep your conversations"] == before["We keep your conversations"]
        # Added: a lineage of its own; removed: gone from the new version.
        assert after["We share your information"] not in before.values()
        assert before["We collect the content"] not in after.values()

    def test_a_change_counts_what_happened(self):
        document = DocumentFactory()
        version_record(document=document, text=POLICY, captured_at=at(1))
        second = version_record(document=document, text=POLICY_NEXT, captured_at=at(2)).version
        change = Change.objects.get(version=second)
        assert change.previous_id == second.previous_id
        assert change.document_id == document.pk
        assert change.captured_at == second.captured_at
        assert change.provisions_added == 1
        assert change.provisions_removed == 1
        # In the reordered text one kept clause stays in sequence, the other two moved
        # (the 30 -> 90 days one moved and was edited).
        assert change.provisions_moved == 2
        assert change.words_added >= 1 and change.words_removed >= 1
        assert change.method == METHOD
        assert change.title and len(change.title) <= 140
        assert change.significance in {"major", "minor", "editorial"}
        assert change.significance_rule
        assert change.no_summary_reason == ""

    def test_a_text_that_comes_back_is_a_new_version_with_a_change(self):
        document = DocumentFactory()
        version_record(document=document, text=POLICY, captured_at=at(1))
        version_record(document=document, text=POLICY_NEXT, captured_at=at(2))
        third = version_record(document=document, text=POLICY, captured_at=at(3)).version
        assert Change.objects.filter(document=document).count() == 2
        assert Change.objects.get(version=third).provisions_added == 1  # the clause removed in 2

    def test_technical_versions_get_counts_but_no_summary(self):
        document = DocumentFactory()
        version_record(document=document, text=POLICY, captured_at=at(1))
        technical = version_record(
            document=document, text=POLICY_NEXT, captured_at=at(2), is_technical=True
        ).version
        change = Change.objects.get(version=technical)
        assert change.is_technical
        assert change.title == "" and change.significance == ""
        assert "technical" in change.no_summary_reason
        assert change.provisions_added == 1
        assert not change.flags.exists()

    def test_suspect_captures_get_no_summary_and_say_why(self):
        document = DocumentFactory()
        version_record(document=document, text=POLICY, captured_at=at(1))
        broken = version_record(
            document=document, text="# Privacy Policy\n\nThis page isn't available.\n",
            captured_at=at(2),
        ).version
        assert any(flag.startswith("suspect") for flag in broken.anomalies)
        change = Change.objects.get(version=broken)
        assert change.title == "" and change.significance == ""
        assert change.no_summary_reason.startswith("suspect capture")
        assert change.provisions_removed >= 4

    def test_a_text_back_after_an_error_page_is_compared_with_the_last_good_one(self):
        document = DocumentFactory()
        good = version_record(document=document, text=POLICY, captured_at=at(1)).version
        broken = version_record(
            document=document, text="# Privacy Policy\n\nThis page isn't available.\n",
            captured_at=at(2),
        ).version
        back = version_record(document=document, text=POLICY_NEXT, captured_at=at(3)).version
        assert back.previous_id == broken.pk  # the history itself stays one line
        change = Change.objects.get(version=back)
        assert change.previous_id == good.pk
        # Not "the whole policy added": the same counts as POLICY -> POLICY_NEXT directly.
        assert (change.provisions_added, change.provisions_removed) == (1, 1)
        assert change.body.startswith("Compared with the version captured 2025-01-01")
        assert "broken (suspect)" in change.body
        # Lineage runs through: the clauses kept from the good version keep their ids.
        assert lineage(back)["You can opt out"] == lineage(good)["You can opt out"]
        # The broken capture itself is measured against the good one and not summarised.
        assert Change.objects.get(version=broken).previous_id == good.pk

    def test_a_second_broken_capture_is_judged_against_the_last_good_text(self):
        """Error page, then another broken page carrying the same banner: both suspect."""
        document = DocumentFactory()
        version_record(document=document, text=POLICY, captured_at=at(1))
        banner = "# This page isn't available\n\nAn unexpected error has occurred.\n"
        first = version_record(document=document, text=banner, captured_at=at(2)).version
        second = version_record(
            document=document, text=banner + "\nWe collect your account information.\n",
            captured_at=at(3),
        ).version
        assert any(flag.startswith("suspect") for flag in first.anomalies)
        assert any(flag.startswith("suspect") for flag in second.anomalies)
        assert "suspect capture" in Change.objects.get(version=second).no_summary_reason

    def test_a_change_after_good_versions_is_measured_against_its_predecessor(self):
        document = DocumentFactory()
        version_record(document=document, text=POLICY, captured_at=at(1))
        second = version_record(document=document, text=POLICY_NEXT, captured_at=at(2)).version
        change = Change.objects.get(version=second)
        assert change.previous_id == second.previous_id
        assert not change.body.startswith("Compared with")


@pytest.mark.django_db
class TestRebuild:
    def build(self):
        broken = "# Privacy Policy\n\nAccess denied.\n"
        document = DocumentFactory()
        for day, text in enumerate((POLICY, POLICY_NEXT, broken, POLICY), start=1):
            version_record(document=document, text=text, captured_at=at(day))
        return document

    def state(self, document):
        provisions = list(
            Provision.objects.filter(version__document=document)
            .order_by("version__captured_at", "ordinal")
            .values_list("version_id", "ordinal", "lineage_id")
        )
        changes = list(
            Change.objects.filter(document=document).order_by("captured_at").values(
                "version_id", "previous_id", "title", "body", "significance",
                "provisions_added", "provisions_removed", "provisions_modified",
                "provisions_moved", "words_added", "words_removed",
            )
        )
        flags = list(
            ChangeFlag.objects.filter(change__document=document)
            .order_by("change__captured_at", "position")
            .values_list("category", "subject", "direction", "lineage_id", "before", "after")
        )
        return provisions, changes, flags

    def test_a_second_run_writes_nothing(self):
        document = self.build()
        recorded = self.state(document)
        summary = changes_rebuild(documents=[document])
        assert summary.provisions_relinked == 0
        assert summary.changes_created == summary.changes_updated == 0
        assert summary.changes_unchanged == 3
        assert self.state(document) == recorded

    def test_it_restores_lost_lineage_and_changes(self):
        document = self.build()
        recorded = self.state(document)
        Provision.objects.filter(version__document=document).update(lineage_id="")
        Change.objects.filter(document=document).delete()
        summary = changes_rebuild(documents=[document])
        assert summary.changes_created == 3
        assert summary.provisions_relinked == len(recorded[0])
        assert self.state(document) == recorded

    def test_it_mends_a_change_made_by_another_algorithm(self):
        document = self.build()
        recorded = self.state(document)
        Change.objects.filter(document=document).update(title="stale", method="rules: old")
        out = StringIO()
        call_command("rebuild_changes", "--if-needed", stdout=out)
        assert "changes created 0, updated 3" in out.getvalue()
        assert self.state(document) == recorded
        assert set(Change.objects.filter(document=document).values_list("method", flat=True)) == {
            METHOD
        }

    def test_if_needed_skips_an_up_to_date_archive(self):
        self.build()
        out = StringIO()
        call_command("rebuild_changes", "--if-needed", stdout=out)
        assert "0 documents, 0 versions" in out.getvalue()

    def test_unknown_platform_is_an_error(self):
        with pytest.raises(CommandError, match="no platform named nope"):
            call_command("rebuild_changes", "--platform", "nope")

    def test_versions_are_never_touched(self):
        document = self.build()
        before = list(Version.objects.filter(document=document).values())
        Change.objects.filter(document=document).delete()
        changes_rebuild(documents=[document])
        assert list(Version.objects.filter(document=document).values()) == before
