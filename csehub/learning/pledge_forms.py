"""Forms for the pledge: the three commitments, and inviting colleagues by email."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import validate_email

from csehub.govuk_forms import GovukForm


class PledgeCommitmentsForm(GovukForm):
    found_out_more = forms.BooleanField(
        required=False, label="I have found out more about child sexual exploitation"
    )
    completed_course = forms.BooleanField(
        required=False, label="I have completed the partnership's CSE awareness course"
    )
    told_five_people = forms.BooleanField(
        required=False,
        label="I have told five people what I have learned, and asked them to take the course",
    )


INVITE_SLOTS = 5


class PledgeInviteForm(GovukForm):
    """Up to five addresses; each is checked on its own so the message names the one at fault."""

    def __init__(self, *args: Any, own_email: str = "", **kwargs: Any) -> None:
        self.own_email = own_email.lower()
        super().__init__(*args, **kwargs)
        for number in range(1, INVITE_SLOTS + 1):
            self.fields[f"email_{number}"] = forms.CharField(
                label=f"Email address {number}" + ("" if number == 1 else " (optional)"),
                required=False,
                max_length=254,
                widget=forms.EmailInput(
                    attrs={
                        "class": "govuk-input",
                        "autocomplete": "off",
                        "spellcheck": "false",
                    }
                ),
                error_messages={
                    "max_length": f"Email address {number} must be 254 characters or fewer"
                },
            )
        self._mark_fields()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        seen: set[str] = set()
        for number in range(1, INVITE_SLOTS + 1):
            name = f"email_{number}"
            value = (cleaned.get(name) or "").strip()
            cleaned[name] = value
            if not value:
                continue
            try:
                validate_email(value)
            except forms.ValidationError:
                self.add_error(
                    name,
                    f"Email address {number} must be in the correct format, like name@example.org",
                )
                continue
            if value.lower() == self.own_email:
                self.add_error(
                    name, f"Email address {number} is your own: enter a colleague's address"
                )
                continue
            if value.lower() in seen:
                self.add_error(name, f"Email address {number} is the same as one above it")
            seen.add(value.lower())
        if not seen and not self.errors:
            self.add_error("email_1", "Enter at least one email address")
        return cleaned

    def emails(self) -> list[str]:
        return [
            self.cleaned_data[f"email_{number}"]
            for number in range(1, INVITE_SLOTS + 1)
            if self.cleaned_data.get(f"email_{number}")
        ]


class PublicPledgeForm(GovukForm):
    """The public page's one question: the pledge itself (its words, from the data file, are
    the checkbox's label in the template)."""

    pledge = forms.BooleanField(
        required=True,
        error_messages={"required": "Tick the box to take the pledge"},
    )
