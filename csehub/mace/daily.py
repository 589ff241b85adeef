"""The MACE app's daily job: reminders about the panel's disruption actions and notices,
sent by the job runner each morning (deadlines.daily)."""

from __future__ import annotations

import datetime as dt

from csehub.deadlines.daily import register_daily_job

from .services.reminders import action_reminders_send


@register_daily_job
def action_reminders(today: dt.date) -> int:
    return action_reminders_send(today=today)
