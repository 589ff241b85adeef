"""Work done once a day by the job runner: refresher reminders, and later the retention job.

Apps register a daily job: a function of the day it runs for, returning how many things it
did. `daily_jobs_run` runs them all, then queues itself for 07:00 London time the next day;
`daily_jobs_schedule` (called as the worker starts) queues the first run when none is waiting.
Each job must be safe to run twice on one day (reminders are sent once per threshold).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from csehub.registry import Registry

from .clocks import LONDON

logger = logging.getLogger(__name__)

DAILY_AT = dt.time(7, 0)  # London time, before the working day starts

DailyJob = Callable[[dt.date], int]
_jobs = Registry[DailyJob]("daily jobs")


def register_daily_job(job: DailyJob) -> DailyJob:
    """Add a job (usable as a decorator). Registering the same one twice is harmless."""
    return _jobs.register(job)


def next_run_after(now: dt.datetime) -> dt.datetime:
    """The next 07:00 in London after `now`."""
    local = now.astimezone(LONDON)
    day = local.date() if local.time() < DAILY_AT else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, DAILY_AT, tzinfo=LONDON)


def _waiting() -> bool:
    """A daily run is already queued (and not yet started)."""
    return DBTaskResult.objects.filter(
        task_path=daily_jobs_run.module_path, status=TaskResultStatus.READY
    ).exists()


def daily_jobs_schedule(*, now: dt.datetime | None = None) -> bool:
    """Queue the next daily run unless one is waiting. True when one was queued."""
    if _waiting():
        return False
    daily_jobs_run.using(run_after=next_run_after(now or timezone.now())).enqueue()
    return True


@task()
def daily_jobs_run() -> dict[str, int]:
    """Run every daily job for today, then queue tomorrow's run."""
    today = timezone.localdate()
    done: dict[str, int] = {}
    try:
        for job in _jobs:
            done[job.__name__] = job(today)
    finally:
        daily_jobs_schedule()  # even after a failure, tomorrow's run is queued
    return done
