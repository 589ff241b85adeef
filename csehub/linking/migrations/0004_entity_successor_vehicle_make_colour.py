import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("linking", "0003_indexedmention_lookup_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="entity",
            name="successor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="linking.entity",
            ),
        ),
        migrations.AddField(
            model_name="entity",
            name="emptied_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="indexedmention",
            name="make",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name="indexedmention",
            name="colour",
            field=models.CharField(blank=True, max_length=50),
        ),
        migrations.RemoveConstraint(
            model_name="linksuggestion",
            name="link_suggestion_status_valid",
        ),
        migrations.AlterField(
            model_name="linksuggestion",
            name="status",
            field=models.CharField(
                choices=[
                    ("suggested", "Possibly the same"),
                    ("resolved", "Resolved by the engine"),
                    ("confirmed", "Confirmed"),
                    ("rejected", "Rejected"),
                ],
                default="suggested",
                max_length=16,
            ),
        ),
        *(
            migrations.AlterField(
                model_name="analystdecision",
                name=name,
                field=models.CharField(
                    blank=True,
                    choices=[
                        ("suggested", "Possibly the same"),
                        ("resolved", "Resolved by the engine"),
                        ("confirmed", "Confirmed"),
                        ("rejected", "Rejected"),
                    ],
                    max_length=16,
                ),
            )
            for name in ("suggestion_status_before", "suggestion_status_after")
        ),
        migrations.AddConstraint(
            model_name="linksuggestion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status__in", ["suggested", "resolved", "confirmed", "rejected"])
                ),
                name="link_suggestion_status_valid",
            ),
        ),
    ]
