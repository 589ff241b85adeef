"""The product's clocks, as the people waiting on them would count."""

from __future__ import annotations

import datetime as dt

from csehub.deadlines.clocks import (
    LONDON,
    bank_holiday_name,
    days_after,
    days_until,
    hours_after,
    is_past,
    is_working_day,
    to_london,
    working_days_after,
)


def test_72_elapsed_hours_count_the_weekend():
    friday_evening = dt.datetime(2026, 11, 20, 19, 0, tzinfo=LONDON)
    assert hours_after(friday_evening, 72) == dt.datetime(2026, 11, 23, 19, 0, tzinfo=LONDON)


def test_72_elapsed_hours_across_the_clocks_going_back_are_72_real_hours():
    # The clocks go back at 02:00 on Sunday 25 October 2026: the wall clock shows an hour less.
    saturday = dt.datetime(2026, 10, 24, 20, 0, tzinfo=LONDON)
    due = to_london(hours_after(saturday, 72))
    assert (due.date(), due.hour) == (dt.date(2026, 10, 27), 19)
    assert due.astimezone(dt.UTC) - saturday.astimezone(dt.UTC) == dt.timedelta(hours=72)


def test_working_days_skip_weekends_and_bank_holidays():
    assert bank_holiday_name(dt.date(2026, 12, 28)) == "Boxing Day, substitute day"
    assert not is_working_day(dt.date(2026, 12, 28))
    # Thursday 24 December: the next working day is Tuesday 29th.
    assert working_days_after(dt.date(2026, 12, 24), 1) == dt.date(2026, 12, 29)
    assert working_days_after(dt.date(2026, 12, 26), 0) == dt.date(2026, 12, 29)


def test_a_calendar_date_has_passed_only_after_the_day():
    today = dt.date(2026, 12, 7)
    assert is_past(dt.date(2026, 12, 6), today)
    assert not is_past(today, today)


def test_calendar_days_count_weekends_bank_holidays_and_the_clock_change():
    # From Thursday 24 December across Christmas, Boxing Day's substitute and a weekend.
    assert days_until(dt.date(2026, 12, 31), dt.date(2026, 12, 24)) == 7
    assert days_after(dt.date(2026, 12, 31), -7) == dt.date(2026, 12, 24)
    # Across the clocks going back on 25 October: still whole days.
    assert days_until(dt.date(2026, 10, 26), dt.date(2026, 10, 24)) == 2
    assert days_until(dt.date(2026, 12, 6), dt.date(2026, 12, 7)) == -1
