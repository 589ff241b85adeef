from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="child",
            index=models.Index(
                fields=["partnership", "family_name", "given_name", "id"], name="child_list_order"
            ),
        ),
    ]
