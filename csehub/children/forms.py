"""Forms about children: shape of the input only; the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet

from csehub.accounts.models import User
from csehub.govuk_forms import GovukDateField, GovukForm, GovukRadioSelect

from .models import (
    AliasKind,
    CareStatus,
    Disability,
    Ethnicity,
    Gender,
    postcode_normalise,
    validate_postcode,
)


class PostcodeField(forms.CharField):
    def __init__(self, *, label: str, **kwargs: Any) -> None:
        super().__init__(
            label=label,
            required=False,
            max_length=10,
            widget=forms.TextInput(
                attrs={"class": "govuk-input govuk-input--width-10", "autocomplete": "off"}
            ),
            error_messages={"max_length": "Enter a real postcode, like DN15 6NL"},
            **kwargs,
        )

    def clean(self, value: Any) -> str:
        cleaned = postcode_normalise(super().clean(value))
        validate_postcode(cleaned)
        return cleaned


def _text(label: str, *, required: str | None = None, max_length: int = 100, **kw: Any) -> Any:
    return forms.CharField(
        label=label,
        required=required is not None,
        max_length=max_length,
        widget=forms.TextInput(
            attrs={"class": "govuk-input", "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages={
            "required": required or "",
            "max_length": (
                f"{label.removesuffix(' (optional)')} must be {max_length} characters or fewer"
            ),
        },
        **kw,
    )


def _choice(label: str, choices: Any, message: str, **kw: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=GovukRadioSelect,
        error_messages={"required": message, "invalid_choice": message},
        **kw,
    )


AGE_CHOICES = [
    ("dob", "Yes, I know their date of birth"),
    ("estimate", "No, but I can estimate their age"),
    ("unknown", "No, and I cannot estimate it"),
]


class ChildForm(GovukForm):
    given_name = _text("First name", required="Enter the child's first name")
    family_name = _text("Last name (optional)")
    known_as = _text(
        "Name they are known by (optional)",
        help_text="Only if it differs from their first name, for example a shortened name",
    )
    age_known = _choice(
        "Do you know their date of birth?",
        AGE_CHOICES,
        "Select whether you know their date of birth",
    )
    date_of_birth = GovukDateField(label="Date of birth", help_text="For example, 27 3 2011")
    age_estimate_years = forms.IntegerField(
        label="Estimated age in years",
        required=False,
        min_value=0,
        max_value=25,
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-2", "inputmode": "numeric"}
        ),
        error_messages={
            "invalid": "Estimated age must be a whole number, like 14",
            "min_value": "Estimated age must be 0 or more",
            "max_value": "Estimated age must be 25 or less",
        },
    )
    gender = _choice("Gender", Gender.choices, "Select the child's gender, or Not recorded")
    ethnicity = forms.ChoiceField(
        label="Ethnicity",
        help_text=(
            "As the child or their family describe it. Choose Not recorded if you do not know."
        ),
        choices=Ethnicity.choices,
        initial=Ethnicity.NOT_RECORDED,
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={
            "required": "Select the child's ethnicity, or Not recorded",
            "invalid_choice": "Select an ethnicity from the list",
        },
    )
    disability = _choice(
        "Does the child have a disability?", Disability.choices, "Select yes, no or Not recorded"
    )
    care_status = _choice(
        "Care status", CareStatus.choices, "Select the child's care status, or Not recorded"
    )
    school_or_setting = _text("School or setting (optional)", max_length=200)
    home_postcode = PostcodeField(label="Home postcode (optional)")
    allocated_social_worker = forms.ModelChoiceField(
        label="Allocated social worker (optional)",
        queryset=User.objects.none(),
        required=False,
        empty_label="None allocated",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": "Select a social worker from the list"},
    )

    def __init__(
        self, *args: Any, social_workers: QuerySet[User] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if social_workers is None:
            del self.fields["allocated_social_worker"]
        else:
            field = self.fields["allocated_social_worker"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = social_workers
        for name in ("gender", "disability", "care_status"):
            self.fields[name].initial = "not_recorded"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        age_known = data.get("age_known")
        if age_known == "dob":
            born = data.get("date_of_birth")
            if born is None and "date_of_birth" not in self.errors:
                self.add_error("date_of_birth", "Enter the child's date of birth")
            elif born is not None and born > dt.date.today():
                self.add_error("date_of_birth", "Date of birth must be today or in the past")
        elif (
            age_known == "estimate"
            and data.get("age_estimate_years") is None
            and "age_estimate_years" not in self.errors
        ):
            self.add_error("age_estimate_years", "Enter the child's estimated age")
        return data

    def details_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        age_known = data["age_known"]
        return {
            "given_name": data["given_name"],
            "family_name": data["family_name"],
            "known_as": data["known_as"],
            "date_of_birth": data["date_of_birth"] if age_known == "dob" else None,
            "age_estimate_years": data["age_estimate_years"] if age_known == "estimate" else None,
            "age_not_known": age_known == "unknown",
            "gender": data["gender"],
            "ethnicity": data["ethnicity"],
            "disability": data["disability"],
            "care_status": data["care_status"],
            "school_or_setting": data["school_or_setting"],
            "home_postcode": data["home_postcode"],
            **(
                {"allocated_social_worker": data.get("allocated_social_worker")}
                if "allocated_social_worker" in self.fields
                else {}
            ),
        }


class AliasForm(GovukForm):
    name = _text("Other name", max_length=200)
    kind = forms.ChoiceField(
        label="Kind of name",
        choices=AliasKind.choices,
        required=False,
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": "Select a kind of name from the list"},
    )

    def __init__(self, *args: Any, number: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if number is not None:
            # Numbered labels, so a screen reader does not hear three fields called the same.
            for name, label in (("name", "Other name"), ("kind", "Kind of name")):
                self.fields[name].label = self[name].label = f"{label} {number}"


class BaseAliasFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "number": None if index is None else index + 1}


AliasFormSet = forms.formset_factory(
    AliasForm, formset=BaseAliasFormSet, extra=0, max_num=10, absolute_max=10
)


PERIOD_CHOICES = [
    ("", "Any time"),
    ("30", "The last month"),
    ("91", "The last 3 months"),
    ("182", "The last 6 months"),
    ("365", "The last year"),
]


class ChronologyFilterForm(forms.Form):
    """Filters above a chronology. Bad values are ignored rather than shown as errors."""

    kind = forms.MultipleChoiceField(
        label="Show", required=False, choices=[], widget=forms.CheckboxSelectMultiple
    )
    period = forms.ChoiceField(
        label="Period",
        required=False,
        choices=PERIOD_CHOICES,
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )

    def __init__(self, *args: Any, kinds: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = list(kinds.items())

    def values(self, today: dt.date) -> tuple[list[str], dt.date | None]:
        if not self.is_valid():
            return [], None
        days = self.cleaned_data.get("period")
        start = today - dt.timedelta(days=int(days)) if days else None
        return list(self.cleaned_data.get("kind") or []), start
