"""What searching provisions needs (governance/search.py), on PostgreSQL only.

- ``governance_provision.search_vector``: a stored generated column,
  ``to_tsvector('english', text)``, with a GIN index: full-text search with
  ``websearch_to_tsquery`` (words, "quoted phrases", OR, -exclusions). Stored rather
  than an expression index because ranking reads the vector of every hit: parsing the
  text again at query time costs ~40 µs a row, some 700 ms for a common word over the
  demo corpus, against ~40 ms to read stored vectors.
- the ``pg_trgm`` extension and a GIN trigram index on ``text``: substring search
  (``ILIKE '%...%'``), used for Chinese and other CJK queries, which the English
  parser cannot split into words.

The model does not declare the column (the model is the same on every database and
PostgreSQL computes the value itself: Django never reads or writes it), so this is
plain SQL behind a vendor check; SQLite migrates with nothing to do and searches by
substring without an index. Consequences: the configuration ('english') must stay
the one ``governance.search`` queries with, and a later migration that changes the
type of ``Provision.text`` must drop the column first and add it back.

On the ~70k provisions of the demo corpus this takes ~10 s and locks provisions
meanwhile; inserts then compute the vector once per row (as an expression index
would). ``pg_trgm`` is a trusted extension (PostgreSQL 13+): the database owner may
create it. Reversing drops the column and indexes but keeps the extension.
"""

from django.db import migrations

VECTOR_COLUMN = "search_vector"
VECTOR_INDEX = "provision_search_vector_idx"
TRGM_INDEX = "provision_text_trgm_idx"


def _create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"ALTER TABLE governance_provision ADD COLUMN IF NOT EXISTS {VECTOR_COLUMN} tsvector "
        "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {VECTOR_INDEX} ON governance_provision "
        f"USING gin ({VECTOR_COLUMN})"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON governance_provision "
        "USING gin (text gin_trgm_ops)"
    )


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {VECTOR_INDEX}")
    schema_editor.execute(f"ALTER TABLE governance_provision DROP COLUMN IF EXISTS {VECTOR_COLUMN}")


class Migration(migrations.Migration):

    dependencies = [
        ("governance", "0006_changes_and_lineage"),
    ]

    operations = [
        migrations.RunPython(_create, _drop),
    ]
