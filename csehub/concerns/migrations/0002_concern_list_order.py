from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("concerns", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="concern",
            index=models.Index(fields=["-created_at", "-id"], name="concern_list_order"),
        ),
    ]
