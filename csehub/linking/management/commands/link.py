"""`csehub link run|export`: batch linking and the linking output of INTERCHANGE.md.

csehub link run [--engine duckdb|spark] [--partnership SLUG]
csehub link export FILE.csv [--with-possible POSSIBLE.csv] [--partnership SLUG]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from csehub.accounts.models import Partnership
from csehub.accounts.partnership_option import PARTNERSHIP_OPTION_HELP, partnership_from_option
from csehub.linking import services
from csehub.linking.models import ResolutionRun

BAR_WIDTH = 30
STAGE_LABELS = {
    "deterministic": "Deterministic pass",
    "catch-up": "Linking what is new",
    "person prepare": "Persons: preparing records",
    "person score": "Persons: Splink scoring",
    "person cluster": "Persons: clustering",
    "child prepare": "Children: preparing records",
    "child score": "Children: Splink scoring",
    "child cluster": "Children: suggestions",
}


class Command(BaseCommand):
    help = "Link every mention in a batch, or export which entity each mention belongs to."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        run = actions.add_parser(
            "run",
            help="Re-link everything. Without --engine, a deterministic pass replays the "
            "on-arrival matcher over every report and concern in the order they arrived (exact "
            "identifiers join vehicles, phones, accounts and places; partial plates and the rest "
            "are suggested). With --engine, what is not linked yet is linked (or everything "
            "replayed, with --replay), then Splink resolves persons of concern with the stored "
            "model (children's pairs only ever become suggestions). Analysts' decisions are "
            "kept and win over both. Each run is stored and shown to analysts.",
        )
        run.add_argument(
            "--engine",
            choices=["duckdb", "spark"],
            help="Resolve persons with Splink on this engine after the deterministic pass: "
            "duckdb (embedded, the usual choice) or spark (local mode, or the active session "
            "on a cluster, for national-scale runs; needs pyspark and Java). Without it only "
            "the deterministic pass runs.",
        )
        run.add_argument(
            "--replay",
            action="store_true",
            help="With --engine, replay the deterministic pass over everything first (the "
            "default without --engine). Otherwise only reports and concerns not linked yet are "
            "linked before Splink runs, as everything else was linked when it arrived.",
        )
        run.add_argument("--partnership", help=PARTNERSHIP_OPTION_HELP)
        export = actions.add_parser(
            "export", help="Write mention_id,entity_type,entity_id for every mention (CSV)."
        )
        export.add_argument("file", help="The .csv file to write, or - for standard output")
        export.add_argument(
            "--with-possible",
            metavar="FILE.csv",
            help="Also write the open 'possibly the same' pairs, strongest first, with their "
            "weights, the entities each mention is in now, and the reasons (field:how).",
        )
        export.add_argument("--partnership", help=PARTNERSHIP_OPTION_HELP)

    def handle(self, *args: Any, **options: Any) -> None:
        partnership = partnership_from_option(options["partnership"])
        if options["action"] == "run":
            self.run(partnership, options)
        else:
            self.export(partnership, options)

    def _progress(self, stage: str, done: int, total: int) -> None:
        """One bar per stage: the deterministic pass, then each Splink stage."""
        filled = BAR_WIDTH * done // max(total, 1)
        end = "\n" if done == total else ""
        self.stderr.write(
            f"\r{STAGE_LABELS.get(stage, stage):<28} [{'#' * filled}{' ' * (BAR_WIDTH - filled)}]"
            f" {done}/{total}",
            ending=end,
        )
        self.stderr.flush()

    def run(self, partnership: Partnership, options: dict[str, Any]) -> None:
        engine = options["engine"]
        if engine == "spark":
            try:
                import pyspark  # noqa: F401
            except ImportError as error:
                raise CommandError(
                    "The spark engine needs pyspark (and Java): pip install pyspark"
                ) from error
        run = services.links_run(
            partnership=partnership,
            engine=engine,
            replay=True if options["replay"] else None,
            progress=self._progress,
        )
        self.stdout.write(self._summary(run))

    def _summary(self, run: ResolutionRun) -> str:
        lines = [
            f"Run {run.pk} ({run.get_engine_display()}): {run.containers} reports and concerns "
            "linked by the deterministic pass"
        ]
        if run.engine != "deterministic":
            lines += [
                f"{run.records} person and child mentions resolved, {run.pairs_scored} pairs "
                "scored",
                f"{run.mentions_assigned} mentions assigned to {run.clusters} entities, "
                f"{run.suggestions} suggestions for analysts",
                f"{run.kept_by_analysts} analysts' placings kept, {run.refused_by_decisions} "
                "joins refused by analysts' decisions",
            ]
        lines.append(f"Took {run.seconds.get('total', 0):.1f} s")
        return "\n".join(lines)

    def export(self, partnership: Partnership, options: dict[str, Any]) -> None:
        if options["file"] == "-":
            count = services.links_export(partnership=partnership, output=sys.stdout)
        else:
            with Path(options["file"]).open("w", encoding="utf-8", newline="") as output:
                count = services.links_export(partnership=partnership, output=output)
            self.stderr.write(f"{count} mentions written to {options['file']}")
        if options["with_possible"]:
            path = Path(options["with_possible"])
            with path.open("w", encoding="utf-8", newline="") as output:
                pairs = services.possible_pairs_export(partnership=partnership, output=output)
            self.stderr.write(f"{pairs} open possible pairs written to {path}")
