"""A learner's attempt at a workbook: progress, answers and the reviewer's sign-off."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .content import Choice, Course, CourseSection, Question


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Waiting for review"
    RETURNED = "returned", "Returned to you"
    CONFIRMED = "confirmed", "Completed"


OPEN_ATTEMPT_STATUSES = (
    AttemptStatus.IN_PROGRESS,
    AttemptStatus.SUBMITTED,
    AttemptStatus.RETURNED,
)


class Attempt(models.Model):
    """One learner working through one workbook, from starting to the reviewer's sign-off."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="learning_attempts"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="attempts")
    course_version = models.PositiveIntegerField()
    status = models.CharField(
        max_length=16, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="learning_reviews",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Where the learner was, so they come back to the same page.
    last_section_code = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=AttemptStatus.values),
                name="learning_attempt_status_valid",
            ),
            # Nobody reviews (and so nobody confirms) their own attempt.
            models.CheckConstraint(
                condition=models.Q(reviewer__isnull=True) | ~models.Q(reviewer=models.F("learner")),
                name="learning_attempt_reviewer_not_learner",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=AttemptStatus.CONFIRMED)
                | models.Q(confirmed_at__isnull=False, reviewer__isnull=False),
                name="learning_attempt_confirmed_has_reviewer",
            ),
            models.CheckConstraint(
                condition=models.Q(status=AttemptStatus.IN_PROGRESS)
                | models.Q(submitted_at__isnull=False, reviewer__isnull=False),
                name="learning_attempt_submitted_has_reviewer",
            ),
            # One open attempt per learner and course.
            models.UniqueConstraint(
                fields=["learner", "course"],
                condition=models.Q(status__in=OPEN_ATTEMPT_STATUSES),
                name="learning_attempt_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"attempt {self.pk}"

    @property
    def is_editable(self) -> bool:
        return self.status in (AttemptStatus.IN_PROGRESS, AttemptStatus.RETURNED)


class SectionProgress(models.Model):
    """A section the learner has read to the end (pressed continue on)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="progress")
    section = models.ForeignKey(CourseSection, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "section"], name="learning_progress_unique"),
        ]

    def __str__(self) -> str:
        return f"section {self.section_id} read in attempt {self.attempt_id}"


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)
    choices = models.ManyToManyField(Choice, blank=True, related_name="+")
    items = models.ManyToManyField("taxonomy.Item", blank=True, related_name="+")
    # None for free text: a person reads it.
    is_correct = models.BooleanField(null=True, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["question__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="learning_answer_one_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"answer {self.pk}"


class ReviewEventKind(models.TextChoices):
    RETURNED = "returned", "Returned with comments"
    CONFIRMED = "confirmed", "Completion confirmed"


class ReviewEvent(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.PROTECT, related_name="review_events")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=ReviewEventKind.choices)
    discussed_with_learner = models.BooleanField(default=False)
    comments = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ReviewEventKind.values),
                name="learning_review_kind_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=ReviewEventKind.CONFIRMED)
                | models.Q(discussed_with_learner=True),
                name="learning_review_confirm_needs_discussion",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=ReviewEventKind.RETURNED) | ~models.Q(comments=""),
                name="learning_review_return_needs_comments",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on attempt {self.attempt_id}"
