from django.db import migrations

from csehub.disclosures import triggers


def forwards(apps, schema_editor):
    triggers.create(schema_editor)


def backwards(apps, schema_editor):
    triggers.drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
