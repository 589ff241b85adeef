"""`csehub serve`: serve the app with gunicorn, run the job runner beside it, and say where
and how to sign in."""

import atexit
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from csehub.operations.management.commands.demo import sign_in_help

# Path without the query string: searches may hold names, and logs must never.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(L)ss'


class Command(BaseCommand):
    help = (
        "Serve CSE Hub with gunicorn on 127.0.0.1 at the port PORT names (8000 unless set), "
        "unless --bind says otherwise."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default=f"127.0.0.1:{settings.CSEHUB_PORT}")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--no-job-runner",
            action="store_true",
            help="Do not start `csehub worker` (run it as its own service instead)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.wsgiapp import run

        self.stdout.write(self.style.SUCCESS(f"CSE Hub is at http://{options['bind']}/"))
        if settings.CSEHUB_DEMO_MODE:
            self.stdout.write(sign_in_help())
        if not options["no_job_runner"]:
            self._job_runner_start()
        self.stdout.write("Press Ctrl+C to stop.")
        self.stdout.flush()
        # The workers inherit DJANGO_SETTINGS_MODULE from this process (set by `csehub`).
        sys.argv = [
            "gunicorn",
            f"--bind={options['bind']}",
            f"--workers={options['workers']}",
            "--access-logfile=-",
            f"--access-logformat={ACCESS_LOG_FORMAT}",
            "csehub.config.wsgi:application",
        ]
        run()

    def _job_runner_start(self) -> None:
        """Reminders and daily jobs run in `csehub worker` (decision 0019),
        started here and stopped when the server stops."""
        worker = subprocess.Popen([sys.executable, "-m", "csehub.cli", "worker"])
        atexit.register(worker.terminate)
        self.stdout.write("The job runner (reminders) is running beside it.")
