"""What each field of intelligence may hold: how long it may be and which characters it may have.

One set of limits for every way in: the bulk import (interchange.report_parse), the web forms and
the models' validators (so a service's full_clean refuses too). A name or an identifier is one
line; free text may have tabs and line breaks. Control characters and unpaired surrogates are
refused everywhere: they are invisible on the page, and PostgreSQL cannot store a null or an
unpaired surrogate at all. Messages name the field and the position, never the value.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# Limits, in characters.
SOURCE_MAX = 200
EXTERNAL_ID_MAX = 100
REF_MAX = 40
TEXT_MAX = 20_000  # a report as the partner wrote it
NAME_MAX = 200
DESCRIPTION_MAX = 10_000
PLATE_MAX = 40
MAKE_MAX = 100
COLOUR_MAX = 50
PHONE_NUMBER_MAX = 40
PLATFORM_MAX = 100
USERNAME_MAX = 200
ADDRESS_MAX = 300
POSTCODE_MAX = 20
LINK_KIND_MAX = 100
GRADING_TEXT_MAX = 1_000  # the feedback to the submitter, and conditions on sharing
OUTCOME_REFERENCE_MAX = 60

# C0 and C1 controls (Unicode category Cc), line and paragraph separators, the bidirectional
# overrides and isolates (which make text display in an order other than the one stored), and
# unpaired surrogates, which a JSON \ud800 escape can make but no encoding can store.
_SURROGATE = "\ud800-\udfff"
_ONE_LINE_REFUSED = re.compile(
    f"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069{_SURROGATE}]"
)
# Free text keeps tabs and line breaks (\t, \n, \r) and may be written right to left.
_FREE_TEXT_REFUSED = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_SURROGATE}]")
# What cannot be stored at all, even in the unknown fields kept as they came.
_UNSTORABLE = re.compile(f"[\x00{_SURROGATE}]")


def refused_character(value: str, *, multiline: bool = False) -> str:
    """Why `value` cannot be kept as it is (ending "at character N"), or "" when it can."""
    found = (_FREE_TEXT_REFUSED if multiline else _ONE_LINE_REFUSED).search(value)
    if found is None:
        return ""
    return _refusal(value, found.start(), multiline=multiline)


def unstorable_character(value: str) -> str:
    """Why `value` cannot be stored even as an unknown field, or "" when it can."""
    found = _UNSTORABLE.search(value)
    return "" if found is None else _refusal(value, found.start(), multiline=True)


def _refusal(value: str, index: int, *, multiline: bool) -> str:
    position = f"at character {index + 1:,}"
    if "\ud800" <= value[index] <= "\udfff":
        return f"has an unpaired surrogate (a \\ud800 to \\udfff escape on its own) {position}"
    if multiline:
        return f"has a control character {position} (tabs and line breaks are fine)"
    return f"has a control character (a tab, line break or similar) {position}"


def too_long(what: str, limit: int) -> str:
    return f"{what} must be {limit:,} characters or fewer"


@deconstructible
class AllowedCharacters:
    """Refuses control characters: in a name or identifier any, in free text all but tabs and
    line breaks. `what` names the field in the message ("The person's name")."""

    def __init__(self, what: str, *, multiline: bool = False) -> None:
        self.what = what
        self.multiline = multiline

    def __call__(self, value: object) -> None:
        problem = refused_character(str(value), multiline=self.multiline)
        if problem:
            raise ValidationError(f"{self.what} {problem}", code="control_character")

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, AllowedCharacters)
            and other.what == self.what
            and other.multiline == self.multiline
        )

    def __hash__(self) -> int:
        return hash((self.what, self.multiline))
