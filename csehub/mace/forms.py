"""The shape of a MACE listing."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from csehub.govuk_forms import GovukDateField, GovukForm


class MaceListingForm(GovukForm):
    panel_date = GovukDateField(
        label="Date of the panel that agreed to list this person",
        help_text="For example, 14 11 2026",
        required_message="Enter the date of the panel that agreed to list this person",
    )

    def clean_panel_date(self) -> dt.date:
        value: dt.date = self.cleaned_data["panel_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("The panel date must be today or in the past")
        return value
