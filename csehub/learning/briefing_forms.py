"""Forms for the briefing: recording a session. Shape of the input only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from csehub.accounts.models import Agency, User
from csehub.govuk_forms import GovukDateField, GovukForm

SAVE = "save"
SHOW_AGENCY = "show_agency"


class AttendeeCheckboxes(forms.CheckboxSelectMultiple):
    """The error summary links to the first checkbox, whose id is the field's own."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_ if index is None else super().id_for_label(id_, index)


class BriefingSessionForm(GovukForm):
    """The session (date, place, agency) and who attended.

    The same form also adds another agency's people to the list ("show_agency"): then nothing
    is required yet, so the page comes back with what was entered and no error messages.
    """

    held_on = GovukDateField(
        label="Date of the briefing",
        required_message="Enter the date of the briefing",
        help_text="For example, 27 3 2026",
    )
    location = forms.CharField(
        label="Where was it held?",
        help_text="For example, the staff room at Elmfield Academy, or an online meeting",
        max_length=200,
        widget=forms.TextInput(attrs={"class": "govuk-input", "autocomplete": "off"}),
        error_messages={
            "required": "Enter where the briefing was held",
            "max_length": "Where it was held must be 200 characters or fewer",
        },
    )
    agency = forms.ModelChoiceField(
        label="Agency the briefing was for",
        queryset=Agency.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={
            "required": "Choose the agency the briefing was for",
            "invalid_choice": "Choose the agency the briefing was for",
        },
    )
    attendees = forms.ModelMultipleChoiceField(
        label="Who attended?",
        queryset=User.objects.none(),
        required=True,
        widget=AttendeeCheckboxes,
        error_messages={
            "required": "Select at least one person who attended",
            "invalid_choice": "Select only people from the lists shown",
            "invalid_pk_value": "Select only people from the lists shown",
        },
    )
    other_agency = forms.ModelChoiceField(
        label="Add people from another agency",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Choose an agency",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": "Choose an agency from the list"},
    )
    shown = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(), required=False, widget=forms.MultipleHiddenInput
    )

    def __init__(
        self,
        *args: Any,
        session_agencies: QuerySet[Agency],
        attendee_agencies: QuerySet[Agency],
        candidates: QuerySet[User],
        saving: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = session_agencies  # type: ignore[attr-defined]
        self.fields["other_agency"].queryset = attendee_agencies  # type: ignore[attr-defined]
        self.fields["shown"].queryset = attendee_agencies  # type: ignore[attr-defined]
        self.fields["attendees"].queryset = candidates  # type: ignore[attr-defined]
        if not saving:
            for field in self.fields.values():
                field.required = False
