"""Who to call now, around the edges of opening hours, weekends and bank holidays."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from csehub.pathways.directory import who_to_call_now
from csehub.pathways.files import DEFAULT_DATA_DIR, contacts_file_read

LONDON = ZoneInfo("Europe/London")
SPOC = "single_point_of_contact"
OFFICE = "01724 296500"
ANSWERPHONE = "01724 296555"


def _load(slug: str):
    return contacts_file_read(DEFAULT_DATA_DIR / slug / "contacts.yaml").directory


@pytest.fixture(scope="module")
def north_lincs():
    return _load("north-lincolnshire")


@pytest.fixture(scope="module")
def fernbridge():
    return _load("fernbridge")


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=LONDON)


def test_friday_1629_is_still_the_office_line(north_lincs):
    advice = who_to_call_now(north_lincs, SPOC, at("2026-11-27T16:29"))
    assert advice.is_open
    assert advice.number == OFFICE
    assert "open until 16:30 on Fridays" in advice.reason
    assert "999" in advice.message


def test_friday_1631_is_the_out_of_hours_answerphone(north_lincs):
    advice = who_to_call_now(north_lincs, SPOC, at("2026-11-27T16:31"))
    assert not advice.is_open
    assert advice.number == ANSWERPHONE
    assert "closes at 16:30 on Fridays, so this is the out-of-hours line" in advice.reason
    assert "answerphone" in advice.reason
    assert "opens again at 09:00 on Monday 30 November" in advice.reason
    assert advice.message.endswith("If a child is in immediate danger, call 999 first.")


def test_thursday_keeps_its_later_closing_time(north_lincs):
    assert who_to_call_now(north_lincs, SPOC, at("2026-11-26T16:45")).number == OFFICE
    assert who_to_call_now(north_lincs, SPOC, at("2026-11-26T17:00")).number == ANSWERPHONE


def test_christmas_day_is_a_bank_holiday(north_lincs):
    advice = who_to_call_now(north_lincs, SPOC, at("2026-12-25T11:00"))
    assert advice.number == ANSWERPHONE
    assert "It is a bank holiday (Christmas Day)" in advice.reason


def test_the_boxing_day_substitute_monday_is_a_bank_holiday(north_lincs):
    advice = who_to_call_now(north_lincs, SPOC, at("2026-12-28T11:00"))
    assert advice.number == ANSWERPHONE
    assert "bank holiday (Boxing Day, substitute day)" in advice.reason
    assert "opens again at 09:00 tomorrow" in advice.reason


def test_midnight_is_out_of_hours(north_lincs):
    advice = who_to_call_now(north_lincs, SPOC, at("2026-11-25T00:00"))
    assert advice.number == ANSWERPHONE
    assert "does not open until 09:00 today" in advice.reason


def test_opening_time_exactly_is_open(north_lincs):
    assert who_to_call_now(north_lincs, SPOC, at("2026-11-25T09:00")).number == OFFICE


def test_a_weekend_is_out_of_hours(north_lincs):
    advice = who_to_call_now(north_lincs, SPOC, at("2026-11-29T14:00"))
    assert advice.number == ANSWERPHONE
    assert "closed on Sundays" in advice.reason


def test_times_are_london_times_whatever_zone_they_arrive_in(north_lincs):
    # 16:15 UTC in summer is 17:15 in London, after Monday's closing time.
    summer = datetime.datetime(2026, 6, 1, 16, 15, tzinfo=datetime.UTC)
    assert who_to_call_now(north_lincs, SPOC, summer).number == ANSWERPHONE
    # In winter London is on UTC, so 16:15 UTC is 16:15 and the office is open.
    winter = datetime.datetime(2026, 11, 30, 16, 15, tzinfo=datetime.UTC)
    assert who_to_call_now(north_lincs, SPOC, winter).number == OFFICE


def test_a_round_the_clock_service_ignores_bank_holidays(fernbridge):
    advice = who_to_call_now(fernbridge, "police_referral_desk", at("2026-12-25T03:00"))
    assert advice.is_open
    assert advice.number == "01632 960200"
    assert "open all day and night" in advice.reason


def test_a_partnership_closure_date_closes_office_services(fernbridge):
    advice = who_to_call_now(fernbridge, "front_door", at("2026-12-24T10:00"))
    assert advice.number == "01632 960999"
    assert "closed today (the council's offices close for Christmas Eve)" in advice.reason


def test_a_service_without_an_out_of_hours_line_says_so(fernbridge):
    advice = who_to_call_now(fernbridge, "early_help", at("2026-11-28T10:00"))
    assert advice.number is None
    assert "no out-of-hours line" in advice.reason
    assert "999" in advice.message


def test_an_unknown_service_is_a_key_error(fernbridge):
    with pytest.raises(KeyError):
        who_to_call_now(fernbridge, "nobody", at("2026-11-28T10:00"))
