"""The learning app's daily job: refresher reminders, sent by the job runner each morning."""

from __future__ import annotations

import datetime as dt

from csehub.deadlines.daily import register_daily_job

from .services.records import refresher_reminders_send


@register_daily_job
def refresher_reminders(today: dt.date) -> int:
    return refresher_reminders_send(today=today)
