"""Pathways and contact directories as loaded from their files, one version per change.

Old versions are kept (a referral made last year points at the pathway it followed); exactly
one version per partnership is current. Only services.pathway_load writes these tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from csehub.accounts.models import Partnership

from .directory import OutOfHoursKind
from .graph import OUTCOME_KIND_LABELS, OutcomeKind

OUTCOME_KIND_CHOICES = [(kind.value, OUTCOME_KIND_LABELS[kind]) for kind in OutcomeKind]
OUT_OF_HOURS_KIND_CHOICES = [(kind.value, kind.label) for kind in OutOfHoursKind]


class Pathway(models.Model):
    """A partnership's referral pathway; its content lives in its versions."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.PROTECT, related_name="pathway"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Pathway of {self.partnership}"


class PathwayVersion(models.Model):
    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    differs_from_seed = models.TextField(blank=True)  # where and why, in the file's words
    start_code = models.CharField(max_length=64)
    checksum = models.CharField(max_length=64)
    is_current = models.BooleanField(default=True)
    loaded_at = models.DateTimeField(default=timezone.now)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["pathway", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["pathway", "version"], name="pathway_version_unique"),
            models.UniqueConstraint(
                fields=["pathway"],
                condition=models.Q(is_current=True),
                name="pathway_one_current_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pathway.partnership} pathway v{self.version}"


class NodeKind(models.TextChoices):
    QUESTION = "question", "Question"
    OUTCOME = "outcome", "Outcome"


class Node(models.Model):
    pathway_version = models.ForeignKey(
        PathwayVersion, on_delete=models.CASCADE, related_name="nodes"
    )
    code = models.CharField(max_length=64)
    kind = models.CharField(max_length=16, choices=NodeKind.choices)
    text = models.TextField()  # the question, or what the outcome tells the user to do
    hint = models.TextField(blank=True)
    outcome_kind = models.CharField(max_length=64, choices=OUTCOME_KIND_CHOICES, blank=True)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["pathway_version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["pathway_version", "code"], name="pathway_node_code_unique"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=NodeKind.QUESTION, outcome_kind="")
                    | models.Q(
                        kind=NodeKind.OUTCOME, outcome_kind__in=[k.value for k in OutcomeKind]
                    )
                ),
                name="pathway_node_kind_matches_outcome_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class NodeContact(models.Model):
    """A contact-directory service an outcome shows, by its code."""

    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="contacts")
    service_code = models.CharField(max_length=64)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["node", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["node", "service_code"], name="pathway_node_contact_unique"
            )
        ]

    def __str__(self) -> str:
        return self.service_code


class Answer(models.Model):
    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="answers")
    value = models.CharField(max_length=64)
    label = models.CharField(max_length=200)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["node", "position"]
        constraints = [
            models.UniqueConstraint(fields=["node", "value"], name="pathway_answer_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.node.code}={self.value}"


class AnswerTarget(models.Model):
    """One of the nodes an answer leads to; an answer may lead to several, in order."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="targets")
    target = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["answer", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "target"], name="pathway_answer_target_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.answer} -> {self.target.code}"


class ContactDirectory(models.Model):
    """One loaded version of a partnership's contact directory."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="contact_directories"
    )
    version = models.PositiveIntegerField()
    checksum = models.CharField(max_length=64)
    is_current = models.BooleanField(default=True)
    loaded_at = models.DateTimeField(default=timezone.now)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["partnership", "-version"]
        verbose_name_plural = "contact directories"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "version"], name="contact_directory_version_unique"
            ),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(is_current=True),
                name="contact_directory_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} contacts v{self.version}"


class ContactService(models.Model):
    directory = models.ForeignKey(
        ContactDirectory, on_delete=models.CASCADE, related_name="services"
    )
    code = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    purpose = models.TextField()
    phone = models.CharField(max_length=40)
    email = models.EmailField(blank=True)
    hours_note = models.TextField(blank=True)
    out_of_hours_phone = models.CharField(max_length=40, blank=True)
    out_of_hours_kind = models.CharField(
        max_length=32, choices=OUT_OF_HOURS_KIND_CHOICES, blank=True
    )
    out_of_hours_description = models.TextField(blank=True)
    closed_on_bank_holidays = models.BooleanField(default=True)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["directory", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["directory", "code"], name="contact_service_code_unique"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(out_of_hours_phone="", out_of_hours_kind="")
                    | (~models.Q(out_of_hours_phone="") & ~models.Q(out_of_hours_kind=""))
                ),
                name="contact_service_out_of_hours_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ContactNumber(models.Model):
    """Another number for a service, such as a free phone line."""

    service = models.ForeignKey(
        ContactService, on_delete=models.CASCADE, related_name="other_numbers"
    )
    label = models.CharField(max_length=200)
    number = models.CharField(max_length=40)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["service", "position"]

    def __str__(self) -> str:
        return f"{self.label}: {self.number}"


class OpeningHours(models.Model):
    """One opening range on one weekday (Monday 0); `closes` 23:59:59.999999 means midnight."""

    service = models.ForeignKey(ContactService, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField()
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["service", "weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekday__lte=6), name="opening_hours_weekday_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")),
                name="opening_hours_open_before_close",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens}-{self.closes}"


class ClosureDate(models.Model):
    """A day a partnership's office-hours services close besides the bank holidays."""

    directory = models.ForeignKey(
        ContactDirectory, on_delete=models.CASCADE, related_name="closures"
    )
    date = models.DateField()
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["directory", "date"]
        constraints = [
            models.UniqueConstraint(fields=["directory", "date"], name="closure_date_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.reason}"
