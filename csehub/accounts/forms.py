from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.db.models import QuerySet

from csehub.govuk_forms import GovukForm, GovukRadioSelect

from .models import Agency, AgencyType, Role, User


class SignInForm(GovukForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(
            attrs={"class": "govuk-input", "autocomplete": "username", "spellcheck": "false"}
        ),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(
            attrs={
                "class": "govuk-input govuk-password-input__input govuk-js-password-input-input",
                "autocomplete": "current-password",
            }
        ),
        error_messages={"required": "Enter your password"},
    )


class CodeForm(GovukForm):
    code = forms.RegexField(
        label="Code from your authenticator app",
        help_text="The 6-digit code shown in the app, for example 123456",
        regex=r"^\s*\d{6}\s*$",
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input govuk-input--width-5",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app",
            "invalid": "The code must be 6 digits, like 123456",
        },
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()


def _text(label: str, *, required: str | None, max_length: int, **attrs: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required is not None,
        max_length=max_length,
        widget=forms.TextInput(attrs={"class": "govuk-input", **attrs}),
        error_messages={
            "required": required or "",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
    )


STATUS_CHOICES = [("active", "Active"), ("inactive", "Inactive")]


def _status_field(hint: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label="Status",
        help_text=hint,
        choices=STATUS_CHOICES,
        coerce=lambda value: value == "active",
        widget=GovukRadioSelect,
        error_messages={"required": "Select whether it is active or inactive"},
    )


class AgencyForm(GovukForm):
    name = _text(
        "Agency name", required="Enter the agency's name", max_length=200, autocomplete="off"
    )
    agency_type = forms.ChoiceField(
        label="Type of agency",
        choices=[("", "Select a type"), *AgencyType.choices],
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={
            "required": "Select the type of agency",
            "invalid_choice": "Select a type of agency from the list",
        },
    )


class AgencyEditForm(AgencyForm):
    is_active = _status_field(
        "Nobody in an inactive agency can sign in or use the API, and people cannot be added to "
        "it. Its records stay as they are."
    )


class UserForm(GovukForm):
    full_name = _text(
        "Full name",
        required="Enter the person's full name",
        max_length=200,
        autocomplete="off",
        spellcheck="false",
    )
    email = forms.EmailField(
        label="Email address",
        help_text="Their work email address. We will send the invitation to it.",
        max_length=254,
        widget=forms.EmailInput(
            attrs={"class": "govuk-input", "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        empty_label="Select an agency",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={
            "required": "Select the agency the person works for",
            "invalid_choice": "Select an agency from the list",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        help_text="The role decides what the person can see and do.",
        choices=[("", "Select a role"), *Role.choices],
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={
            "required": "Select the person's role",
            "invalid_choice": "Select a role from the list",
        },
    )
    team = _text("Team (optional)", required=None, max_length=120, autocomplete="off")
    job_title = _text("Job title (optional)", required=None, max_length=120, autocomplete="off")

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ModelChoiceField)
        agency_field.queryset = agencies


class UserEditForm(UserForm):
    is_active = _status_field("An inactive user cannot sign in. Their records stay as they are.")


class UserFilterForm(forms.Form):
    """The filters above the user list. Bad values are ignored rather than shown as errors."""

    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="All agencies",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    role = forms.ChoiceField(
        label="Role",
        required=False,
        choices=[("", "All roles"), *Role.choices],
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ModelChoiceField)
        agency_field.queryset = agencies

    def values(self) -> tuple[Agency | None, str]:
        if not self.is_valid():
            return None, ""
        return self.cleaned_data.get("agency"), self.cleaned_data.get("role") or ""


class SetPasswordForm(GovukForm):
    """Choosing a password: Django's validators decide what is acceptable, and say why not."""

    new_password = forms.CharField(
        label="Create a password",
        help_text="At least 12 characters. Avoid common passwords and anything like your name "
        "or email address. A few random words together work well.",
        strip=False,
        widget=forms.PasswordInput(
            attrs={
                "class": "govuk-input govuk-password-input__input govuk-js-password-input-input",
                "autocomplete": "new-password",
            }
        ),
        error_messages={"required": "Enter a password"},
    )
    confirm_password = forms.CharField(
        label="Confirm your password",
        strip=False,
        widget=forms.PasswordInput(
            attrs={
                "class": "govuk-input govuk-password-input__input govuk-js-password-input-input",
                "autocomplete": "new-password",
            }
        ),
        error_messages={"required": "Enter the password again to confirm it"},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_password(self) -> str:
        password = str(self.cleaned_data["new_password"])
        password_validation.validate_password(password, self.user)
        return password

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("new_password"), cleaned.get("confirm_password")
        if first and second and first != second:
            self.add_error(
                "confirm_password", "The passwords do not match. Enter the same password twice"
            )
        return cleaned
