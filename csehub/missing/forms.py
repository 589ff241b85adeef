"""Forms for an episode, a return, and each step of the return interview.

Dates and times are asked for as a date box and a time box (the GOV.UK pattern for a moment),
and combined here into an aware datetime in the partnership's local time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from csehub.govuk_forms import GovukForm, date_text_field

from .models import InterviewStatus
from .services import EpisodeDetails, ReturnDetails

TIME_FORMATS = ["%H:%M", "%H.%M"]
ACCOUNT_MAX = 10_000


def _time(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        help_text="24-hour clock, for example 21:30",
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(attrs={"class": "govuk-input govuk-input--width-5"}, format="%H:%M"),
        error_messages={
            "required": f"Enter the {label.lower()}, like 21:30",
            "invalid": f"Enter the {label.lower()} like 21:30",
        },
    )


def _line(label: str, max_length: int, *, hint: str = "", required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=required,
        max_length=max_length,
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
    )


def _moment(data: dict[str, Any], day: str, time: str) -> dt.datetime | None:
    if data.get(day) is None or data.get(time) is None:
        return None
    return timezone.make_aware(dt.datetime.combine(data[day], data[time]))


class _Moments(GovukForm):
    """Turns each (date, time) pair of fields into one moment, named by MOMENTS."""

    MOMENTS: dict[str, tuple[str, str]] = {}

    def moment(self, name: str) -> dt.datetime:
        day, time = self.MOMENTS[name]
        found = _moment(self.cleaned_data, day, time)
        assert found is not None  # both fields are required
        return found

    def field_for(self, name: str) -> str:
        """The form field a service's error about `name` belongs on."""
        return self.MOMENTS[name][0] if name in self.MOMENTS else name


class EpisodeForm(_Moments):
    MOMENTS = {
        "last_seen_at": ("last_seen_on", "last_seen_time"),
        "reported_at": ("reported_on", "reported_time"),
        "returned_at": ("returned_on", "returned_time"),
    }

    last_seen_on = date_text_field("Date last seen")
    last_seen_time = _time("Time last seen")
    last_seen_place = _line(
        "Where the child was last seen", 200, hint="For example, outside Northgate shops"
    )
    last_seen_with = _line(
        "Who the child was last seen with",
        300,
        hint="Names, nicknames or descriptions. Leave it blank if they were seen alone or you "
        "do not know.",
        required=False,
    )
    reported_on = date_text_field("Date reported missing")
    reported_time = _time("Time reported missing")
    reported_by = _line(
        "Who reported the child missing", 200, hint="For example, residential worker at Elm House"
    )
    police_reference = _line(
        "Police reference (optional)",
        40,
        hint="The missing person reference the police gave, if there is one",
        required=False,
    )
    has_returned = forms.ChoiceField(
        label="Has the child come back or been found?",
        choices=[("no", "No, the child is still missing"), ("yes", "Yes")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the child has come back or been found"},
    )
    returned_on = date_text_field("Date the child came back")
    returned_time = _time("Time the child came back")
    returned_place = _line("Where the child came back to or was found", 200)
    returned_with = _line("Who the child was with when found (optional)", 300, required=False)
    found_by = _line(
        "Who found the child",
        200,
        hint="For example, police, a carer, or 'came back on their own'",
    )

    RETURN_FIELDS = ("returned_on", "returned_time", "returned_place", "returned_with", "found_by")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The return's fields are asked for only when the child is back.
        if self.data.get("has_returned") != "yes":
            for name in self.RETURN_FIELDS:
                self.fields[name].required = False

    def details(self) -> EpisodeDetails:
        data = self.cleaned_data
        return EpisodeDetails(
            reported_at=self.moment("reported_at"),
            reported_by=data["reported_by"],
            last_seen_at=self.moment("last_seen_at"),
            last_seen_place=data["last_seen_place"],
            last_seen_with=data.get("last_seen_with") or "",
            police_reference=data.get("police_reference") or "",
        )

    def returned(self) -> ReturnDetails | None:
        if self.cleaned_data.get("has_returned") != "yes":
            return None
        data = self.cleaned_data
        return ReturnDetails(
            returned_at=self.moment("returned_at"),
            returned_place=data["returned_place"],
            returned_with=data.get("returned_with") or "",
            found_by=data["found_by"],
        )


class ReturnForm(_Moments):
    MOMENTS = {"returned_at": ("returned_on", "returned_time")}

    returned_on = EpisodeForm.base_fields["returned_on"]
    returned_time = EpisodeForm.base_fields["returned_time"]
    returned_place = EpisodeForm.base_fields["returned_place"]
    returned_with = EpisodeForm.base_fields["returned_with"]
    found_by = EpisodeForm.base_fields["found_by"]

    def details(self) -> ReturnDetails:
        data = self.cleaned_data
        return ReturnDetails(
            returned_at=self.moment("returned_at"),
            returned_place=data["returned_place"],
            returned_with=data.get("returned_with") or "",
            found_by=data["found_by"],
        )


INTERVIEW_OUTCOMES = [
    (InterviewStatus.OFFERED.value, "Offered: a time has been agreed with the child"),
    (InterviewStatus.DONE.value, "Done: the child talked to us"),
    (InterviewStatus.DECLINED.value, "The child declined"),
    (InterviewStatus.NOT_POSSIBLE.value, "Not possible"),
]


class InterviewForm(_Moments):
    """One step of the interview: offered, done, declined or not possible."""

    MOMENTS = {
        "offered_at": ("on", "time"),
        "held_at": ("on", "time"),
        "declined_at": ("on", "time"),
    }

    outcome = forms.ChoiceField(
        label="What happened?",
        choices=INTERVIEW_OUTCOMES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened"},
    )
    on = date_text_field("Date")
    time = _time("Time")
    childs_account = forms.CharField(
        label="What the child said",
        help_text="In the child's own words where you can: where they went, who with, how they "
        "got there, and anything that worried you.",
        required=False,
        max_length=ACCOUNT_MAX,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 8}),
        error_messages={
            "max_length": f"What the child said must be {ACCOUNT_MAX:,} characters or fewer"
        },
    )
    not_possible_reason = forms.CharField(
        label="Why it is not possible",
        help_text="For example, the child has moved out of the area",
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
        error_messages={"max_length": "The reason must be 2,000 characters or fewer"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.data.get("outcome") == InterviewStatus.NOT_POSSIBLE:
            # Recorded as of now: there is no moment to ask for.
            self.fields["on"].required = self.fields["time"].required = False


class ShareForm(GovukForm):
    text = forms.CharField(
        label="What will be shared",
        help_text="Change it if you need to. The police will see the child's name and the places "
        "below as details of the report.",
        max_length=20_000,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 14}),
        error_messages={
            "required": "Say what you are sharing",
            "max_length": "What you share must be 20,000 characters or fewer",
        },
    )
