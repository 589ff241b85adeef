"""Every user belongs to a partnership: a column, filled from the user's agency."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Partnership = apps.get_model("accounts", "Partnership")
    for user in User.objects.filter(partnership__isnull=True).select_related("agency"):
        if user.agency_id is not None:
            user.partnership_id = user.agency.partnership_id
        else:
            only = list(Partnership.objects.values_list("pk", flat=True)[:2])
            if len(only) != 1:
                raise RuntimeError(
                    f"User {user.pk} has no agency, so their partnership cannot be worked out: "
                    "give them an agency and migrate again."
                )
            user.partnership_id = only[0]
        user.save(update_fields=["partnership"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_user_is_system_account")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="partnership",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="users",
                to="accounts.partnership",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="user",
            name="partnership",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="users",
                to="accounts.partnership",
            ),
        ),
    ]
