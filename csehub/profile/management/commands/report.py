"""`csehub report board --partnership SLUG --from DATE --to DATE --csv FILE`: the board
report's figures as a CSV, counts from 1 to 4 shown as "<5"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from csehub.accounts.models import Partnership
from csehub.audit.models import Verb
from csehub.audit.services import audit_record
from csehub.profile.selectors import partnership_profile_unchecked
from csehub.profile.services import profile_csv


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Give dates like 2026-04-01, not {value!r}") from error


class Command(BaseCommand):
    help = "Reports for the partnership. `board` writes the board report's figures (CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        board = actions.add_parser("board", help="The problem profile of a period, as a CSV")
        board.add_argument("--partnership", required=True, help="The partnership's short name")
        board.add_argument("--from", dest="start", type=_date, required=True)
        board.add_argument("--to", dest="end", type=_date, required=True)
        board.add_argument("--csv", type=Path, required=True, help="Write the figures here")

    def handle(self, *args: Any, **options: Any) -> None:
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership is called {options['partnership']!r}")
        if options["end"] < options["start"]:
            raise CommandError("--to must be on or after --from")
        profile = partnership_profile_unchecked(
            partnership_id=partnership.pk, start=options["start"], end=options["end"]
        )
        options["csv"].write_text(profile_csv(profile), encoding="utf-8")
        audit_record(
            actor=None,
            verb=Verb.EXPORTED,
            target_type="problem_profile",
            partnership=partnership,
            detail={"from": options["start"].isoformat(), "to": options["end"].isoformat()},
        )
        self.stdout.write(f"Board report figures written to {options['csv']}")
