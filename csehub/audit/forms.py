"""The audit log search: which events an information governance officer wants to see."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.db.models import QuerySet

from csehub.accounts.models import User

from .models import Outcome, Verb, record_type_label
from .selectors import AuditFilters

_DIGITS = re.compile(r"^\d{1,4}$")
DATE_PARTS = ("day", "month", "year")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.email})"


def _select(**attrs: str) -> forms.Select:
    return forms.Select(attrs={"class": "govuk-select", **attrs})


def _date_part(part: str) -> forms.CharField:
    width = "4" if part == "year" else "2"
    return forms.CharField(
        label=part.capitalize(),
        required=False,
        widget=forms.TextInput(
            attrs={
                "class": f"govuk-input govuk-date-input__input govuk-input--width-{width}",
                "inputmode": "numeric",
            }
        ),
    )


class AuditSearchForm(forms.Form):
    """Sent by GET so that a search has an address: it can be paged, bookmarked and exported."""

    user = UserChoiceField(
        label="User",
        queryset=User.objects.none(),
        required=False,
        empty_label="Anyone",
        widget=_select(),
        error_messages={"invalid_choice": "Select a user from the list"},
    )
    email = forms.EmailField(
        label="Or their email address",
        required=False,
        max_length=254,
        widget=forms.EmailInput(
            attrs={"class": "govuk-input govuk-!-width-two-thirds", "spellcheck": "false"}
        ),
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org"
        },
    )
    record_type = forms.ChoiceField(
        label="Type of record",
        required=False,
        widget=_select(),
        error_messages={"invalid_choice": "Select a type of record from the list"},
    )
    record_id = forms.CharField(
        label="Record number",
        help_text="The number of one record, as shown in the results",
        required=False,
        max_length=128,
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-10", "spellcheck": "false"}
        ),
        error_messages={"max_length": "The record number must be 128 characters or fewer"},
    )
    verb = forms.ChoiceField(
        label="Action",
        required=False,
        choices=[("", "Any action"), *Verb.choices],
        widget=_select(),
        error_messages={"invalid_choice": "Select an action from the list"},
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        required=False,
        choices=[("", "Either"), *Outcome.choices],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select allowed, denied or either"},
    )
    from_day = _date_part("day")
    from_month = _date_part("month")
    from_year = _date_part("year")
    to_day = _date_part("day")
    to_month = _date_part("month")
    to_year = _date_part("year")

    def __init__(
        self, *args: Any, users: QuerySet[User], record_types: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.users = users
        user_field = self.fields["user"]
        assert isinstance(user_field, UserChoiceField)
        user_field.queryset = users
        type_field = self.fields["record_type"]
        assert isinstance(type_field, forms.ChoiceField)
        type_field.choices = [
            ("", "Any type of record"),
            *((code, record_type_label(code)) for code in record_types),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("user") and cleaned.get("email"):
            self.add_error(
                "email", "Choose a user from the list or enter an email address, not both"
            )
        elif (
            cleaned.get("email") and not self.users.filter(email__iexact=cleaned["email"]).exists()
        ):
            self.add_error("email", "No one in your partnership has that email address")
        start = self._date("from", "start date")
        end = self._date("to", "end date")
        if start and end and end < start:
            self.add_error("to_day", "The end date must be after the start date")
        cleaned["date_from"], cleaned["date_to"] = start, end
        return cleaned

    def _date(self, prefix: str, name: str) -> dt.date | None:
        """A GOV.UK date input: three boxes, one specific message, empty means no limit."""
        parts = {
            part: (self.cleaned_data.get(f"{prefix}_{part}") or "").strip() for part in DATE_PARTS
        }
        if not any(parts.values()):
            return None
        missing = [part for part in DATE_PARTS if not parts[part]]
        if missing:
            self.add_error(
                f"{prefix}_{missing[0]}", f"The {name} must include a {' and '.join(missing)}"
            )
            return None
        if not all(_DIGITS.match(value) for value in parts.values()):
            self.add_error(f"{prefix}_day", f"The {name} must be a real date")
            return None
        if len(parts["year"]) != 4:
            self.add_error(
                f"{prefix}_year", f"The year of the {name} must have 4 numbers, like 2025"
            )
            return None
        if not 1900 <= int(parts["year"]) <= 2999:
            self.add_error(f"{prefix}_year", f"The {name} must be between 1900 and 2999")
            return None
        try:
            return dt.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            self.add_error(f"{prefix}_day", f"The {name} must be a real date")
            return None

    def full_clean(self) -> None:
        super().full_clean()
        self._mark_errors()

    def _mark_errors(self) -> None:
        """The GOV.UK way: a field in error gets the error style and is described by the message.

        A date's three boxes are styled together and point to the one message for the date.
        """
        error_classes = {"govuk-input": "govuk-input--error", "govuk-select": "govuk-select--error"}
        for name, field in self.fields.items():
            bound = self[name]
            date_prefix = name.split("_")[0] if name.startswith(("from_", "to_")) else ""
            in_error = bool(self.date_errors(date_prefix)) if date_prefix else name in self.errors
            described = []
            if field.help_text:
                described.append(f"{bound.id_for_label}-hint")
            if in_error:
                classes = field.widget.attrs.get("class", "").split()
                classes += [error_classes[c] for c in classes if c in error_classes]
                field.widget.attrs["class"] = " ".join(dict.fromkeys(classes))
                described.append(
                    f"{date_prefix}-error" if date_prefix else f"{bound.id_for_label}-error"
                )
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)

    @property
    def date_from_errors(self) -> list[str]:
        return self.date_errors("from")

    @property
    def date_to_errors(self) -> list[str]:
        return self.date_errors("to")

    def date_errors(self, prefix: str) -> list[str]:
        return [str(e) for part in DATE_PARTS for e in self.errors.get(f"{prefix}_{part}", [])]

    def filters(self, *, until: int | None) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(
            user=data["user"].pk if data.get("user") else None,
            email=data.get("email") or "",
            record_type=data.get("record_type") or "",
            record_id=(data.get("record_id") or "").strip(),
            verb=data.get("verb") or "",
            outcome=data.get("outcome") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            until=until,
        )
