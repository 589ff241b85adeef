"""How this database was made: a demo database may hold the demo users; a live one never."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class InstallationMode(models.TextChoices):
    DEMO = "demo", "Demo (fictional data, published passwords)"
    LIVE = "live", "Live"


class Installation(models.Model):
    """One row, written when the database is first migrated, from the settings of that day.

    The demo loader reads it: the demo users' password is printed in the README, so they are
    only ever loaded into a database that was made in demo mode.
    """

    mode = models.CharField(max_length=8, choices=InstallationMode.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="installation_single_row"),
            models.CheckConstraint(
                condition=models.Q(mode__in=InstallationMode.values),
                name="installation_mode_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} database made {self.created_at:%Y-%m-%d}"
