"""The period and the agency a profile is for."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from csehub.accounts.models import Agency
from csehub.govuk_forms import GovukForm, date_text_field

LONGEST = dt.timedelta(days=3 * 366)


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last twelve whole months and this one so far."""
    today = today or timezone.localdate()
    start = (today.replace(day=1) - dt.timedelta(days=365)).replace(day=1)
    return start, today


class PeriodForm(GovukForm):
    start = date_text_field("First day", example="1/4/2026")
    end = date_text_field("Last day", example="1/4/2026")
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="The whole partnership",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": "Choose an agency from the list"},
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ModelChoiceField)
        agency_field.queryset = agencies

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "The last day must be on or after the first day")
            elif end - start > LONGEST:
                self.add_error("end", "A profile covers three years at most")
            elif end > timezone.localdate():
                self.add_error("end", "The last day must be today or in the past")
        return data
