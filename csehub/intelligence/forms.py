"""Forms for sharing intelligence and for grading it: the shape of the input only."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone

from csehub.accounts.models import Agency
from csehub.concerns import forms as concern_forms
from csehub.concerns.forms import InvolvedForm, TimeField
from csehub.govuk_forms import GovukDateField, GovukForm, GovukRadioSelect

from . import grading_codes
from . import validators as limits
from .models import HowKnown, Outcome, ReportStatus
from .normalise import postcode_normalise
from .validators import AllowedCharacters, too_long

TEXT_MAX = limits.TEXT_MAX
FEEDBACK_MAX = limits.GRADING_TEXT_MAX


class CheckedCharacters(forms.BaseForm):
    """Each text field refuses control characters as the models do, and says how long it may
    be, naming the field by its label: a text box is one line; a text area may have tabs and
    line breaks."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                what = str(field.label or "The answer").split(" (")[0].rstrip("?")
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(AllowedCharacters(what, multiline=multiline))
                if field.max_length is not None:
                    field.error_messages.setdefault(
                        "max_length", too_long(what, int(field.max_length))
                    )


SHARE_HOW_KNOWN = [
    (HowKnown.SAW_IT.value, "I saw or heard it myself"),
    (HowKnown.WAS_TOLD.value, "Someone told me"),
    (HowKnown.RUMOUR.value, "It is a rumour, or something people are saying"),
]


class ShareForm(CheckedCharacters, GovukForm):
    """What was seen, when, and how the submitter knows: the quick form, and the top of the
    full form."""

    text = forms.CharField(
        label="What did you see, hear or get told?",
        help_text=(
            "Write it as it was. Include anything that could help: names and nicknames, cars "
            "and any part of a plate, phone numbers, usernames, places and times."
        ),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 6}),
        error_messages={
            "required": "Say what you saw, heard or were told",
            "max_length": f"What you saw must be {TEXT_MAX:,} characters or fewer",
        },
    )
    observed_on = GovukDateField(
        label="When was it? (optional)",
        help_text="For example, 27 3 2026. Leave it blank if you are not sure.",
    )
    observed_time = TimeField(
        label="Time (optional)",
        required=False,
        max_length=10,
        help_text="For example, 21:30. Leave it blank if you do not know the time.",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5"}),
    )
    how_known = forms.ChoiceField(
        label="How do you know this?",
        choices=SHARE_HOW_KNOWN,
        widget=GovukRadioSelect,
        error_messages={
            "required": "Select how you know this",
            "invalid_choice": "Select how you know this",
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day: dt.date | None = data.get("observed_on")
        time: dt.time | None = data.get("observed_time")
        if time is not None and day is None and "observed_on" not in self.errors:
            self.add_error("observed_on", "Enter the date as well as the time")
        if day is not None and day > timezone.localdate():
            self.add_error("observed_on", "The date must be today or in the past")
        return data

    def observed(self) -> tuple[dt.datetime | None, bool]:
        """When it was seen, and whether the time of day is known."""
        day: dt.date | None = self.cleaned_data.get("observed_on")
        time: dt.time | None = self.cleaned_data.get("observed_time")
        if day is None:
            return None, True
        return timezone.make_aware(dt.datetime.combine(day, time or dt.time())), time is not None


# Plates: letters, digits and spaces, ? for one character not seen, * for any number of them.
PLATE_PATTERN = re.compile(r"^[A-Z0-9?* ]{1,16}$")


class VehicleForm(CheckedCharacters, InvolvedForm):
    plate = forms.CharField(
        label="Registration plate (optional)",
        required=False,
        max_length=16,
        help_text=(
            "Type ? for each character you did not see (YX1? ?BC) and * for any number of them "
            "(YX* if you only saw the start)"
        ),
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
        error_messages={"max_length": "A plate must be 16 characters or fewer"},
    )
    make = forms.CharField(
        label="Make and model (optional)",
        required=False,
        max_length=limits.MAKE_MAX,
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )
    colour = forms.CharField(
        label="Colour (optional)",
        required=False,
        max_length=limits.COLOUR_MAX,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )

    def clean_plate(self) -> str:
        plate = " ".join(self.cleaned_data["plate"].upper().split())
        if plate and not PLATE_PATTERN.match(plate):
            raise forms.ValidationError(
                "A plate can only have letters, numbers, spaces, ? for one character not seen "
                "and * for several"
            )
        return plate


class LocationForm(CheckedCharacters, InvolvedForm):
    name = forms.CharField(
        label="Name of the place (optional)",
        required=False,
        max_length=limits.NAME_MAX,
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )
    address = forms.CharField(
        label="Address or description (optional)",
        required=False,
        max_length=limits.ADDRESS_MAX,
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )
    postcode = forms.CharField(
        label="Postcode (optional)",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
        error_messages={"max_length": "Enter a real postcode, like DN15 6NL"},
    )
    business = forms.BooleanField(
        label="This place is a business (a shop, takeaway, hotel, taxi firm or similar)",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )

    def clean_postcode(self) -> str:
        written = self.cleaned_data["postcode"].strip()
        if written and not postcode_normalise(written):
            raise forms.ValidationError("Enter a real postcode, like DN15 6NL")
        return postcode_normalise(written) if written else ""

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(str(data.get(k) or "").strip() for k in ("name", "address", "postcode"))


class PersonForm(CheckedCharacters, concern_forms.PersonForm):
    pass


class PhoneForm(CheckedCharacters, concern_forms.PhoneForm):
    pass


class OnlineForm(CheckedCharacters, concern_forms.OnlineForm):
    pass


# prefix: (form, heading, "add another" noun). The prefixes are the exchange format's lists.
ITEM_KINDS: dict[str, tuple[type[InvolvedForm], str, str]] = {
    "persons": (PersonForm, "People", "person"),
    "vehicles": (VehicleForm, "Vehicles", "vehicle"),
    "phones": (PhoneForm, "Phone numbers", "phone number"),
    "online": (OnlineForm, "Online usernames", "username"),
    "locations": (LocationForm, "Places", "place"),
}
ITEMS_MAX = 20


def item_formset(prefix: str) -> type[forms.BaseFormSet]:
    return forms.formset_factory(
        ITEM_KINDS[prefix][0], extra=0, max_num=ITEMS_MAX, absolute_max=ITEMS_MAX
    )


# ---------------------------------------------------------------------------------------------
# The police triage inbox and grading
# ---------------------------------------------------------------------------------------------


class TriageFilterForm(GovukForm):
    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "All"), *ReportStatus.choices],
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        required=False,
        queryset=Agency.objects.none(),
        empty_label="All agencies",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )

    def __init__(self, *args: Any, partnership_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        agencies = Agency.objects.filter(partnership_id=partnership_id or 0)
        field.queryset = agencies.order_by("name")


def _scale_choices(scale: str) -> list[tuple[str, str]]:
    return [(c.code, f"{c.code}: {c.label}") for c in grading_codes.scales()[scale].codes]


class GradingForm(CheckedCharacters, GovukForm):
    source_evaluation = forms.ChoiceField(
        label=grading_codes.title("source_evaluation"),
        choices=_scale_choices("source_evaluation"),
        widget=GovukRadioSelect,
        error_messages={"required": "Select the source evaluation"},
    )
    intelligence_assessment = forms.ChoiceField(
        label=grading_codes.title("intelligence_assessment"),
        choices=_scale_choices("intelligence_assessment"),
        widget=GovukRadioSelect,
        error_messages={"required": "Select the intelligence assessment"},
    )
    handling_code = forms.ChoiceField(
        label=grading_codes.title("handling_code"),
        choices=_scale_choices("handling_code"),
        widget=GovukRadioSelect,
        error_messages={"required": "Select the handling code"},
    )
    handling_conditions = forms.CharField(
        label="Conditions on sharing (for handling code C)",
        required=False,
        max_length=limits.GRADING_TEXT_MAX,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
    )
    outcome = forms.ChoiceField(
        label="What has happened as a result?",
        choices=Outcome.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Select what has happened as a result"},
    )
    outcome_reference = forms.CharField(
        label="Reference (needed when an intelligence record was created)",
        help_text="The intelligence record or crime reference number",
        required=False,
        max_length=limits.OUTCOME_REFERENCE_MAX,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
    feedback = forms.CharField(
        label="Message to the person who shared it",
        help_text=(
            "They will read this. Thank them and say what you can about what happens next. Do "
            "not include names or anything they should not know."
        ),
        max_length=FEEDBACK_MAX,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 4}),
        error_messages={
            "required": "Write a short message to the person who shared it",
            "max_length": f"The message must be {FEEDBACK_MAX:,} characters or fewer",
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("outcome") == Outcome.INTELLIGENCE_RECORD_CREATED
            and not (data.get("outcome_reference") or "").strip()
        ):
            self.add_error("outcome_reference", "Enter the reference of the intelligence record")
        code = data.get("handling_code") or ""
        if (
            grading_codes.needs_conditions(code)
            and not (data.get("handling_conditions") or "").strip()
        ):
            self.add_error("handling_conditions", "Say what the conditions on sharing are")
        return data

    def scale_rows(self) -> list[dict[str, Any]]:
        """Each scale's radios with the explanation of every code, for the template."""
        rows = []
        for name, scale in grading_codes.scales().items():
            explanations = {c.code: c.explanation for c in scale.codes}
            rows.append(
                {
                    "field": self[name],
                    "question": scale.question,
                    "explanations": explanations,
                }
            )
        return rows
