"""`csehub link run|export`: batch linking and the linking output of INTERCHANGE.md.

csehub link run [--engine duckdb|spark] [--partnership SLUG]
csehub link export FILE.csv [--partnership SLUG]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from csehub.accounts.models import Partnership
from csehub.accounts.partnership_option import PARTNERSHIP_OPTION_HELP, partnership_from_option
from csehub.linking.engine.batch import links_export, links_run

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Link every mention in a batch, or export which entity each mention belongs to."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        run = actions.add_parser(
            "run",
            help="Re-link everything: for now a deterministic pass of the on-arrival matcher "
            "over every report and concern in the order they arrived (analysts' decisions are "
            "kept). The probabilistic resolution with Splink is not available yet.",
        )
        run.add_argument(
            "--engine",
            choices=["duckdb", "spark"],
            help="The Splink engine for probabilistic resolution (not available yet).",
        )
        run.add_argument("--partnership", help=PARTNERSHIP_OPTION_HELP)
        export = actions.add_parser(
            "export", help="Write mention_id,entity_type,entity_id for every mention (CSV)."
        )
        export.add_argument("file", help="The .csv file to write, or - for standard output")
        export.add_argument("--partnership", help=PARTNERSHIP_OPTION_HELP)

    def handle(self, *args: Any, **options: Any) -> None:
        partnership = partnership_from_option(options["partnership"])
        if options["action"] == "run":
            self.run(partnership, options)
        else:
            self.export(partnership, options)

    def _progress(self, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // max(total, 1)
        end = "\n" if done == total else ""
        self.stderr.write(
            f"\r[{'#' * filled}{' ' * (BAR_WIDTH - filled)}] {done}/{total} linked", ending=end
        )
        self.stderr.flush()

    def run(self, partnership: Partnership, options: dict[str, Any]) -> None:
        if options["engine"]:
            raise CommandError(
                f"The {options['engine']} engine (Splink probabilistic resolution) is not "
                "available yet. Run `csehub link run` without --engine for the deterministic "
                "pass."
            )
        count = links_run(partnership=partnership, progress=self._progress)
        self.stdout.write(f"{count} reports and concerns linked")

    def export(self, partnership: Partnership, options: dict[str, Any]) -> None:
        if options["file"] == "-":
            count = links_export(partnership=partnership, output=sys.stdout)
        else:
            with Path(options["file"]).open("w", encoding="utf-8", newline="") as output:
                count = links_export(partnership=partnership, output=output)
            self.stderr.write(f"{count} mentions written to {options['file']}")
