"""The shapes of analysts' link decisions."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from csehub.govuk_forms import GovukForm

from .models import EntityType
from .queue import Stakes
from .services import GroupDecisionKind

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


# ---------------------------------------------------------------------------------------------
# The queue of possible links
# ---------------------------------------------------------------------------------------------

GROUP_PAIRS_MAX = 200  # more than a page of a group's pairs, fewer than any real request


class QueueFilterForm(GovukForm):
    entity_type = forms.ChoiceField(
        label="Type",
        required=False,
        choices=[("", "All types"), *EntityType.choices],
        error_messages={"invalid_choice": "Choose a type from the list"},
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    stakes = forms.ChoiceField(
        label="What is at stake",
        required=False,
        choices=[
            ("", "Anything"),
            (Stakes.MACE, "A person on the MACE list"),
            (Stakes.CHILD, "A child"),
        ],
        error_messages={"invalid_choice": "Choose what is at stake from the list"},
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )


class PairIdsField(forms.Field):
    """The ids of the pairs a group page showed, sent back with the decision."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        if len(values) > GROUP_PAIRS_MAX:
            raise forms.ValidationError(f"Decide at most {GROUP_PAIRS_MAX} links at once")
        if not all(isinstance(v, str) and v.isdigit() for v in values):
            raise forms.ValidationError(
                "The links to decide were not recognised: open the group again"
            )
        return sorted({int(v) for v in values})


class GroupDecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=GroupDecisionKind.choices,
        error_messages={
            "required": "Choose whether these are all the same or none of them are",
            "invalid_choice": "Choose whether these are all the same or none of them are",
        },
    )
    pairs = PairIdsField(
        error_messages={"required": "There are no links to decide: open the group again"}
    )
