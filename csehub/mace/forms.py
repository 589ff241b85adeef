"""The shape of a MACE list decision, and of the panel's meetings, items, actions and members."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db import models
from django.db.models import QuerySet

from csehub.govuk_forms import GovukForm, GovukRadioSelect, date_text_field

from .models import ActionKind, Meeting, MeetingKind

# A person's entity reference as the pages show it (P-000042), or its number alone.
_PERSON_REFERENCE = re.compile(r"^(?:P-?)?0*(\d{1,9})$")
_OTHER_REFERENCE = re.compile(r"^[A-OQ-Z]-?\d{1,9}$")


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        kind = "Case meeting" if obj.kind == MeetingKind.CASE else "Strategic meeting"
        return f"{kind}, {obj.held_on.day} {obj.held_on:%B %Y}"


class ListingMeetingForm(GovukForm):
    """Which panel meeting agreed a MACE list decision, chosen from the meetings held on or
    before today (a typed date could name a meeting that never happened)."""

    meeting = MeetingChoiceField(
        queryset=Meeting.objects.none(),
        empty_label="Choose a meeting",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )

    def __init__(self, *args: Any, meetings: QuerySet[Meeting], decision: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        assert isinstance(field, MeetingChoiceField)
        field.queryset = meetings
        field.label = f"The panel meeting that agreed to {decision}"
        field.help_text = "Meetings of your partnership's MACE panel, held on or before today"
        field.error_messages = {
            "required": f"Choose the panel meeting that agreed to {decision}",
            "invalid_choice": "Choose one of the panel's meetings held on or before today",
        }
        self._mark_fields()  # again, now that the field has its hint


class ListingDecision(models.TextChoices):
    ADD = "add", "Add to the MACE list"
    REMOVE = "remove", "Remove from the MACE list"


class MeetingListingForm(GovukForm):
    """A MACE list decision on a meeting's page: a person, named by reference, added or
    removed."""

    reference = forms.CharField(
        label="Reference of the person",
        help_text="For example, P-000042: agenda items and network pages show it",
        max_length=20,
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-10", "autocomplete": "off"}
        ),
        error_messages={
            "required": "Enter the person's reference, like P-000042",
            "max_length": "Enter a reference like P-000042",
        },
    )
    decision = forms.ChoiceField(
        label="What the panel decided",
        choices=ListingDecision.choices,
        widget=GovukRadioSelect,
        error_messages={
            "required": "Choose whether the panel added the person to the MACE list or "
            "removed them",
            "invalid_choice": "Choose whether the panel added the person to the MACE list or "
            "removed them",
        },
    )
    item = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_reference(self) -> int:
        value = self.cleaned_data["reference"].strip().upper()
        match = _PERSON_REFERENCE.match(value)
        if not match and _OTHER_REFERENCE.match(value):
            raise forms.ValidationError(
                f"{value} is not a person: only a person can be on the MACE list"
            )
        if not match:
            raise forms.ValidationError("Enter a person's reference, like P-000042")
        return int(match[1])

    def field_for(self, name: str) -> str:
        # The service names the person it refused as "entity"; here it is the reference box.
        return "reference" if name == "entity" else name


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
