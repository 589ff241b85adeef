"""Every reminder the job runner has sent, once each."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from csehub.accounts.models import Partnership


class SentReminder(models.Model):
    """A reminder sent: its key ("return_interview:12:overdue") is unique, so two workers, or
    one running a task twice after a crash, never send the same reminder twice."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=100, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return self.key
