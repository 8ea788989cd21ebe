"""Provisions kept in memory between the versions an importer records in a row.

What version_record computes from them must be what it computes from the rows read
back: the same lineage ids and changes (a rebuild, which reads the rows, finds nothing
to redo), without reading the rows.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.changes import changes_rebuild
from governance.models import Change, Provision
from governance.provisions import (
    StoredProvisions,
    provisions_of,
    provisions_remember,
    provisions_remembered,
    provisions_stored,
)
from governance.services import version_record
from tests.factories import DocumentFactory, at
from tests.governance.test_changes import POLICY, POLICY_NEXT

POLICY_THIRD = POLICY_NEXT.replace("90 days", "60 days").replace(
    "service providers", "service providers and affiliates"
)


def provision_reads(queries) -> list[str]:
    return [
        q["sql"] for q in queries
        if q["sql"].lstrip().upper().startswith("SELECT") and "governance_provision" in q["sql"]
    ]


@pytest.mark.django_db
class TestProvisionsRemembered:
    def test_same_lineage_and_changes_as_read_back_without_reading_them(self):
        document = DocumentFactory()
        with provisions_remembered():
            version_record(document=document, text=POLICY, captured_at=at(1))
            with CaptureQueriesContext(connection) as queries:
                version_record(document=document, text=POLICY_NEXT, captured_at=at(2))
                version_record(document=document, text=POLICY_THIRD, captured_at=at(3))
        assert provision_reads(queries.captured_queries) == []
        assert Change.objects.filter(document=document).count() == 2
        summary = changes_rebuild(documents=[document])
        assert summary.provisions_relinked == 0
        assert summary.changes_unchanged == 2
        assert summary.changes_created == summary.changes_updated == 0

    def test_outside_the_block_the_rows_are_read(self):
        document = DocumentFactory()
        version_record(document=document, text=POLICY, captured_at=at(1))
        with CaptureQueriesContext(connection) as queries:
            version_record(document=document, text=POLICY_NEXT, captured_at=at(2))
        assert len(provision_reads(queries.captured_queries)) == 1

    def test_remembered_equals_stored(self):
        document = DocumentFactory()
        with provisions_remembered():
            version = version_record(document=document, text=POLICY, captured_at=at(1)).version
            remembered = provisions_of(version_id=version.pk, chain_hash=version.chain_hash)
        assert remembered == provisions_stored(version_id=version.pk)
        assert remembered.lineage_ids == list(
            Provision.objects.filter(version=version).order_by("ordinal")
            .values_list("lineage_id", flat=True)
        )

    def test_another_chain_hash_or_none_reads_the_rows(self):
        document = DocumentFactory()
        version = version_record(document=document, text=POLICY, captured_at=at(1)).version
        stale = StoredProvisions(segments=[], lineage_ids=[])
        with provisions_remembered():
            provisions_remember(version=version, provisions=stale)
            assert provisions_of(version_id=version.pk, chain_hash=version.chain_hash) == stale
            for chain_hash in ("0" * 64, None):
                read = provisions_of(version_id=version.pk, chain_hash=chain_hash)
                assert read == provisions_stored(version_id=version.pk) != stale
