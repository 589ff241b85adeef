"""Every clock in the product, in one place, in London time.

Three kinds of clock:
- working days, which skip weekends and bank holidays in England and Wales (a referral's
  decision is due so many working days after it was sent);
- elapsed hours, which count nights and weekends (the return interview, offered within 72
  hours of the child coming back);
- calendar dates (an action's due date, a refresher, a notice expiring): plain dates, compared
  with today in London.

Bank holidays come from the `holidays` package: offline, maintained, and aware of substitute
days such as Boxing Day on a Monday.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")


def to_london(at: datetime.datetime) -> datetime.datetime:
    """Local time in London; a naive datetime is taken to be London time already."""
    if at.tzinfo is None:
        return at.replace(tzinfo=LONDON)
    return at.astimezone(LONDON)


@lru_cache(maxsize=16)
def _bank_holidays(year: int) -> dict[datetime.date, str]:
    # England and Wales share their bank holidays; Scotland and Northern Ireland differ.
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holiday_name(day: datetime.date) -> str | None:
    name = _bank_holidays(day.year).get(day)
    # "Boxing Day (observed)" reads better to a practitioner as a substitute day.
    return name.replace(" (observed)", ", substitute day") if name else None


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and bank_holiday_name(day) is None


def working_days_after(day: datetime.date, count: int) -> datetime.date:
    """The date `count` working days after `day` (day itself when count is 0 and it is a
    working day, otherwise the next working day)."""
    current = day
    if count == 0:
        while not is_working_day(current):
            current += datetime.timedelta(days=1)
        return current
    remaining = count
    while remaining:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def hours_after(at: datetime.datetime, hours: int) -> datetime.datetime:
    """`hours` elapsed hours after `at`, nights, weekends and bank holidays included. Counted
    in absolute time, so a clock change in between neither adds nor takes away an hour.
    (Adding a timedelta to an aware datetime moves its wall clock instead, so it goes via UTC.)"""
    moved = at.astimezone(datetime.UTC) + datetime.timedelta(hours=hours)
    return moved.astimezone(at.tzinfo)


def days_until(day: datetime.date, today: datetime.date) -> int:
    """Calendar days from `today` to `day`, weekends and bank holidays counted: 0 on the day
    itself, negative once it has passed."""
    return (day - today).days


def days_after(day: datetime.date, count: int) -> datetime.date:
    """The calendar date `count` days after `day` (before it, when negative)."""
    return day + datetime.timedelta(days=count)


def is_past(day: datetime.date, today: datetime.date | None = None) -> bool:
    """A calendar date has passed: it is before today in London."""
    return day < (today or datetime.datetime.now(LONDON).date())
