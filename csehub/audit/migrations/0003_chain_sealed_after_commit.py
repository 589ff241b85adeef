"""Audit rows carry their partnership and child, a keyed hash, and are sealed after commit.

Existing rows are filled in (partnership from the actor, child from a child target) and sealed
again under the audit key, in their old order; the triggers then allow only the sealing update.
"""

import django.db.models.deletion
from django.db import migrations, models

from csehub.audit import triggers
from csehub.audit.chain import CONTENT_FIELDS, GENESIS, content_mac, seal_hash


def drop_triggers(apps, schema_editor):
    triggers.drop(schema_editor)


def create_triggers(apps, schema_editor):
    triggers.create(schema_editor)


def reseal(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    User = apps.get_model("accounts", "User")
    partnership_of = dict(User.objects.values_list("pk", "partnership_id"))
    prev_hash = GENESIS
    rows = list(AuditEvent.objects.order_by("sequence"))
    for sequence, event in enumerate(rows, start=1):
        event.partnership_id = partnership_of.get(event.actor_id)
        if event.target_type == "child" and event.target_id.isdigit():
            event.child_id = int(event.target_id)
        event.mac = content_mac({name: getattr(event, name) for name in CONTENT_FIELDS})
        event.sequence = sequence
        event.prev_hash = prev_hash
        event.hash = seal_hash(prev_hash=prev_hash, sequence=sequence, mac=event.mac)
        prev_hash = event.hash
    AuditEvent.objects.bulk_update(
        rows,
        ["partnership_id", "child_id", "mac", "sequence", "prev_hash", "hash"],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_triggers"),
        ("accounts", "0004_user_partnership"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, create_triggers, elidable=False),
        migrations.AlterModelOptions(name="auditevent", options={"ordering": ["-id"]}),
        migrations.AddField(
            model_name="auditevent",
            name="partnership",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="accounts.partnership",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="child_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="mac",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(blank=True, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.RunPython(reseal, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["partnership", "-id"], name="audit_partnership_newest"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["child_id", "-id"], name="audit_child_newest"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("sequence__isnull", True)),
                fields=["id"],
                name="audit_unsealed",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
