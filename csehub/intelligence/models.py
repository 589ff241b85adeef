"""Intelligence shared by partners, its mentions, and the police's grading of it.

A report holds the text as the partner wrote it. Everything it mentions (a child, a person, a
vehicle, a phone, a username, a place) is one row of a mention table, shaped like a mention of
the exchange format (shared/INTERCHANGE.md) and identified as "<report id>/<ref>", so that the
linking engine can assign every single mention to an entity. Each mention keeps the value as
written beside its normal form (csehub.intelligence.normalise), never instead of it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from csehub.accounts.models import Agency, Partnership

from . import grading_codes
from . import validators as limits
from .normalise import (
    USERNAME_KEY_MAX,
    phone_e164,
    plate_is_partial,
    plate_normalise,
    postcode_normalise,
    username_normalise,
)
from .validators import AllowedCharacters, too_long


def _line(what: str, max_length: int, *, multiline: bool = False, **options: Any) -> Any:
    """Text as a person or partner system writes it: `what` names it in the messages."""
    return models.CharField(
        max_length=max_length,
        validators=[AllowedCharacters(what, multiline=multiline)],
        error_messages={"max_length": too_long(what, max_length)},
        **options,
    )


def _text(what: str, max_length: int, **options: Any) -> Any:
    """Free text: tabs and line breaks are fine. The limit is a validator: a TextField's
    max_length would only size a form's box (and changing it rebuilds a SQLite table)."""
    return models.TextField(
        validators=[MaxLengthValidator(max_length), AllowedCharacters(what, multiline=True)],
        error_messages={"max_length": too_long(what, max_length)},
        **options,
    )


class HowKnown(models.TextChoices):
    SAW_IT = "saw_it", "I saw or heard it myself"
    WAS_TOLD = "was_told", "Someone told me"
    RUMOUR = "rumour", "It is a rumour or something people are saying"
    NOT_RECORDED = "not_recorded", "Not recorded"  # imports from systems that do not say


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for the police to look at it"
    GRADED = "graded", "The police have responded"


class IntelligenceReport(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="intelligence_reports"
    )
    # The exchange format's `source` and `id`: together they identify a report for ever, so
    # that importing the same file twice finds the reports it made the first time.
    source = _line("The source", limits.SOURCE_MAX)
    external_id = _line("The report's id", limits.EXTERNAL_ID_MAX)
    # The partnership agency the report belongs to (the submitter's, or the one named when
    # importing); empty for a report imported from outside the partnership's agencies.
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intelligence_reports",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intelligence_shared",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    observed_at = models.DateTimeField(null=True, blank=True)
    # False when only the day is known: observed_at is then midnight at the start of that day.
    observed_time_known = models.BooleanField(default=True)
    text = _text("The report", limits.TEXT_MAX, blank=True)
    how_known = models.CharField(
        max_length=16, choices=HowKnown.choices, default=HowKnown.NOT_RECORDED
    )
    status = models.CharField(
        max_length=16, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    # Fields of an imported line that this version does not know, kept exactly as they came
    # and written out again on export: the exchange format promises that an unknown field is
    # never a reason to lose data. Nothing in CSE Hub reads them; that is why they may be JSON.
    extra = models.JSONField(default=dict, blank=True)
    # The hash of the line it was last imported from, so that importing the same line again
    # is recognised as "unchanged" without comparing field by field. Empty when shared in-app.
    import_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "source", "external_id"],
                name="intelligence_report_unique_per_source",
            ),
            models.CheckConstraint(
                condition=models.Q(how_known__in=HowKnown.values),
                name="intelligence_report_how_known_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ReportStatus.values),
                name="intelligence_report_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(external_id="") & ~models.Q(source=""),
                name="intelligence_report_has_id_and_source",
            ),
        ]
        indexes = [
            models.Index(fields=["partnership", "status", "received_at"]),
            # An id names one report everywhere (its mentions are "<id>/<ref>"): the import
            # looks up who holds each id, in any partnership.
            models.Index(fields=["external_id"], name="intelligence_report_id"),
        ]

    def __str__(self) -> str:
        return self.external_id

    @property
    def reference(self) -> str:
        return self.external_id

    def mentions(self) -> list[Mention]:
        """Every mention of the report, in the exchange format's order of lists."""
        found: list[Mention] = []
        for related in MENTION_RELATED_NAMES:
            found += list(getattr(self, related).all())
        return found


