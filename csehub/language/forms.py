"""Forms of the language pages, and helpers that let any app's form use the checker on save.

How another app uses it (see docs/decisions/0007-language-guidance.md):
- in the template, render each free-text field with
  {% include "includes/field_textarea.html" with field=form.summary check_language=True %}
  (or place {% include "language/field_check.html" with field=form.summary %} after any
  textarea). The page then carries, per field, a hidden input of the phrase codes the user has
  been shown while writing.
- in the view, after `form.is_valid()`, call `language_unseen_flags(form, ["summary"])`: if it
  is not empty the user has not yet seen some guidance (scripts off, or pasted and saved at
  once), so show the form again, which now shows the guidance; saving again is always allowed.
- after saving, call `services.language_feedback_record_for_form(...)` to count what the user
  did with the guidance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms

from .checker import (
    LanguageFlag,
    flag_codes,
    flags_fingerprint,
    flags_grouped,
    known_codes,
    language_check,
)

TRY_MAX_LENGTH = 10_000
# The name of a form field on the page (with any form prefix), as sent back by the check request.
FIELD_NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,100}$")


def shown_input_name(html_name: str) -> str:
    """The hidden input that carries the codes shown so far for one field."""
    return f"{html_name}-language-shown"


def fingerprint_input_name(html_name: str) -> str:
    """The hidden input that carries a digest of the guidance on screen for one field."""
    return f"{html_name}-language-current"


def _field_text(form: forms.BaseForm, name: str) -> str:
    cleaned = getattr(form, "cleaned_data", {}).get(name)
    if isinstance(cleaned, str):
        return cleaned
    value = form[name].value()
    return value if isinstance(value, str) else ""


def language_flags_for_form(
    form: forms.BaseForm, field_names: Iterable[str]
) -> dict[str, list[LanguageFlag]]:
    """The flags in each named field of a bound form, from cleaned data when it has been
    validated, otherwise from what was submitted."""
    return {name: language_check(_field_text(form, name)) for name in field_names}


def language_shown_codes(form: forms.BaseForm, field_name: str) -> list[str]:
    """The phrase codes the user was shown for a field while writing (from the hidden input)."""
    value = form.data.get(shown_input_name(form[field_name].html_name), "")
    return known_codes(value if isinstance(value, str) else "")


def language_unseen_flags(
    form: forms.BaseForm, field_names: Iterable[str]
) -> dict[str, list[LanguageFlag]]:
    """Flags present in the submitted text that the user has not yet been shown, per field
    (fields with none are left out)."""
    unseen: dict[str, list[LanguageFlag]] = {}
    for name, flags in language_flags_for_form(form, field_names).items():
        shown = set(language_shown_codes(form, name))
        new = [flag for flag in flags if flag.code not in shown]
        if new:
            unseen[name] = new
    return unseen


class CheckRequestForm(forms.Form):
    """What the page sends to /language/check/: which field, and that field's text."""

    language_field = forms.RegexField(regex=FIELD_NAME_PATTERN)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        name = cleaned.get("language_field")
        if name:
            cleaned["text"] = str(self.data.get(name, ""))
            cleaned["shown"] = known_codes(str(self.data.get(shown_input_name(name), "")))
            cleaned["fingerprint"] = str(self.data.get(fingerprint_input_name(name), ""))
        return cleaned


class TryForm(forms.Form):
    text = forms.CharField(
        label="Your wording",
        help_text=(
            "Type or paste a sentence or two. Use made-up details: nothing you write here is saved."
        ),
        max_length=TRY_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter some wording to check",
            "max_length": f"Wording to check must be {TRY_MAX_LENGTH:,} characters or fewer",
        },
    )


def check_result_context(
    *, html_name: str, flags: list[LanguageFlag], shown: list[str]
) -> dict[str, Any]:
    """What language/check_result.html shows for one field, and the hidden inputs it carries."""
    return {
        "groups": flags_grouped(flags),
        "count": len(flag_codes(flags)),
        "shown_name": shown_input_name(html_name),
        "shown_value": ",".join(shown),
        "fingerprint_name": fingerprint_input_name(html_name),
        "fingerprint": flags_fingerprint(flags),
    }
