"""`csehub report board --partnership SLUG --from DATE --to DATE [--out FILE.pdf] [--csv FILE]`:
the board report as a PDF, its figures as a CSV, or both; counts from 1 to 4 shown as "<5"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from csehub.accounts.models import Partnership
from csehub.audit.models import Verb
from csehub.audit.services import audit_record
from csehub.profile.board_pdf import profile_pdf
from csehub.profile.selectors import partnership_profile_unchecked
from csehub.profile.services import profile_csv


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Give dates like 2026-04-01, not {value!r}") from error


class Command(BaseCommand):
    help = (
        "Reports for the partnership. `board` writes the board report (PDF) and its figures (CSV)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        board = actions.add_parser(
            "board", help="The problem profile of a period, as a PDF, a CSV or both"
        )
        board.add_argument("--partnership", required=True, help="The partnership's short name")
        board.add_argument("--from", dest="start", type=_date, required=True)
        board.add_argument("--to", dest="end", type=_date, required=True)
        board.add_argument("--out", type=Path, help="Write the board report (PDF) here")
        board.add_argument("--csv", type=Path, help="Write the figures (CSV) here")

    def handle(self, *args: Any, **options: Any) -> None:
        pdf_file, csv_file = options["out"], options["csv"]
        if pdf_file is None and csv_file is None:
            raise CommandError(
                "Say where to write the report: --out FILE.pdf for the PDF, --csv FILE for "
                "the figures, or both"
            )
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership is called {options['partnership']!r}")
        if options["end"] < options["start"]:
            raise CommandError("--to must be on or after --from")
        profile = partnership_profile_unchecked(
            partnership_id=partnership.pk, start=options["start"], end=options["end"]
        )
        if pdf_file is not None:
            pdf_file.write_bytes(profile_pdf(profile, partnership_name=partnership.name))
        if csv_file is not None:
            csv_file.write_text(profile_csv(profile), encoding="utf-8")
        audit_record(
            actor=None,
            verb=Verb.EXPORTED,
            target_type="problem_profile",
            partnership=partnership,
            detail={"from": options["start"].isoformat(), "to": options["end"].isoformat()},
        )
        for kind, written in (("Board report", pdf_file), ("Board report figures", csv_file)):
            if written is not None:
                self.stdout.write(f"{kind} written to {written}")
