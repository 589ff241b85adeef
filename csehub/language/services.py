"""Counting what users did with the language guidance they were shown. Counts only, no text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.db import transaction
from django.utils import timezone

from csehub.accounts.models import User
from csehub.audit.models import Verb
from csehub.audit.services import audit_record

from .checker import flag_codes, known_codes
from .forms import language_flags_for_form, language_shown_codes
from .models import LanguageFeedback, Outcome

FIELD_KEY_PATTERN = re.compile(r"^[a-z0-9_]+(?:[.-][a-z0-9_]+)*$")
FIELD_KEY_MAX = 100


@dataclass(frozen=True)
class FieldOutcome:
    """What happened to the guidance shown for one field, by phrase code."""

    accepted: list[str]
    ignored: list[str]


@transaction.atomic
def language_feedback_record(
    *, user: User, field_key: str, flags_shown: list[str], outcome: Outcome | str
) -> list[str]:
    """Count, for today and the user's agency, that each phrase was shown on this field and
    whether the wording was changed (accepted) or kept (ignored).

    `field_key` names the form field, e.g. "concerns.concern.what_was_seen". Codes not in the
    phrases file are left out. Returns the codes counted.
    """
    if not (FIELD_KEY_PATTERN.match(field_key) and len(field_key) <= FIELD_KEY_MAX):
        raise ValueError(
            f"field_key must be lower case words joined by dots, {FIELD_KEY_MAX} characters or "
            f"fewer, like concerns.concern.summary (got {field_key!r})"
        )
    outcome = Outcome(outcome)
    codes = known_codes(",".join(flags_shown))
    if not codes:
        return []
    day = timezone.localdate()
    for code in codes:
        row, _created = LanguageFeedback.objects.select_for_update().get_or_create(
            day=day, agency=user.agency, phrase_code=code, field_key=field_key
        )
        row.shown_count += 1
        if outcome is Outcome.ACCEPTED:
            row.accepted_count += 1
        else:
            row.ignored_count += 1
        row.full_clean()
        row.save()
    audit_record(
        actor=user,
        verb=Verb.UPDATED,
        target_type="language_feedback",
        detail={"field_key": field_key, "phrase_codes": codes, "outcome": outcome.value},
    )
    return codes


def field_outcome(*, shown: Iterable[str], present_at_save: Iterable[str]) -> FieldOutcome:
    """Shown while writing and gone at save: the wording was changed. Still there: kept."""
    present = set(present_at_save)
    shown_codes = list(dict.fromkeys(shown))
    return FieldOutcome(
        accepted=[code for code in shown_codes if code not in present],
        ignored=[code for code in shown_codes if code in present],
    )


@transaction.atomic
def language_feedback_record_for_form(
    *, user: User, form: forms.BaseForm, field_names: Iterable[str], form_key: str
) -> dict[str, FieldOutcome]:
    """After a form is saved, count the guidance shown on each named field and its outcome.

    The field key of each count is "<form_key>.<field name>". Call it in the same transaction
    as the save, after `form.is_valid()`.
    """
    outcomes: dict[str, FieldOutcome] = {}
    for name, flags in language_flags_for_form(form, field_names).items():
        result = field_outcome(
            shown=language_shown_codes(form, name), present_at_save=flag_codes(flags)
        )
        field_key = f"{form_key}.{name}"
        if result.accepted:
            language_feedback_record(
                user=user, field_key=field_key, flags_shown=result.accepted, outcome="accepted"
            )
        if result.ignored:
            language_feedback_record(
                user=user, field_key=field_key, flags_shown=result.ignored, outcome="ignored"
            )
        outcomes[name] = result
    return outcomes
