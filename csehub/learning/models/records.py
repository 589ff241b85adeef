"""Completions: certificates, briefing sessions and attendance, training records, reminders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .attempts import Attempt
from .content import Course


class Certificate(models.Model):
    attempt = models.OneToOneField(Attempt, on_delete=models.PROTECT, related_name="certificate")
    # Human-typable, e.g. "K7QM-3XRT-9HPD"; no 0/O, 1/I/L.
    code = models.CharField(max_length=20, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True, revoked_reason="")
                | (models.Q(revoked_at__isnull=False) & ~models.Q(revoked_reason="")),
                name="learning_certificate_revoked_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class TrainingSource(models.TextChoices):
    WORKBOOK = "workbook", "Self-study workbook"
    BRIEFING_ATTENDANCE = "briefing_attendance", "Attended a briefing"


class BriefingSession(models.Model):
    """A briefing a manager presented, on a day, to colleagues in their agency."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="briefing_sessions")
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="briefing_sessions"
    )
    held_on = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"briefing on {self.held_on:%d %B %Y}"


class BriefingAttendance(models.Model):
    session = models.ForeignKey(
        BriefingSession, on_delete=models.PROTECT, related_name="attendances"
    )
    attendee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="briefing_attendances"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "attendee"], name="learning_attendance_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"attendance {self.pk}"


class TrainingRecord(models.Model):
    """Someone completed a course on a day: from a confirmed workbook or a briefing attended."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_records"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="training_records")
    completed_on = models.DateField()
    source = models.CharField(max_length=24, choices=TrainingSource.choices)
    attempt = models.OneToOneField(
        Attempt,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_record",
    )
    briefing_session = models.ForeignKey(
        BriefingSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_records",
    )
    refresher_due_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__in=TrainingSource.values),
                name="learning_record_source_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    source=TrainingSource.WORKBOOK,
                    attempt__isnull=False,
                    briefing_session__isnull=True,
                )
                | models.Q(
                    source=TrainingSource.BRIEFING_ATTENDANCE,
                    attempt__isnull=True,
                    briefing_session__isnull=False,
                ),
                name="learning_record_source_matches",
            ),
            models.CheckConstraint(
                condition=models.Q(refresher_due_on__gt=models.F("completed_on")),
                name="learning_record_refresher_after_completion",
            ),
            models.UniqueConstraint(
                fields=["user", "briefing_session"],
                condition=models.Q(briefing_session__isnull=False),
                name="learning_record_one_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"training record {self.pk}"


class RefresherReminder(models.Model):
    """A reminder emailed about the refresher a training record falls due for.

    One per record and threshold (60, 30 or 0 days before), so the daily `csehub learning
    remind` sends each reminder once however often it runs.
    """

    record = models.ForeignKey(
        TrainingRecord, on_delete=models.CASCADE, related_name="refresher_reminders"
    )
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "days_before"], name="learning_reminder_once_per_threshold"
            ),
        ]

    def __str__(self) -> str:
        return f"refresher reminder {self.pk}"
