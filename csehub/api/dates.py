"""Dates and times partner systems send and get back: plausible, and described truthfully.

A time of day in CSE Hub (when something was seen, when a child told someone) is a local UK
wall-clock time with no zone: the database keeps it that way, and without the date beside it a
zone could not be turned into UK time anyway. So a time with a zone or offset is refused rather
than guessed at, and the OpenAPI document describes the time as it really comes back
("15:40:00"), not as RFC 3339's `time` format, which requires an offset.

A date is checked against what it means: things that happened, and dates of birth, are from
1900 and not in the future; a period asked for, and a moment to look up, are within 1900 to
2100. Outside those, a partner system has made a mistake, and is told so by name.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.utils import timezone
from pydantic import AfterValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)

# 00:00 to 23:59, optionally with seconds and a fraction of a second; nothing after.
_LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


def _no_zone(value: dt.time) -> dt.time:
    if value.tzinfo is not None:
        raise PydanticCustomError(
            "time_zone",
            "Give the UK local time of day without a zone or offset, like 14:30",
        )
    return value


def _happened(value: dt.date) -> dt.date:
    if value < EARLIEST:
        raise PydanticCustomError("date_too_early", "Enter a date from 1 January 1900 onwards")
    if value > timezone.localdate():
        raise PydanticCustomError("date_in_future", "The date must be today or in the past")
    return value


def _within_range(value: dt.date) -> dt.date:
    if not EARLIEST <= value <= LATEST:
        raise PydanticCustomError(
            "date_out_of_range", "Enter a date between 1 January 1900 and 31 December 2100"
        )
    return value


def _moment_within_range(value: dt.datetime) -> dt.datetime:
    _within_range(value.date())
    return value


LocalTime = Annotated[
    dt.time,
    AfterValidator(_no_zone),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _LOCAL_TIME_PATTERN,
            "description": "UK local time of day, without a zone: 15:40 or 15:40:00.",
        }
    ),
]

PastDate = Annotated[
    dt.date,
    AfterValidator(_happened),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "description": "From 1900-01-01 to today (UK).",
        }
    ),
]

PeriodDate = Annotated[
    dt.date,
    AfterValidator(_within_range),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "description": "From 1900-01-01 to 2100-12-31.",
        }
    ),
]

Moment = Annotated[
    dt.datetime,
    AfterValidator(_moment_within_range),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "description": (
                "From 1900 to 2100. Without a zone or offset it is taken as UK local time."
            ),
        }
    ),
]
