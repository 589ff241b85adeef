"""`csehub learning ACTION`: jobs for the learning app.

`remind` emails people whose refresher falls due in 60, 30 or 0 days (or has passed), once per
threshold. The job runner does this every morning (`csehub worker`, decision 0019); run it by
hand to catch up after an outage.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from csehub.learning.services.records import refresher_reminders_send


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today must be a date like 2026-03-27, not {value!r}") from error


class Command(BaseCommand):
    help = "Jobs for training. `remind` sends refresher reminders (the job runner does daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        remind = actions.add_parser(
            "remind",
            help="Email people whose refresher is due in 60, 30 or 0 days, once per threshold.",
        )
        remind.add_argument(
            "--today",
            type=_date,
            default=None,
            help="Act as if it were this day (YYYY-MM-DD); for catching up after an outage.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "remind":
            sent = refresher_reminders_send(today=options["today"])
            self.stdout.write(f"Refresher reminders sent: {sent}")
