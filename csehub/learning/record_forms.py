"""Forms for certificates (the public check, revocation) and the training compliance filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from csehub.accounts.models import Agency, Role
from csehub.govuk_forms import GovukForm

from .models import Course
from .selectors.certificates import certificate_code_normalise
from .selectors.records import ComplianceFilters, TrainingStatus


class CertificateVerifyForm(GovukForm):
    code = forms.CharField(
        label="Verification code",
        help_text=(
            "The 12 letters and numbers printed on the certificate, for example ACDE-3FGH-4JKM"
        ),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input govuk-input--width-20 govuk-input--extra-letter-spacing",
                "spellcheck": "false",
                "autocomplete": "off",
                "autocapitalize": "characters",
            }
        ),
        error_messages={
            "required": "Enter the verification code from the certificate",
            "max_length": "The verification code is 12 letters and numbers",
        },
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if certificate_code_normalise(code) is None:
            raise forms.ValidationError(
                "Enter the code as it is printed: 12 letters and numbers, like ACDE-3FGH-4JKM"
            )
        return code


class CertificateRevokeForm(GovukForm):
    reason = forms.CharField(
        label="Why is this certificate being revoked?",
        help_text="For example, it was issued to the wrong person. The learner is not shown this.",
        max_length=1000,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 4}),
        error_messages={
            "required": "Enter why the certificate is being revoked",
            "max_length": "The reason must be 1000 characters or fewer",
        },
    )


def _select() -> forms.Select:
    return forms.Select(attrs={"class": "govuk-select"})


class ComplianceFilterForm(GovukForm):
    """Sent by GET, so a filtered view has an address that can be bookmarked and exported."""

    course = forms.ModelChoiceField(
        label="Course",
        queryset=Course.objects.none(),
        required=False,
        empty_label="Any course",
        widget=_select(),
        error_messages={"invalid_choice": "Select a course from the list"},
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="All agencies",
        widget=_select(),
        error_messages={"invalid_choice": "Select an agency from the list"},
    )
    team = forms.ChoiceField(
        label="Team",
        required=False,
        widget=_select(),
        error_messages={"invalid_choice": "Select a team from the list"},
    )
    role = forms.ChoiceField(
        label="Role",
        required=False,
        choices=[("", "All roles"), *Role.choices],
        widget=_select(),
        error_messages={"invalid_choice": "Select a role from the list"},
    )
    status = forms.ChoiceField(
        label="Training status",
        required=False,
        choices=[("", "Any status"), *TrainingStatus.choices],
        widget=_select(),
        error_messages={"invalid_choice": "Select a training status from the list"},
    )

    def __init__(
        self,
        *args: Any,
        courses: QuerySet[Course],
        agencies: QuerySet[Agency] | None,
        teams: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses  # type: ignore[attr-defined]
        if agencies is None:
            # A safeguarding lead sees one agency: choosing another would find nobody.
            del self.fields["agency"]
        else:
            self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["team"].choices = [("", "All teams"), *((team, team) for team in teams)]  # type: ignore[attr-defined]

    def filters(self) -> ComplianceFilters:
        data = self.cleaned_data
        return ComplianceFilters(
            course=data.get("course"),
            agency=data.get("agency"),
            team=data.get("team") or "",
            role=data.get("role") or "",
            status=data.get("status") or "",
        )
