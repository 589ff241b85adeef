"""`csehub worker`: the job runner. Queues the daily jobs if none is waiting, then runs
`db_worker` on every queue: reminders and daily jobs as they fall due (decision 0019)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from csehub.deadlines.daily import daily_jobs_schedule


class Command(BaseCommand):
    help = "Run the job runner: reminders and daily jobs as they fall due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run what is due now, then stop (for cron or tests)",
        )
        parser.add_argument("--interval", type=float, default=5, help="Seconds between looks")

    def handle(self, *args: Any, **options: Any) -> None:
        daily_jobs_schedule()
        worker_options = ["--queue-name", "*", "--interval", str(options["interval"])]
        if options["batch"]:
            worker_options += ["--batch", "--no-startup-delay"]
        call_command("db_worker", *worker_options, verbosity=options["verbosity"])
