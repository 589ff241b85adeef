"""Record how this database was made: in demo mode (demo settings) or live."""

from django.conf import settings
from django.db import migrations


def record(apps, schema_editor):
    Installation = apps.get_model("operations", "Installation")
    mode = "demo" if getattr(settings, "CSEHUB_DEMO_MODE", False) else "live"
    Installation.objects.get_or_create(pk=1, defaults={"mode": mode})


class Migration(migrations.Migration):
    dependencies = [("operations", "0001_installation")]

    operations = [migrations.RunPython(record, migrations.RunPython.noop, elidable=False)]
