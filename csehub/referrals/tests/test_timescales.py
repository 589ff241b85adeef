"""Decision deadlines in working days, across weekends and bank holidays (England and Wales)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from csehub.deadlines.clocks import LONDON, working_days_after
from csehub.referrals import selectors
from csehub.referrals.models import Destination
from csehub.referrals.timescales import decision_due, timescales_parse

from .conftest import refer


def _london(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("sent", "due"),
    [
        # Tuesday -> Wednesday 17:00
        (_london(2026, 11, 24, 10, 0), _london(2026, 11, 25, 17, 0)),
        # Friday -> Monday 17:00 (the weekend does not count)
        (_london(2026, 11, 27, 15, 0), _london(2026, 11, 30, 17, 0)),
        # Saturday -> Monday 17:00
        (_london(2026, 11, 28, 11, 0), _london(2026, 11, 30, 17, 0)),
        # Thursday 24 December 2026 -> Tuesday 29 December (Christmas Day Friday, Boxing Day
        # substitute Monday 28 December)
        (_london(2026, 12, 24, 9, 0), _london(2026, 12, 29, 17, 0)),
        # Friday before the late May bank holiday (Monday 25 May 2026) -> Tuesday
        (_london(2026, 5, 22, 12, 0), _london(2026, 5, 26, 17, 0)),
    ],
)
def test_the_front_door_decides_within_one_working_day(sent, due):
    assert decision_due(destination=Destination.CHILDRENS_SOCIAL_CARE, sent_at=sent) == due


def test_a_social_worker_has_two_working_days():
    sent = _london(2026, 11, 27, 15, 0)  # Friday
    due = decision_due(destination=Destination.ALLOCATED_SOCIAL_WORKER, sent_at=sent)
    assert due == _london(2026, 12, 1, 17, 0)  # Tuesday


def test_working_days_skip_weekends_and_bank_holidays():
    assert working_days_after(dt.date(2026, 8, 28), 1) == dt.date(2026, 9, 1)  # Aug bank hol


def test_a_bad_timescales_file_names_the_entry():
    with pytest.raises(ValueError, match=r"destinations\.front: decision_within_working_days"):
        timescales_parse(
            'end_of_working_day: "17:00"\n'
            "destinations:\n  front:\n    decision_within_working_days: soon\n"
        )


@pytest.mark.django_db
def test_overdue_referrals_show_on_both_work_lists(
    school_dsl, concern, council, front_door, school_practitioner
):
    # Sent on the Friday before the late May bank holiday: due on Tuesday at 17:00.
    with time_machine.travel(_london(2026, 5, 22, 15, 0), tick=False):
        referral = refer(school_dsl, concern, Destination.CHILDRENS_SOCIAL_CARE, agency=council)
    for moment, overdue in [
        (_london(2026, 5, 25, 18, 0), False),  # bank holiday Monday evening
        (_london(2026, 5, 26, 16, 59), False),  # Tuesday, just before the deadline
        (_london(2026, 5, 26, 17, 1), True),  # Tuesday, just after
    ]:
        with time_machine.travel(moment, tick=False):
            team = selectors.referrals_to_team(user=front_door).get(pk=referral.pk)
            made = selectors.referrals_made_by(user=school_dsl).get(pk=referral.pk)
            raised = selectors.referrals_made_by(user=school_practitioner).get(pk=referral.pk)
            assert (team.overdue, made.overdue, raised.overdue) == (overdue,) * 3
            assert referral.is_overdue is overdue
