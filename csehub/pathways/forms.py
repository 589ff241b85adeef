"""The one question asked at each step of the pathway walk."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from csehub.accounts.models import Partnership
from csehub.deadlines.clocks import LONDON
from csehub.govuk_forms import GovukForm, date_text_field

from .graph import Question


class PathwayStepForm(forms.Form):
    """A radio choice between the answers of one question; the field is named by its id."""

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields[question.id] = forms.ChoiceField(
            label=question.text,
            help_text=question.hint,
            choices=[(answer.value, answer.label) for answer in question.answers],
            widget=forms.RadioSelect,
            error_messages={
                "required": f"Select an answer to the question: {question.text}",
                "invalid_choice": f"Select one of the answers to the question: {question.text}",
            },
        )

    @property
    def field(self) -> forms.BoundField:
        return self[self.question.id]


TIME_FORMATS = ["%H:%M", "%H.%M"]


class CallTimeForm(GovukForm):
    """ "What if I ring at 16:45 on Friday?": a directory and a moment in London time, as
    `csehub contacts now --partnership SLUG --at ...` asks. Both boxes empty means now."""

    partnership = forms.ChoiceField(
        label="Partnership directory",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    on = date_text_field("Date", required=False, example="27/11/2026")
    at = forms.TimeField(
        label="Time",
        help_text="24-hour clock, for example 16:45",
        required=False,
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(attrs={"class": "govuk-input govuk-input--width-5"}, format="%H:%M"),
        error_messages={"invalid": "Enter the time like 16:45"},
    )

    def __init__(self, *args: Any, partnerships: list[Partnership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partnership"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(p.slug, p.name) for p in partnerships]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("on") is None) != (data.get("at") is None) and not self.errors:
            missing = "at" if data.get("at") is None else "on"
            self.add_error(
                missing, "Enter both a date and a time, or neither to see who to call now"
            )
        return data

    def moment(self) -> datetime.datetime | None:
        """The moment asked about in London time, or None for now."""
        on, at = self.cleaned_data.get("on"), self.cleaned_data.get("at")
        if on is None or at is None:
            return None
        return datetime.datetime.combine(on, at, tzinfo=LONDON)
