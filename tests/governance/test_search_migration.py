"""The partial trigram index and the search must name the same CJK class."""

import importlib

import pytest
from django.db import connection

from governance.search_query import CJK_CLASS, has_cjk


def test_the_index_predicate_is_the_class_the_search_uses():
    migration = importlib.import_module("governance.migrations.0008_partial_trigram_index")
    assert migration.CJK_CLASS == CJK_CLASS


def test_cjk_detection():
    assert has_cjk("个人信息") and has_cjk("データ") and has_cjk("개인정보")
    assert not has_cjk("personal data, données personnelles")


@pytest.mark.django_db
def test_chinese_queries_use_the_partial_index_when_it_pays():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL index")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql = "EXPLAIN SELECT id FROM governance_provision p WHERE p.text ~ %s AND p.text LIKE %s"
        # The regex inlined as the search does (a constant: the planner must see it).
        cursor.execute(sql.replace("~ %s", f"~ '{CJK_CLASS}'", 1), ["%个人信息%"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "provision_text_cjk_trgm_idx" in plan
