from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from csehub.accounts.models import Agency, Role
from csehub.govuk_forms import GovukForm

from .services import MAX_TOKEN_DAYS


class TokenForm(GovukForm):
    name = forms.CharField(
        label="What is the token for?",
        help_text="For example, the name of the system or script that will use it",
        max_length=100,
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
        error_messages={"required": "Enter what the token is for"},
    )
    days = forms.IntegerField(
        label="How many days should it last?",
        help_text=f"From 1 to {MAX_TOKEN_DAYS} days. It stops working after that.",
        initial=90,
        min_value=1,
        max_value=MAX_TOKEN_DAYS,
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"}
        ),
        error_messages={
            "required": "Enter how many days the token should last",
            "invalid": "Enter the number of days as a whole number, like 90",
            "min_value": "A token must last at least 1 day",
            "max_value": f"A token can last at most {MAX_TOKEN_DAYS} days",
        },
    )


class PartnerSystemForm(GovukForm):
    name = forms.CharField(
        label="Name of the system",
        help_text="For example, the police records system or the school's safeguarding software",
        max_length=200,
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
        error_messages={"required": "Enter the name of the system"},
    )
    email = forms.EmailField(
        label="Contact email address",
        help_text="Who to contact about this system: the team that runs it",
        widget=forms.EmailInput(attrs={"class": "govuk-input", "spellcheck": "false"}),
        error_messages={
            "required": "Enter a contact email address",
            "invalid": "Enter an email address in the correct format, like team@example.org",
        },
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        empty_label="Choose the agency the system belongs to",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"required": "Choose the agency the system belongs to"},
    )
    role = forms.ChoiceField(
        label="Role",
        help_text="The system can do and see what a person in this role can, and nothing more",
        choices=[("", "Choose a role"), *Role.choices],
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"required": "Choose the role the system acts in"},
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
