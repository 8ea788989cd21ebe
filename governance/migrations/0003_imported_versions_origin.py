"""Versions imported before Version.origin existed came from a dataset: mark them so."""

from django.db import migrations


def mark_imported(apps, schema_editor):
    Version = apps.get_model("governance", "Version")
    Version.objects.filter(versionsnapshot__snapshot__dataset__gt="").update(origin="import")


class Migration(migrations.Migration):
    dependencies = [("governance", "0002_version_origin")]

    operations = [migrations.RunPython(mark_imported, migrations.RunPython.noop)]
