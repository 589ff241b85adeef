from __future__ import annotations

from django import forms

SEARCH_MAX_LENGTH = 100


class GuidanceSearchForm(forms.Form):
    q = forms.CharField(
        label="Search the guidance",
        help_text="For example, missing, gifts or nickname",
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input govuk-!-width-two-thirds",
                "type": "search",
                "spellcheck": "true",
            }
        ),
        error_messages={
            "max_length": f"Search terms must be {SEARCH_MAX_LENGTH} characters or fewer",
        },
    )
