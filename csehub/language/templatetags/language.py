"""`{% language_field_state field as state %}`: what language/field_check.html needs for a field.

The include calls it so that a form shown again (after an error, or to show guidance on save)
already carries the guidance for what is in the field, without waiting for a keystroke.
"""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.forms import BoundField

from csehub.language.checker import flag_codes, known_codes, language_check
from csehub.language.forms import (
    check_result_context,
    fingerprint_input_name,
    shown_input_name,
)

register = template.Library()


@register.simple_tag
def language_field_state(field: BoundField) -> dict[str, Any]:
    html_name = field.html_name
    value = field.value()
    flags = language_check(value if isinstance(value, str) else "")
    previously_shown: list[str] = []
    if field.form.is_bound:
        posted = field.form.data.get(shown_input_name(html_name), "")
        previously_shown = known_codes(posted if isinstance(posted, str) else "")
    shown = list(dict.fromkeys([*previously_shown, *flag_codes(flags)]))
    return {
        "region_id": f"{field.auto_id or html_name}-language",
        "field_id": field.auto_id,
        "params": ",".join(
            [
                html_name,
                "language_field",
                shown_input_name(html_name),
                fingerprint_input_name(html_name),
            ]
        ),
        "vals_json": json.dumps({"language_field": html_name}),
        "result": check_result_context(html_name=html_name, flags=flags, shown=shown),
    }
