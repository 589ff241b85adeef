"""Children the partnership is worried about: who they are and what is known about them.

Every descriptive field has its own "not recorded" value, kept apart from "none" or "no", so
that gaps in recording (ethnicity, disability, care status) can be counted and closed.
"""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from csehub.accounts.models import Agency, Partnership, Role

# The shape of a UK postcode (outward code, a space, inward code), checked after normalising.
POSTCODE_PATTERN = re.compile(r"^(GIR 0AA|[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2})$")


def postcode_normalise(value: str) -> str:
    """Upper case, one space before the last three characters: "dn156nl" -> "DN15 6NL"."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def validate_postcode(value: str) -> None:
    if value and not POSTCODE_PATTERN.match(value):
        raise ValidationError("Enter a real postcode, like DN15 6NL", code="invalid_postcode")


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    ANOTHER = "another", "Describes themselves in another way"
    PREFERS_NOT_TO_SAY = "prefers_not_to_say", "Prefers not to say"
    NOT_RECORDED = "not_recorded", "Not recorded"


class Ethnicity(models.TextChoices):
    """The 2021 census categories for England, grouped as the census groups them."""

    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian or Asian British: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian or Asian British: Chinese"
    ASIAN_INDIAN = "asian_indian", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian or Asian British: Pakistani"
    ASIAN_OTHER = "asian_other", "Asian or Asian British: any other Asian background"
    BLACK_AFRICAN = "black_african", "Black, Black British, Caribbean or African: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black, Black British, Caribbean or African: Caribbean"
    BLACK_OTHER = (
        "black_other",
        "Black, Black British, Caribbean or African: any other Black background",
    )
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed or multiple: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = (
        "mixed_white_black_african",
        "Mixed or multiple: White and Black African",
    )
    MIXED_WHITE_BLACK_CARIBBEAN = (
        "mixed_white_black_caribbean",
        "Mixed or multiple: White and Black Caribbean",
    )
    MIXED_OTHER = "mixed_other", "Mixed or multiple: any other mixed background"
    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: any other White background"
    OTHER_ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER_ANY = "other_any", "Other ethnic group: any other ethnic group"
    PREFERS_NOT_TO_SAY = "prefers_not_to_say", "Prefers not to say"
    NOT_RECORDED = "not_recorded", "Not recorded"


class Disability(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_RECORDED = "not_recorded", "Not recorded"


class CareStatus(models.TextChoices):
    LOOKED_AFTER = "looked_after", "Looked after (in care)"
    CARE_LEAVER = "care_leaver", "Care leaver"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    CHILD_PROTECTION_PLAN = "child_protection_plan", "Child protection plan"
    NONE_KNOWN = "none_known", "None known"
    NOT_RECORDED = "not_recorded", "Not recorded"


class Child(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="children")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100, blank=True)
    known_as = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    age_estimate_years = models.PositiveSmallIntegerField(null=True, blank=True)
    # True when neither a date of birth nor an age could be given: recorded, not just missing.
    age_not_known = models.BooleanField(default=False)
    gender = models.CharField(max_length=24, choices=Gender.choices, default=Gender.NOT_RECORDED)
    ethnicity = models.CharField(
        max_length=32, choices=Ethnicity.choices, default=Ethnicity.NOT_RECORDED
    )
    disability = models.CharField(
        max_length=16, choices=Disability.choices, default=Disability.NOT_RECORDED
    )
    care_status = models.CharField(
        max_length=32, choices=CareStatus.choices, default=CareStatus.NOT_RECORDED
    )
    school_or_setting = models.CharField(max_length=200, blank=True)
    home_postcode = models.CharField(max_length=8, blank=True, validators=[validate_postcode])
    allocated_social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocated_children",
        limit_choices_to={"role": Role.SOCIAL_WORKER},
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="children_created"
    )
    created_by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="children_created"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["family_name", "given_name", "pk"]
        verbose_name_plural = "children"
        # The child list: a partnership's children in name order, a page at a time.
        indexes = [
            models.Index(
                fields=["partnership", "family_name", "given_name", "id"], name="child_list_order"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_of_birth__isnull=False)
                | models.Q(age_estimate_years__isnull=False)
                | models.Q(age_not_known=True),
                name="child_age_recorded",
            ),
            models.CheckConstraint(
                condition=models.Q(age_estimate_years__isnull=True)
                | models.Q(age_estimate_years__lte=25),
                name="child_age_estimate_plausible",
            ),
            models.CheckConstraint(
                condition=models.Q(gender__in=Gender.values), name="child_gender_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(ethnicity__in=Ethnicity.values), name="child_ethnicity_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(disability__in=Disability.values),
                name="child_disability_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(care_status__in=CareStatus.values),
                name="child_care_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = f"{self.given_name} {self.family_name}".strip()
        if self.known_as and self.known_as.lower() != self.given_name.lower():
            return f"{name} (known as {self.known_as})"
        return name

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return self.age_estimate_years
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def clean(self) -> None:
        errors: dict[str, str] = {}
        self.home_postcode = postcode_normalise(self.home_postcode)
        if (
            self.date_of_birth is None
            and self.age_estimate_years is None
            and not self.age_not_known
        ):
            errors["date_of_birth"] = (
                "Enter a date of birth, an estimated age, or say that neither is known"
            )
        if self.date_of_birth is not None and self.date_of_birth > timezone.localdate():
            errors["date_of_birth"] = "Date of birth must be today or in the past"
        if self.allocated_social_worker_id is not None:
            worker = self.allocated_social_worker
            if worker is None or worker.role != Role.SOCIAL_WORKER or not worker.is_active:
                errors["allocated_social_worker"] = "Choose an active social worker"
        if errors:
            raise ValidationError(errors)


class AliasKind(models.TextChoices):
    NICKNAME = "nickname", "Nickname"
    ALIAS = "alias", "Another name they use"
    PREVIOUS_NAME = "previous_name", "Previous name"


class ChildAlias(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=AliasKind.choices, default=AliasKind.NICKNAME)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = "child aliases"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AliasKind.values), name="child_alias_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name
