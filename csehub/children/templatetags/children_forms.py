"""Template helpers for the GOV.UK date input."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.forms import BoundField

register = template.Library()

PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))


@register.filter
def date_parts(field: BoundField) -> list[dict[str, Any]]:
    """Day, month and year boxes of a GovukDateField: name, id, label, width and the value
    as typed (or from the saved date), so a rejected date comes back exactly as entered."""
    value = field.value()
    if isinstance(value, dt.date):
        values: list[Any] = [value.day, value.month, value.year]
    elif isinstance(value, list | tuple):
        values = list(value) + [""] * (3 - len(value))
    else:
        values = ["", "", ""]
    return [
        {
            "name": f"{field.html_name}_{suffix}",
            "id": f"{field.auto_id}_{suffix}",
            "label": label,
            "width": width,
            "value": "" if values[i] is None else values[i],
        }
        for i, (suffix, label, width) in enumerate(PARTS)
    ]
