"""The shape of a MACE listing, and of the panel's meetings, items, actions and members."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from csehub.govuk_forms import GovukDateField, GovukForm, GovukRadioSelect, date_text_field

from .models import ActionKind, MeetingKind


class MaceListingForm(GovukForm):
    panel_date = GovukDateField(
        label="Date of the panel that agreed to list this person",
        help_text="For example, 14 11 2026",
        required_message="Enter the date of the panel that agreed to list this person",
    )

    def clean_panel_date(self) -> dt.date:
        value: dt.date = self.cleaned_data["panel_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("The panel date must be today or in the past")
        return value


# ---------------------------------------------------------------------------------------------
# The panel
# ---------------------------------------------------------------------------------------------


def _text(label: str, hint: str = "", rows: int = 3, max_length: int = 5_000) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": rows}),
        error_messages={"max_length": f"{label} must be {max_length:,} characters or fewer"},
    )


class MeetingForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind of meeting",
        choices=MeetingKind.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Choose a case meeting or a strategic meeting"},
    )
    held_on = date_text_field("Date of the meeting")


class ItemAddForm(GovukForm):
    title = forms.CharField(
        label="What the item is about",
        help_text="A child, a person, a place, a theme or a trend",
        max_length=300,
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
        error_messages={
            "required": "Say what the item is about",
            "max_length": "The item must be 300 characters or fewer",
        },
    )


class ItemRecordForm(GovukForm):
    victim = _text(
        "Victim", "Who is at risk: the child or children, and what makes them vulnerable"
    )
    offender = _text("Offender", "Who may be harming them: names, nicknames, descriptions")
    location = _text("Location", "Where it happens: places, addresses, areas, online spaces")
    theme = _text("Theme", "The pattern: for example, party houses, county lines, online grooming")
    decisions = _text("Decisions", "What the panel decided", rows=4)
    minutes = _text(
        "Minutes", "What was said. Members of the panel can read these.", rows=6, max_length=20_000
    )


class ActionForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind of action",
        choices=ActionKind.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Choose what kind of action it is"},
    )
    description = forms.CharField(
        label="What will be done",
        max_length=2_000,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
        error_messages={
            "required": "Say what will be done",
            "max_length": "What will be done must be 2,000 characters or fewer",
        },
    )
    owner_email = forms.EmailField(
        label="Owner's email address",
        help_text="The person who will do it; their agency is recorded with the action",
        widget=forms.EmailInput(attrs={"class": "govuk-input", "autocomplete": "off"}),
        error_messages={
            "required": "Enter the email address of the person who will do it",
            "invalid": "Enter an email address like name@agency.gov.uk",
        },
    )
    due_on = date_text_field("Due date")
    served_on = date_text_field(
        "Date the notice was served (abduction warning notices)", required=False
    )
    expires_on = date_text_field(
        "Date the notice expires (abduction warning notices)", required=False
    )


class MemberAddForm(GovukForm):
    email = forms.EmailField(
        label="Email address of the new member",
        help_text="Anyone with a CSE Hub account in this partnership, from any agency",
        widget=forms.EmailInput(attrs={"class": "govuk-input", "autocomplete": "off"}),
        error_messages={
            "required": "Enter the new member's email address",
            "invalid": "Enter an email address like name@agency.gov.uk",
        },
    )
