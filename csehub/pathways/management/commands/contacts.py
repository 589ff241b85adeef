"""`csehub contacts now --partnership SLUG [--service CODE] [--at 2026-11-27T16:45]`."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from csehub.accounts.models import Partnership
from csehub.deadlines.clocks import to_london
from csehub.pathways.directory import who_to_call_now
from csehub.pathways.selectors import directory_for


class Command(BaseCommand):
    help = "Who to call now: the number for a partnership's service at a time, and why."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{now}")
        now = actions.add_parser("now", help="The number to call at a time (now by default).")
        now.add_argument("--partnership", dest="slug", required=True, help="Partnership slug.")
        now.add_argument(
            "--service",
            dest="service",
            default=None,
            help="Service code (default: the first service in the directory).",
        )
        now.add_argument(
            "--at",
            dest="at",
            default=None,
            help="Date and time in London, e.g. 2026-11-27T16:45 (default: now).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        at = self._moment(options["at"])
        partnership = Partnership.objects.filter(slug=options["slug"]).first()
        if partnership is None:
            known = ", ".join(Partnership.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(
                f"No partnership with the slug {options['slug']!r} (known: {known})."
            )
        directory = directory_for(partnership)
        if directory is None:
            raise CommandError(
                f"{partnership.slug} has no contact directory loaded. "
                "Add contacts.yaml and run `csehub pathway load`."
            )
        code = options["service"] or directory.main_service.code
        try:
            advice = who_to_call_now(directory, code, at)
        except KeyError:
            codes = ", ".join(s.code for s in directory.services)
            raise CommandError(
                f"{partnership.slug} has no service {code!r} (services: {codes})."
            ) from None
        self.stdout.write(f"{advice.service.name} at {advice.at:%A %d %B %Y %H:%M}")
        if advice.number:
            self.stdout.write(self.style.SUCCESS(f"Call {advice.number} ({advice.number_label})"))
        else:
            self.stdout.write(self.style.WARNING("No line is open for this service now."))
        self.stdout.write(advice.message)

    def _moment(self, text: str | None) -> datetime.datetime:
        if text is None:
            return to_london(timezone.now())
        try:
            return to_london(datetime.datetime.fromisoformat(text))
        except ValueError:
            raise CommandError(
                f"--at {text!r} is not a date and time; write it like 2026-11-27T16:45"
            ) from None