class Mention(models.Model):
    """One entry of a report's children, persons, vehicles, phones, online or locations."""

    report = models.ForeignKey(IntelligenceReport, on_delete=models.CASCADE)
    ref = _line("The ref", limits.REF_MAX)
    # Fields of the imported entry that this version does not know (see IntelligenceReport).
    extra = models.JSONField(default=dict, blank=True)

    # The exchange format's list name and the linking output's entity type.
    interchange_list = ""
    entity_type = ""

    class Meta:
        abstract = True
        ordering = ["pk"]

    @property
    def mention_id(self) -> str:
        return f"{self.report.external_id}/{self.ref}"

    def normalise(self) -> None:
        """Fill the normal forms from the values as written."""


def _unique_ref(name: str) -> list[models.BaseConstraint]:
    return [models.UniqueConstraint(fields=["report", "ref"], name=f"{name}_ref_unique")]


class ChildMention(Mention):
    interchange_list = "children"
    entity_type = "child"

    name = _line("The child's name", limits.NAME_MAX, blank=True)
    dob = models.DateField(null=True, blank=True)

    class Meta(Mention.Meta):
        default_related_name = "children"
        constraints = _unique_ref("child_mention")

    def __str__(self) -> str:
        return self.name or "Child"


class PersonMention(Mention):
    interchange_list = "persons"
    entity_type = "person"

    name = _line("The person's name", limits.NAME_MAX, blank=True)
    nickname = _line("The nickname", limits.NAME_MAX, blank=True)
    age_estimate = models.PositiveSmallIntegerField(null=True, blank=True)
    description = _text("The description", limits.DESCRIPTION_MAX, blank=True)

    class Meta(Mention.Meta):
        default_related_name = "persons"
        constraints = _unique_ref("person_mention")

    def __str__(self) -> str:
        return self.name or self.nickname or "Person"


class VehicleMention(Mention):
    interchange_list = "vehicles"
    entity_type = "vehicle"

    plate = _line("The plate", limits.PLATE_MAX, blank=True)  # as written, may be partial
    plate_normalised = models.CharField(max_length=40, blank=True, db_index=True)
    is_partial = models.BooleanField(default=False)
    make = _line("The make", limits.MAKE_MAX, blank=True)
    colour = _line("The colour", limits.COLOUR_MAX, blank=True)

    class Meta(Mention.Meta):
        default_related_name = "vehicles"
        constraints = _unique_ref("vehicle_mention")

    def __str__(self) -> str:
        return self.plate or "Vehicle"

    def normalise(self) -> None:
        self.plate_normalised = plate_normalise(self.plate)
        self.is_partial = plate_is_partial(self.plate_normalised)


class PhoneMention(Mention):
    interchange_list = "phones"
    entity_type = "phone"

    number = _line("The phone number", limits.PHONE_NUMBER_MAX, blank=True)  # as written
    e164 = models.CharField(max_length=20, blank=True, db_index=True)  # empty if not a number

    class Meta(Mention.Meta):
        default_related_name = "phones"
        constraints = _unique_ref("phone_mention")

    def __str__(self) -> str:
        return self.number or "Phone"

    def normalise(self) -> None:
        self.e164 = phone_e164(self.number)


class OnlineMention(Mention):
    interchange_list = "online"
    entity_type = "online"

    platform = _line("The app or website", limits.PLATFORM_MAX, blank=True)
    username = _line("The username", limits.USERNAME_MAX, blank=True)  # as written
    username_normalised = models.CharField(max_length=USERNAME_KEY_MAX, blank=True, db_index=True)

    class Meta(Mention.Meta):
        default_related_name = "online"
        constraints = _unique_ref("online_mention")

    def __str__(self) -> str:
        return self.username or "Username"

    def normalise(self) -> None:
        self.username_normalised = username_normalise(self.username)


class LocationMention(Mention):
    interchange_list = "locations"
    entity_type = "location"

    name = _line("The place's name", limits.NAME_MAX, blank=True)
    # An address may be written on several lines.
    address = _line("The address", limits.ADDRESS_MAX, multiline=True, blank=True)
    postcode = _line("The postcode", limits.POSTCODE_MAX, blank=True)  # as written
    postcode_normalised = models.CharField(max_length=8, blank=True, db_index=True)
    business = models.BooleanField(default=False)

    class Meta(Mention.Meta):
        default_related_name = "locations"
        constraints = _unique_ref("location_mention")

    def __str__(self) -> str:
        return self.name or self.postcode or "Place"

    def normalise(self) -> None:
        self.postcode_normalised = postcode_normalise(self.postcode)


