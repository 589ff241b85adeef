"""The shapes of analysts' link decisions."""

from __future__ import annotations

import re

from django import forms

_REFERENCE = re.compile(r"^[A-Z]-?0*(\d+)$")


class EntityMergeForm(forms.Form):
    other = forms.CharField(
        label="Reference of the entity to merge into this one",
        help_text="For example, P-000042. Its mentions will move here.",
        max_length=20,
        error_messages={"required": "Enter the reference of the entity to merge"},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )

    def clean_other(self) -> int:
        value = self.cleaned_data["other"].strip().upper()
        match = _REFERENCE.match(value) or re.match(r"^0*(\d+)$", value)
        if not match:
            raise forms.ValidationError("Enter a reference like P-000042")
        return int(match[1])


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", "Confirm"), ("reject", "Reject")])
    next = forms.CharField(required=False, max_length=300)
