from __future__ import annotations

from typing import Any

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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # No maxlength attribute: browsers would cut the text silently instead of showing
        # the error message (GOV.UK advice).
        self.fields["q"].widget.attrs.pop("maxlength", None)