MENTION_MODELS: tuple[type[Mention], ...] = (
    ChildMention,
    PersonMention,
    VehicleMention,
    PhoneMention,
    OnlineMention,
    LocationMention,
)
MENTION_RELATED_NAMES = ("children", "persons", "vehicles", "phones", "online", "locations")


class MentionLink(models.Model):
    """A link the partner stated between two mentions of one report ("p1 seen_in v1")."""

    report = models.ForeignKey(IntelligenceReport, on_delete=models.CASCADE, related_name="links")
    from_ref = _line("The link's from", limits.REF_MAX)
    to_ref = _line("The link's to", limits.REF_MAX)
    kind = _line("The link's kind", limits.LINK_KIND_MAX, blank=True)  # seen_in, drives...
    extra = models.JSONField(default=dict, blank=True)  # unknown fields, as on a mention

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.from_ref} {self.kind} {self.to_ref}"


# ---------------------------------------------------------------------------------------------
# Grading
# ---------------------------------------------------------------------------------------------


class Outcome(models.TextChoices):
    INTELLIGENCE_RECORD_CREATED = (
        "intelligence_record_created",
        "A police intelligence record was created",
    )
    CRIME_REPORT = "crime_report", "A crime report was made"
    SAFEGUARDING_REFERRAL = "safeguarding_referral", "A safeguarding referral was made"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


@deconstructible
class GradingCodeValidator:
    """A code must be one of its scale's codes in data/grading.yaml."""

    def __init__(self, scale: str) -> None:
        self.scale = scale

    def __call__(self, value: str) -> None:
        if value not in grading_codes.codes(self.scale):
            raise ValidationError(
                f"Choose one of the {grading_codes.title(self.scale).lower()} codes"
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GradingCodeValidator) and other.scale == self.scale

    def __hash__(self) -> int:
        return hash(self.scale)


class Grading(models.Model):
    """The police's grading of a report, with its outcome and a message for the submitter.

    A report is graded once; a correction is a new row that names the one it corrects, so what
    was decided, and when, is never lost. The latest row is the report's grading.
    """

    report = models.ForeignKey(
        IntelligenceReport, on_delete=models.PROTECT, related_name="gradings"
    )
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="gradings_made"
    )
    graded_at = models.DateTimeField(default=timezone.now)
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrected_by"
    )
    # The national 3x5x2 codes, defined in data/grading.yaml.
    source_evaluation = models.CharField(
        max_length=2, validators=[GradingCodeValidator("source_evaluation")]
    )
    intelligence_assessment = models.CharField(
        max_length=2, validators=[GradingCodeValidator("intelligence_assessment")]
    )
    handling_code = models.CharField(
        max_length=2, validators=[GradingCodeValidator("handling_code")]
    )
    handling_conditions = _text("The conditions on sharing", limits.GRADING_TEXT_MAX, blank=True)
    outcome = models.CharField(max_length=32, choices=Outcome.choices)
    outcome_reference = _line("The reference", limits.OUTCOME_REFERENCE_MAX, blank=True)
    feedback = _text("The message to the submitter", limits.GRADING_TEXT_MAX)
    # When the submitter opened the response: until then it shows as new to them.
    submitter_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-graded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=Outcome.values), name="grading_outcome_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome=Outcome.INTELLIGENCE_RECORD_CREATED)
                | ~models.Q(outcome_reference=""),
                name="grading_record_has_reference",
            ),
            models.CheckConstraint(condition=~models.Q(feedback=""), name="grading_has_feedback"),
        ]

    def __str__(self) -> str:
        return f"{self.source_evaluation}{self.intelligence_assessment}{self.handling_code}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.outcome == Outcome.INTELLIGENCE_RECORD_CREATED and not self.outcome_reference:
            errors["outcome_reference"] = "Enter the reference of the intelligence record"
        if (
            self.handling_code
            and grading_codes.needs_conditions(self.handling_code)
            and not self.handling_conditions.strip()
        ):
            errors["handling_conditions"] = "Say what the conditions on sharing are"
        if errors:
            raise ValidationError(errors)
