"""Forms for making a referral and for the receiving team's steps. Shape checks only: the
services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from csehub.accounts.models import Agency
from csehub.concerns.models import Concern
from csehub.govuk_forms import GovukForm, GovukRadioSelect

from .models import ALLOWED_OUTCOMES, Destination, ReferralOutcome, RiskDetailKind


def _textarea(label: str, *, required: str | None, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=required is not None,
        max_length=20_000,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 5}),
        error_messages={
            "required": required or "",
            "max_length": f"{label} must be 20,000 characters or fewer",
        },
    )


def involved_choices(concern: Concern) -> list[tuple[str, str]]:
    """Everyone and everything involved in the concern, as tickable lines."""
    choices: list[tuple[str, str]] = []
    for person in concern.people.all():
        label = ", ".join(
            part
            for part in (
                person.name,
                f"known as {person.nickname}" if person.nickname else "",
                f"about {person.age_estimate}" if person.age_estimate else "",
            )
            if part
        )
        choices.append((f"person:{person.pk}", f"Person: {label or 'name not known'}"))
    for vehicle in concern.vehicles.all():
        extra = " ".join(p for p in (vehicle.colour, vehicle.make) if p)
        choices.append(
            (f"vehicle:{vehicle.pk}", f"Vehicle: {vehicle.plate or 'plate not known'} {extra}")
        )
    for phone in concern.phones.all():
        choices.append((f"phone:{phone.pk}", f"Phone: {phone.number}"))
    for online in concern.online.all():
        where = f" on {online.platform}" if online.platform else ""
        choices.append((f"username:{online.pk}", f"Username: {online.username}{where}"))
    for place in concern.locations.all():
        choices.append((f"place:{place.pk}", f"Place: {place}"))
    return choices


class ReferralForm(GovukForm):
    destinations = forms.MultipleChoiceField(
        label="Where to send the referral",
        help_text="Select every place your pathway says to send it. Each gets its own referral.",
        choices=Destination.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one place to send the referral",
            "invalid_choice": "Select places to send the referral from the list",
        },
    )
    front_door = forms.ModelChoiceField(
        label="Children's social care front door",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Select the front door",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": "Select a front door from the list"},
    )
    police_desk = forms.ModelChoiceField(
        label="Police referral desk",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Select the police force",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": "Select a police force from the list"},
    )
    what_was_seen = _textarea(
        "What was seen or told",
        required="Say what was seen or told",
        hint="Copied from the concern. Keep the child's own words where you have them.",
    )
    child_details = _textarea(
        "About the child",
        required=None,
        hint="Copied from the child's record: check it is up to date.",
    )
    request = _textarea(
        "What you are asking for",
        required=None,
        hint="For example, a strategy discussion, or a police record flagged for child sexual "
        "exploitation if there is none.",
    )
    involved = forms.MultipleChoiceField(
        label="People posing a risk, and their vehicles, phones, usernames and places",
        help_text="From the concern. Untick anything that should not go with the referral.",
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )
    extra_kind = forms.ChoiceField(
        label="Type",
        required=False,
        choices=[("", "Select a type"), *RiskDetailKind.choices],
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    extra_value = forms.CharField(
        label="Name, plate, number, username or place",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )
    extra_details = forms.CharField(
        label="More about it (optional)",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )

    def __init__(
        self,
        *args: Any,
        concern: Concern,
        front_doors: QuerySet[Agency],
        police: QuerySet[Agency],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["front_door"].queryset = front_doors
        fields["police_desk"].queryset = police
        fields["involved"].choices = involved_choices(concern)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("destinations") or []
        if Destination.CHILDRENS_SOCIAL_CARE in chosen and not data.get("front_door"):
            self.add_error("front_door", "Select the front door to send the referral to")
        if Destination.POLICE_CSE_DESK in chosen and not data.get("police_desk"):
            self.add_error("police_desk", "Select the police force to send the referral to")
        if data.get("extra_value", "").strip() and not data.get("extra_kind"):
            self.add_error("extra_kind", "Select what the extra detail is")
        if data.get("extra_kind") and not data.get("extra_value", "").strip():
            self.add_error("extra_value", "Enter the name, plate, number, username or place")
        return data


class ScreenForm(GovukForm):
    note = _textarea(
        "Screening note (optional)",
        required=None,
        hint="What you checked and what you found. The referrer sees the outcome, not this note.",
    )


YES_NO = [("yes", "Yes"), ("no", "No")]


class OutcomeForm(GovukForm):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=ReferralOutcome.choices,
        widget=GovukRadioSelect,
        error_messages={
            "required": "Select the outcome",
            "invalid_choice": "Select one of the outcomes listed",
        },
    )
    reason = _textarea(
        "Reason for this outcome",
        required="Give the reason for this outcome",
        hint="The referrer and their safeguarding lead will read this.",
    )
    police_reference = forms.CharField(
        label="Police reference for the CSE-flagged record",
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
        error_messages={"max_length": "The police reference must be 64 characters or fewer"},
    )
    flagged_record_existed = forms.ChoiceField(
        label="Did a CSE-flagged record already exist?",
        required=False,
        choices=YES_NO,
        widget=GovukRadioSelect,
        error_messages={"invalid_choice": "Select yes or no"},
    )

    def __init__(self, *args: Any, destination: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["outcome"].choices = [
            (value, ReferralOutcome(value).label) for value in ALLOWED_OUTCOMES[destination]
        ]
        self.is_police = destination == Destination.POLICE_CSE_DESK
        if not self.is_police:
            del self.fields["police_reference"]
            del self.fields["flagged_record_existed"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_police:
            if not data.get("police_reference", "").strip():
                self.add_error(
                    "police_reference", "Enter the police reference for the CSE-flagged record"
                )
            if data.get("flagged_record_existed") not in ("yes", "no"):
                self.add_error(
                    "flagged_record_existed", "Select whether a CSE-flagged record already existed"
                )
        return data

    @property
    def flagged(self) -> bool | None:
        value = self.cleaned_data.get("flagged_record_existed")
        return {"yes": True, "no": False}.get(value or "")
