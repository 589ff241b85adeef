"""Concerns about a child and the risk identification tool's assessments of them.

The people, vehicles, phones, usernames and places involved in a concern follow the mentions of
the intelligence exchange format (shared/INTERCHANGE.md), so they can feed linking later.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from csehub.accounts.models import Agency
from csehub.children.models import Child, postcode_normalise, validate_postcode
from csehub.taxonomy.models import Item

from .recorded import recorded_url


class ConcernStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class HowKnown(models.TextChoices):
    SAW = "saw", "I saw or heard it myself"
    CHILD_TOLD = "child_told", "The child told me"
    OTHER_TOLD = "other_told", "Someone else told me"


class Concern(models.Model):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="concerns")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="concerns_raised"
    )
    # The raiser's agency when it was raised: the record stays with the agency if they move on.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="concerns")
    status = models.CharField(
        max_length=16, choices=ConcernStatus.choices, default=ConcernStatus.DRAFT
    )
    how_known = models.CharField(max_length=16, choices=HowKnown.choices, blank=True)
    what_was_seen = models.TextField(blank=True)
    observed_on = models.DateField(null=True, blank=True)
    # Blank when only the date is known.
    observed_time = models.TimeField(null=True, blank=True)
    where = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        # Lists show the newest first, a page at a time.
        indexes = [models.Index(fields=["-created_at", "-id"], name="concern_list_order")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ConcernStatus.values), name="concern_status_valid"
            ),
            # A submitted concern always says what happened, when, and when it was sent.
            models.CheckConstraint(
                condition=models.Q(status=ConcernStatus.DRAFT)
                | (
                    models.Q(submitted_at__isnull=False, observed_on__isnull=False)
                    & ~models.Q(what_was_seen="")
                ),
                name="concern_submitted_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Concern {self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == ConcernStatus.DRAFT

    @property
    def observed_at(self) -> dt.datetime | None:
        """When it was seen, for ordering: midday stands in for an unknown time of day."""
        if self.observed_on is None:
            return None
        moment = dt.datetime.combine(self.observed_on, self.observed_time or dt.time(12, 0))
        return timezone.make_aware(moment)

    @property
    def observed_time_known(self) -> bool:
        return self.observed_time is not None


class ConcernPerson(models.Model):
    """Someone else involved: often a person posing a risk, sometimes a friend or witness."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=200, blank=True)
    nickname = models.CharField(max_length=200, blank=True)
    age_estimate = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name or self.nickname or "Unnamed person"


class ConcernVehicle(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="vehicles")
    # Full or partial: "?" stands for one unknown character, spaces do not matter.
    plate = models.CharField(max_length=16, blank=True)
    make = models.CharField(max_length=100, blank=True)
    colour = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.plate or "Vehicle"

    @property
    def plate_is_partial(self) -> bool:
        return "?" in self.plate


class ConcernPhone(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=32)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.number


class ConcernOnline(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="online")
    platform = models.CharField(max_length=100, blank=True)
    username = models.CharField(max_length=200)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.username


class ConcernLocation(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=8, blank=True, validators=[validate_postcode])

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name or self.address or self.postcode

    def clean(self) -> None:
        self.postcode = postcode_normalise(self.postcode)


class RiskLevel(models.TextChoices):
    NO_INDICATORS_RECORDED = "no_indicators_recorded", "No indicators recorded"
    EMERGING_RISK = "emerging_risk", "Emerging risk"
    SIGNIFICANT_RISK = "significant_risk", "Significant risk"
    HIGH_RISK = "high_risk", "High risk"


