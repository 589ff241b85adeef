"""The disclosure form, with the steps a practitioner should follow beside the fields they
concern, and the addendum form."""

from __future__ import annotations

from typing import Any

from django import forms

from csehub.govuk_forms import GovukForm


def _textarea(label: str, hint: str, rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        strip=False,  # the child's words stay exactly as typed; services trim the ends only
        max_length=20_000,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": rows}),
        error_messages={"max_length": f"{label} must be 20,000 characters or fewer"},
    )


class DisclosureForm(GovukForm):
    occurred_on = forms.DateField(
        label="Date the child told you",
        help_text="Record: write it down as soon as you can, the same day. For example, 27/3/2026",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(
            attrs={"class": "govuk-input govuk-input--width-10", "autocomplete": "off"}
        ),
        error_messages={"invalid": "Enter the date like 27/3/2026"},
    )
    occurred_time = forms.TimeField(
        label="Time",
        help_text="For example, 14:30",
        required=False,
        input_formats=["%H:%M", "%H.%M"],
        widget=forms.TimeInput(attrs={"class": "govuk-input govuk-input--width-5"}, format="%H:%M"),
        error_messages={"invalid": "Enter the time like 14:30"},
    )
    place = forms.CharField(
        label="Where the child told you",
        help_text="For example, the library office at school",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
        error_messages={"max_length": "The place must be 300 characters or fewer"},
    )
    who_was_present = _textarea(
        "Who else was there",
        "Names and roles of anyone who was with you, or say that no one else was.",
        rows=3,
    )
    childs_words = _textarea(
        "What the child said, in their own words",
        "Receive: write down exactly what the child said, in the words they used, even if "
        "they are slang or you would not use them. Do not sum up or tidy it. Include your "
        "own questions word for word.",
        rows=10,
    )
    practitioner_response = _textarea(
        "What you said and did",
        "Reassure and react: what you said to the child, without promising to keep it secret; "
        "that you asked no leading questions; what you told them would happen next.",
        rows=6,
    )
    who_was_told = _textarea(
        "Who you have told",
        "React: tell your safeguarding lead straight away. Say who you told and when, and any "
        "referral made. Support: say what support the child has been offered.",
        rows=4,
    )
    password = forms.CharField(
        label="Your password",
        help_text="To sign the record, enter the password you use to sign in. Once signed it "
        "cannot be changed: later corrections are added as addenda.",
        required=False,
        strip=False,
        widget=forms.PasswordInput(
            attrs={
                "class": "govuk-input govuk-input--width-20",
                "autocomplete": "current-password",
            },
            render_value=False,
        ),
    )

    def wants_to_sign(self) -> bool:
        return "sign" in self.data

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.wants_to_sign() and not data.get("password"):
            self.add_error("password", "Enter your password to sign the record")
        return data


class AddendumForm(GovukForm):
    text = forms.CharField(
        label="Addendum",
        help_text="A correction or something learned since. It is added below the signed "
        "record with your name and the time; the original stays as it was.",
        max_length=20_000,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 6}),
        error_messages={
            "required": "Write the addendum",
            "max_length": "The addendum must be 20,000 characters or fewer",
        },
    )
