"""A child going missing, coming back, and the return home interview offered afterwards.

An episode is recorded when the child is reported missing, and completed when they return or
are found. Its return starts the interview clock: the interview is to be offered within 72
hours of the return, counted in elapsed hours (nights and weekends count), so a return on
Friday evening is due by Monday evening.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from csehub.accounts.models import Agency, Partnership
from csehub.children.models import Child

INTERVIEW_WITHIN_HOURS = 72  # elapsed hours (deadlines.clocks.hours_after)


class MissingEpisode(models.Model):
    # Tenancy is a column: selectors filter by it first.
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="missing_episodes")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="missing_recorded"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    # Reported: by whom and when.
    reported_at = models.DateTimeField()
    reported_by = models.CharField(max_length=200)
    # Last seen: where, when and with whom.
    last_seen_at = models.DateTimeField()
    last_seen_place = models.CharField(max_length=200)
    last_seen_with = models.CharField(max_length=300, blank=True)
    police_reference = models.CharField(max_length=40, blank=True)
    # Returned or found: when, where, with whom and by whom. Empty while still missing.
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_place = models.CharField(max_length=200, blank=True)
    returned_with = models.CharField(max_length=300, blank=True)
    found_by = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "child", "last_seen_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_seen_at__lte=models.F("reported_at")),
                name="missing_seen_before_reported",
            ),
            models.CheckConstraint(
                condition=models.Q(returned_at__isnull=True)
                | (
                    models.Q(returned_at__gte=models.F("last_seen_at"))
                    & ~models.Q(returned_place="")
                    & ~models.Q(found_by="")
                ),
                name="missing_return_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Missing episode {self.pk}"

    @property
    def is_open(self) -> bool:
        """The child has not yet returned or been found."""
        return self.returned_at is None

    @property
    def duration(self) -> dt.timedelta | None:
        return None if self.returned_at is None else self.returned_at - self.last_seen_at


class InterviewStatus(models.TextChoices):
    DUE = "due", "Not offered yet"
    OFFERED = "offered", "Offered"
    DONE = "done", "Done"
    DECLINED = "declined", "Declined by the child"
    NOT_POSSIBLE = "not_possible", "Not possible"


CLOSED_STATUSES = (InterviewStatus.DONE, InterviewStatus.DECLINED, InterviewStatus.NOT_POSSIBLE)


class ReturnInterview(models.Model):
    """The return home interview for one episode, made when the child's return is recorded."""

    episode = models.OneToOneField(
        MissingEpisode, on_delete=models.PROTECT, related_name="interview"
    )
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    due_by = models.DateTimeField()  # the return plus 72 elapsed hours
    status = models.CharField(
        max_length=16, choices=InterviewStatus.choices, default=InterviewStatus.DUE
    )
    offered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # done, declined or not possible
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="return_interviews",
    )
    childs_account = models.TextField(blank=True)  # what the child said, as they said it
    not_possible_reason = models.TextField(blank=True)
    # The intelligence report the coordinator passed what the child said on as.
    shared_as = models.ForeignKey(
        "intelligence.IntelligenceReport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_by", "pk"]
        indexes = [models.Index(fields=["partnership", "status", "due_by"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=InterviewStatus.values),
                name="interview_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status=InterviewStatus.DUE, offered_at__isnull=True)
                | ~models.Q(status=InterviewStatus.DUE),
                name="interview_due_not_offered",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[InterviewStatus.DUE, InterviewStatus.OFFERED],
                    closed_at__isnull=True,
                )
                | models.Q(status__in=[s.value for s in CLOSED_STATUSES], closed_at__isnull=False),
                name="interview_closed_when_finished",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=InterviewStatus.DONE) | ~models.Q(childs_account=""),
                name="interview_done_has_account",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=InterviewStatus.NOT_POSSIBLE)
                | ~models.Q(not_possible_reason=""),
                name="interview_not_possible_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Return interview {self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        """Not offered (or closed) within 72 hours of the return."""
        return self.status == InterviewStatus.DUE and (now or timezone.now()) > self.due_by

    @property
    def is_overdue_now(self) -> bool:
        return self.is_overdue()

    @property
    def offered_in_time(self) -> bool | None:
        """Whether it was offered within 72 hours; None while it has not been offered. (An
        interview held or declined without an earlier offer was offered when it happened.)"""
        return None if self.offered_at is None else self.offered_at <= self.due_by
