"""Daily jobs run by themselves: the worker queues the first run for 07:00, runs each job once
for its day, and queues the next morning's run."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from csehub.deadlines import daily
from csehub.deadlines.clocks import LONDON
from csehub.learning.daily import refresher_reminders

pytestmark = pytest.mark.django_db(transaction=True)

ran: list[dt.date] = []


def _counted(today: dt.date) -> int:
    ran.append(today)
    return 1


@pytest.fixture
def job():
    ran.clear()
    daily.register_daily_job(_counted)
    yield
    daily._jobs.unregister(_counted)


def _worker() -> None:
    call_command("worker", "--batch", verbosity=0)


def _waiting() -> list[dt.datetime]:
    return list(
        DBTaskResult.objects.filter(
            task_path=daily.daily_jobs_run.module_path, status="READY"
        ).values_list("run_after", flat=True)
    )


def test_the_daily_jobs_run_each_morning_once(job):
    with time_machine.travel(dt.datetime(2026, 12, 7, 6, 0, tzinfo=LONDON), tick=False):
        _worker()  # starts before 07:00: today's run is queued, nothing runs yet
    assert ran == []
    assert _waiting() == [dt.datetime(2026, 12, 7, 7, 0, tzinfo=LONDON)]

    with time_machine.travel(dt.datetime(2026, 12, 7, 7, 5, tzinfo=LONDON), tick=False):
        _worker()
        _worker()  # again the same morning: nothing more
    assert ran == [dt.date(2026, 12, 7)]
    assert _waiting() == [dt.datetime(2026, 12, 8, 7, 0, tzinfo=LONDON)]

    with time_machine.travel(dt.datetime(2026, 12, 8, 9, 0, tzinfo=LONDON), tick=False):
        _worker()
    assert ran == [dt.date(2026, 12, 7), dt.date(2026, 12, 8)]


def test_refresher_reminders_are_a_daily_job():
    assert refresher_reminders in list(daily._jobs)
