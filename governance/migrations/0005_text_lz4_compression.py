"""Texts of versions and provisions compressed with LZ4 rather than pglz (PostgreSQL 14+).

Only how PostgreSQL compresses long values on disk (TOAST) changes: what is stored
and read back is byte for byte the same. LZ4 compresses a policy text about three
times faster than pglz (the import writes hundreds of them) and decompresses it
faster for every read. Values already stored keep pglz until rewritten; both read
the same. Nothing happens on SQLite, on PostgreSQL before 14, or on a server built
without LZ4.
"""

from django.db import migrations

_COLUMNS = (("governance_version", "text"), ("governance_provision", "text"))


def _lz4_available(schema_editor) -> bool:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def _set_compression(method):
    def operation(apps, schema_editor):
        if not _lz4_available(schema_editor):
            return
        quote = schema_editor.quote_name
        for table, column in _COLUMNS:
            schema_editor.execute(
                f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column)} SET COMPRESSION {method}"
            )

    return operation


class Migration(migrations.Migration):

    dependencies = [
        ("governance", "0004_extraction_rule_sets"),
    ]

    operations = [
        migrations.RunPython(_set_compression("lz4"), _set_compression("pglz"), elidable=True),
    ]
