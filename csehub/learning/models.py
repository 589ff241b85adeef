"""Learn: courses loaded from data files, learners' attempts, sign-off, certificates, records,
briefing sessions and the pledge.

Course content (Course, CourseSection, Question, Choice) is loaded from csehub/learning/data/
courses/<code>.yaml by services.content.learning_content_load; codes stay stable and content that
leaves its file is retired, never deleted, so every attempt that used it still reads the same.
Everything else changes only through the services in csehub/learning/services/.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from csehub.taxonomy.models import code_validator

# The kinds of block a course section is made of; checked by the loader and in clean().
BLOCK_TYPES = frozenset(
    {"heading", "paragraph", "list", "callout", "warning", "taxonomy_list", "directory", "link"}
)


class CourseKind(models.TextChoices):
    WORKBOOK = "workbook", "Self-study workbook"
    BRIEFING = "briefing", "Briefing"


class Course(models.Model):
    code = models.CharField(max_length=64, unique=True, validators=[code_validator])
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=CourseKind.choices)
    version = models.PositiveIntegerField()
    summary = models.TextField()
    # How long a completion counts before a refresher is due.
    refresher_months = models.PositiveIntegerField(default=36)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    loaded_at = models.DateTimeField()
    # A digest of the file's content: a changed file must carry a higher version.
    content_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["position", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=CourseKind.values), name="learning_course_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(refresher_months__gte=1),
                name="learning_course_refresher_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CourseSection(models.Model):
    """One page of a workbook, or one slide of a briefing (blocks hold its content)."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sections")
    code = models.CharField(max_length=64, validators=[code_validator])
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    # A list of {"type": <BLOCK_TYPES>, ...}; the shape of each type is checked by the loader
    # (services.content_files) so the database only holds blocks that render.
    blocks = models.JSONField(default=list)
    # Briefings only: what the presenter says over this slide.
    presenter_notes = models.TextField(blank=True)
    is_retired = models.BooleanField(default=False)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["course", "position"]
        constraints = [
            models.UniqueConstraint(fields=["course", "code"], name="learning_section_code_unique"),
            models.CheckConstraint(
                condition=models.Q(is_retired=False, retired_at__isnull=True)
                | models.Q(is_retired=True, retired_at__isnull=False),
                name="learning_section_retired_at_matches",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not isinstance(self.blocks, list) or not all(
            isinstance(block, dict) and block.get("type") in BLOCK_TYPES for block in self.blocks
        ):
            raise ValidationError({"blocks": "Blocks must be a list of known block types"})


class QuestionKind(models.TextChoices):
    FREE_TEXT = "free_text", "Free text"
    TRUE_FALSE = "true_false", "True or false"
    SINGLE_CHOICE = "single_choice", "Single choice"
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    NAME_N = "name_n", "Name N items from a list"


# Kinds marked by the system at once; free text is read by the reviewer.
MARKED_KINDS = frozenset(
    {
        QuestionKind.TRUE_FALSE,
        QuestionKind.SINGLE_CHOICE,
        QuestionKind.MULTIPLE_CHOICE,
        QuestionKind.NAME_N,
    }
)


class Question(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="questions")
    code = models.CharField(max_length=64, validators=[code_validator])
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=QuestionKind.choices)
    prompt = models.TextField()
    hint = models.TextField(blank=True)
    # Shown once the answer is saved: why the right answer is right.
    explanation = models.TextField()
    # The section that teaches this, so feedback can link back to it.
    section = models.ForeignKey(
        CourseSection, on_delete=models.PROTECT, null=True, blank=True, related_name="questions"
    )
    # name_n only: how many items to pick, and from which vocabulary.
    n = models.PositiveIntegerField(null=True, blank=True)
    vocabulary = models.ForeignKey(
        "taxonomy.Vocabulary",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_retired = models.BooleanField(default=False)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["course", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "code"], name="learning_question_code_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=QuestionKind.values),
                name="learning_question_kind_valid",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=QuestionKind.NAME_N, n__gte=1, vocabulary__isnull=False)
                    | (
                        ~models.Q(kind=QuestionKind.NAME_N)
                        & models.Q(n__isnull=True, vocabulary__isnull=True)
                    )
                ),
                name="learning_question_name_n_fields",
            ),
            models.CheckConstraint(
                condition=models.Q(is_retired=False, retired_at__isnull=True)
                | models.Q(is_retired=True, retired_at__isnull=False),
                name="learning_question_retired_at_matches",
            ),
        ]

    def __str__(self) -> str:
        return self.prompt[:80]

    @property
    def is_marked(self) -> bool:
        return self.kind in MARKED_KINDS


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="choices")
    code = models.CharField(max_length=64, validators=[code_validator])
    label = models.CharField(max_length=300)
    is_correct = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)
    is_retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "code"], name="learning_choice_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.label


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


class Pledge(models.Model):
    """A user's pledge to find out more, complete the course and tell five people."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pledge"
    )
    taken_at = models.DateTimeField(default=timezone.now)
    found_out_more = models.BooleanField(default=False)
    completed_course = models.BooleanField(default=False)
    told_five_people = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"pledge {self.pk}"


class PledgeInvitation(models.Model):
    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pledge_invitations"
    )
    email = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)
    token = models.CharField(max_length=64, unique=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    # The invited person went on to complete the course.
    completed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"pledge invitation {self.pk}"


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
