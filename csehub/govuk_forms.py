"""Form pieces in the GOV.UK Design System's style, shared by every app's forms.

GovukForm links each input to its hint and error message and marks it in error; the widgets
make the error summary's links land on the right box.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class GovukForm(forms.Form):
    """Marks fields with errors the GOV.UK way: error class on the input, described by its
    hint and error message, so a screen reader hears why the answer was not accepted."""

    ERROR_CLASSES = {"govuk-input": "govuk-input--error", "govuk-select": "govuk-select--error"}

    def full_clean(self) -> None:
        super().full_clean()
        self._mark_fields()

    def add_error(self, field: str | None, error: Any) -> None:
        # Also used by views for a service's ValidationError (a duplicate name, say).
        super().add_error(field, error)
        self._mark_fields()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._mark_fields()

    def _mark_fields(self) -> None:
        # Not self.errors: that would validate the form before a subclass finishes __init__.
        errors = getattr(self, "_errors", None) or {}
        for name, field in self.fields.items():
            bound = self[name]
            described = []
            if field.help_text:
                described.append(f"{bound.id_for_label}-hint")
            if name in errors:
                described.append(f"{bound.id_for_label}-error")
                classes = field.widget.attrs.get("class", "")
                for base, error_class in self.ERROR_CLASSES.items():
                    if base in classes.split() and error_class not in classes:
                        field.widget.attrs["class"] = f"{classes} {error_class}"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)


class GovukRadioSelect(forms.RadioSelect):
    """Radios whose field "label" is the first radio, so the error summary link lands on it."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return forms.widgets.ChoiceWidget.id_for_label(self, id_, "0" if index is None else index)


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year boxes, as the GOV.UK date input asks for."""

    def __init__(self) -> None:
        super().__init__(
            widgets={
                "day": forms.TextInput(attrs={"inputmode": "numeric"}),
                "month": forms.TextInput(attrs={"inputmode": "numeric"}),
                "year": forms.TextInput(attrs={"inputmode": "numeric"}),
            }
        )

    def id_for_label(self, id_: str) -> str:
        # The error summary links to the day box.
        return f"{id_}_day" if id_ else id_

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


EARLIEST_DATE = dt.date(1900, 1, 1)


class GovukDateField(forms.MultiValueField):
    """A date from three boxes, with a specific message for each way it can go wrong."""

    widget = GovukDateWidget

    def __init__(self, *, label: str, required_message: str = "", **kwargs: Any) -> None:
        self.required_message = required_message
        # Each box optional: a date with one box empty gets compress()'s specific message
        # ("must include a month") rather than Django's generic "Enter a complete value".
        fields = tuple(forms.CharField(required=False) for _ in range(3))
        super().__init__(
            fields=fields,
            label=label,
            required=bool(required_message),
            require_all_fields=False,
            error_messages={"required": required_message or f"Enter {label.lower()}"},
            **kwargs,
        )

    def compress(self, data_list: list[Any]) -> dt.date | None:
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        missing = [
            name for name, part in (("day", day), ("month", month), ("year", year)) if not part
        ]
        if missing:
            raise forms.ValidationError(f"{self.label} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise forms.ValidationError(
                f"{self.label} must be a real date, with a 4-digit year, like 27 3 2011"
            )
        try:
            value = dt.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{self.label} must be a real date") from None
        # Nothing this service records happened before 1900; such a date is a slip of the
        # keyboard (and the API refuses it too).
        if value < EARLIEST_DATE:
            raise forms.ValidationError(f"{self.label} must be in or after {EARLIEST_DATE.year}")
        return value


# Dates typed into one box ("27/3/2026"), for fields that sit beside a time or in a filter.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d %m %Y"]


def date_text_field(
    label: str, *, required: bool = True, example: str = "27/3/2026", hint: str = ""
) -> forms.DateField:
    """A date in one text box, with messages that name the field and show an example."""
    return forms.DateField(
        label=label,
        help_text=hint or f"For example, {example}",
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(
            attrs={"class": "govuk-input govuk-input--width-10", "autocomplete": "off"}
        ),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} like {example}",
        },
    )


def service_errors_onto(form: Any, error: ValidationError) -> None:
    """A service's ValidationError onto the form that asked for it, which keeps everything
    entered: each field's errors on that field (through the form's `field_for`, when a service
    names a value the form asks for in several boxes), the rest at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    field_for = getattr(form, "field_for", lambda name: name)
    for name, errors in error.message_dict.items():
        field = field_for(name)
        form.add_error(field if field in form.fields else None, errors)
