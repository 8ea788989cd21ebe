"""The trigram index only over provisions that hold CJK characters (PostgreSQL only).

Substring search (governance/search.py) runs only for queries holding CJK characters;
a provision without any cannot match them, so indexing every provision's trigrams (the
full index of 0007) cost each insert for nothing: on the demo corpus, inserting all
~70k provisions took 8.5 s with it and 3.2 s without. The predicate is the same regex
text the search adds to its CJK conditions (``governance.search_query.CJK_CLASS``,
checked equal by tests/governance/test_search_migration.py), which is what lets the
planner use the index.
"""

from django.db import migrations

OLD_INDEX = "provision_text_trgm_idx"
INDEX = "provision_text_cjk_trgm_idx"
CJK_CLASS = (
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\U00020000-\U0002fa1f]"
)


def _partial(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON governance_provision "
        f"USING gin (text gin_trgm_ops) WHERE text ~ '{CJK_CLASS}'"
    )


def _full(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON governance_provision "
        "USING gin (text gin_trgm_ops)"
    )


class Migration(migrations.Migration):

    dependencies = [
        ("governance", "0007_provision_search_indexes"),
    ]

    operations = [
        migrations.RunPython(_partial, _full),
    ]