class RiskAssessment(models.Model):
    """One use of the risk identification tool on a concern, and the rating it gave."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="assessments")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="risk_assessments"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The day the indicators' ages were counted from.
    as_of = models.DateField()
    immediate_danger = models.BooleanField()
    computed_level = models.CharField(max_length=32, choices=RiskLevel.choices)
    scheme_slug = models.CharField(max_length=64)
    scheme_version = models.PositiveIntegerField()
    points = models.PositiveIntegerField(default=0)
    judgement_level = models.CharField(
        max_length=32, choices=RiskLevel.choices, blank=True, default=""
    )
    judgement_rationale = models.TextField(blank=True)
    judgement_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risk_judgements",
    )
    judgement_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(computed_level__in=RiskLevel.values),
                name="risk_assessment_computed_level_valid",
            ),
            # A professional judgement always comes with who made it, when, and why.
            models.CheckConstraint(
                condition=models.Q(
                    judgement_level="",
                    judgement_by__isnull=True,
                    judgement_at__isnull=True,
                    judgement_rationale="",
                )
                | (
                    models.Q(
                        judgement_level__in=RiskLevel.values,
                        judgement_by__isnull=False,
                        judgement_at__isnull=False,
                    )
                    & ~models.Q(judgement_rationale="")
                ),
                name="risk_assessment_judgement_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Risk assessment {self.pk}"

    @property
    def level(self) -> str:
        """The level that stands: the professional judgement when there is one."""
        return self.judgement_level or self.computed_level

    @property
    def has_judgement(self) -> bool:
        return bool(self.judgement_level)


class RoughlyWhen(models.TextChoices):
    """How long ago an indicator was seen, when the exact date is not known."""

    LAST_WEEK = "last_week", "In the last week"
    LAST_MONTH = "last_month", "In the last month"
    LAST_3_MONTHS = "last_3_months", "One to three months ago"
    LAST_6_MONTHS = "last_6_months", "Three to six months ago"
    LAST_YEAR = "last_year", "Six to twelve months ago"
    OVER_A_YEAR = "over_a_year", "More than a year ago"
    NOT_SURE = "not_sure", "Not sure"


# Days ago that stand in for each answer: the far end of the band, so an indicator is never
# treated as more recent than the person said.
ROUGHLY_WHEN_DAYS: dict[str, int | None] = {
    RoughlyWhen.LAST_WEEK: 7,
    RoughlyWhen.LAST_MONTH: 31,
    RoughlyWhen.LAST_3_MONTHS: 92,
    RoughlyWhen.LAST_6_MONTHS: 183,
    RoughlyWhen.LAST_YEAR: 365,
    RoughlyWhen.OVER_A_YEAR: 730,
    RoughlyWhen.NOT_SURE: None,
}


class IndicatorObservation(models.Model):
    """One ticked indicator: what was seen and roughly when."""

    assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.CASCADE, related_name="observations"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="observations")
    what_was_seen = models.TextField()
    roughly_when = models.CharField(max_length=16, choices=RoughlyWhen.choices)
    # The day it was seen as estimated when recorded (the far end of the roughly_when band),
    # so later ratings can age it; null when the person is not sure.
    seen_on = models.DateField(null=True, blank=True)
    # Counted from a record CSE Hub holds (concerns.recorded), not ticked: which one.
    recorded_source = models.CharField(max_length=32, blank=True)
    recorded_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["item__vocabulary__position", "item__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item"], name="indicator_observation_once_per_item"
            ),
            models.CheckConstraint(
                condition=~models.Q(what_was_seen=""), name="indicator_observation_has_text"
            ),
            models.CheckConstraint(
                condition=models.Q(roughly_when__in=RoughlyWhen.values),
                name="indicator_observation_roughly_when_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} ({self.get_roughly_when_display()})"

    @property
    def recorded_url(self) -> str:
        """The page of the record it was counted from, or "" for a ticked sign."""
        if not self.recorded_source or self.recorded_id is None:
            return ""
        return recorded_url(self.recorded_source, self.recorded_id)


class RiskReason(models.Model):
    """Why the computed level is what it is: one row per indicator counted (or not counted)."""

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="reasons")
    observation = models.ForeignKey(
        IndicatorObservation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reasons",
    )
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="risk_reasons"
    )
    points = models.PositiveSmallIntegerField(default=0)
    counted = models.BooleanField(default=True)
    significant = models.BooleanField(default=False)
    explanation = models.CharField(max_length=400)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.explanation
