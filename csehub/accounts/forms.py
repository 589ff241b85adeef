from __future__ import annotations

from django import forms


class SignInForm(forms.Form):
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
            attrs={"class": "govuk-input govuk-password-input__input", "autocomplete": "current-password"}
        ),
        error_messages={"required": "Enter your password"},
    )


class CodeForm(forms.Form):
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
