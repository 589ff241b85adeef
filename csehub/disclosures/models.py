"""A child telling an adult what happened to them, recorded in the child's own words.

A disclosure is a draft until its author signs it (re-entering their password). From then on
the record is read-only: services refuse changes, and a database trigger (disclosures.triggers)
refuses any UPDATE of a signed row, so not even raw SQL can alter what was signed. Corrections
and later information are Addendum rows, which are never changed either.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from csehub.accounts.models import Agency
from csehub.children.models import Child
from csehub.concerns.models import Concern


class DisclosureStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


class Disclosure(models.Model):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="disclosures")
    concern = models.ForeignKey(
        Concern, on_delete=models.PROTECT, null=True, blank=True, related_name="disclosures"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="disclosures_recorded"
    )
    # The author's agency at the time: the record stays with the agency if they move on.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="disclosures")
    status = models.CharField(
        max_length=8, choices=DisclosureStatus.choices, default=DisclosureStatus.DRAFT
    )
    occurred_on = models.DateField(null=True, blank=True)
    occurred_time = models.TimeField(null=True, blank=True)
    place = models.CharField(max_length=300, blank=True)
    who_was_present = models.TextField(blank=True)
    childs_words = models.TextField(blank=True)  # verbatim, never tidied
    practitioner_response = models.TextField(blank=True)  # what the practitioner said and did
    who_was_told = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DisclosureStatus.values),
                name="disclosure_status_valid",
            ),
            # A signed record says when, where and what the child said, and when it was signed.
            models.CheckConstraint(
                condition=models.Q(status=DisclosureStatus.DRAFT, signed_at__isnull=True)
                | (
                    models.Q(
                        status=DisclosureStatus.SIGNED,
                        signed_at__isnull=False,
                        occurred_on__isnull=False,
                        occurred_time__isnull=False,
                    )
                    & ~models.Q(childs_words="")
                    & ~models.Q(place="")
                    & ~models.Q(practitioner_response="")
                ),
                name="disclosure_signed_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Disclosure {self.pk}"

    @property
    def is_signed(self) -> bool:
        return self.status == DisclosureStatus.SIGNED


class Addendum(models.Model):
    """A later note on a signed disclosure: a correction or something learned since.
    Insert-only (a database trigger refuses UPDATE)."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="disclosure_addenda"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    text = models.TextField()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "addenda"
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="addendum_has_text"),
        ]

    def __str__(self) -> str:
        return f"Addendum {self.pk}"
