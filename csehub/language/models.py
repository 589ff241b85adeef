"""Counts of language guidance shown to users, and what they did about it.

Only counts are kept: never the text that was checked, never the child it was about. A row is
one day, one agency, one phrase and one form field.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from csehub.accounts.models import Agency


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", "Wording changed"
    IGNORED = "ignored", "Wording kept"


class LanguageFeedback(models.Model):
    day = models.DateField()
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    phrase_code = models.CharField(max_length=64)
    # Which form field the guidance was shown on, e.g. "concerns.concern.what_was_seen".
    field_key = models.CharField(max_length=100)
    shown_count = models.PositiveIntegerField(default=0)
    accepted_count = models.PositiveIntegerField(default=0)
    ignored_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "phrase_code", "field_key"]
        verbose_name = "language feedback count"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "agency", "phrase_code", "field_key"],
                name="language_feedback_one_row_per_day_agency_phrase_field",
            ),
            models.CheckConstraint(
                condition=Q(accepted_count__lte=F("shown_count") - F("ignored_count")),
                name="language_feedback_outcomes_within_shown",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.phrase_code} {self.field_key}"
