"""Course content loaded from the data files: courses, sections, questions, choices."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from csehub.taxonomy.models import code_validator

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
    # Workbooks: the percentage of marked questions to get right before sign-off (from the file).
    pass_mark = models.PositiveSmallIntegerField(null=True, blank=True)
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
            models.CheckConstraint(
                condition=models.Q(pass_mark__isnull=True)
                | models.Q(pass_mark__gte=1, pass_mark__lte=100),
                name="learning_course_pass_mark_percentage",
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
    # A wrong answer here stops sign-off whatever the score (immediate danger, consent).
    must_be_right = models.BooleanField(default=False)
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
