"""`csehub intel import|export|generate`: intelligence in bulk, in the INTERCHANGE.md format.

    csehub intel import FILE.jsonl [--source-agency NAME] [--partnership SLUG]
    csehub intel export [--output FILE] [--partnership SLUG]
    csehub intel generate --reports N --seed S FILE.jsonl [--truth FILE.csv]

Import reports each bad line with its number and reason and skips only that line (a line that
is not UTF-8 or is too long included: the file is read as bytes and each line decoded on its
own); importing the same file again changes nothing. It shows its progress and rate on standard
error; stopped part way (Ctrl-C, or killed), it keeps every batch it finished, and run again it
carries on from there without doubling anything. It exits 0 when every line went in (imported,
updated or unchanged), and SKIPPED_EXIT when it ran to the end but skipped some, so that a
partner's script can tell. Export writes every report of the partnership.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from csehub.accounts.models import Agency
from csehub.accounts.partnership_option import PARTNERSHIP_OPTION_HELP, partnership_from_option
from csehub.intelligence import selectors, services
from csehub.intelligence.generator import generate_to
from csehub.intelligence.interchange import lines_read, report_serialise

# The exit code of an import that ran to the end but skipped lines (1 is an error that stopped
# it, 2 a mistake in the command line).
SKIPPED_EXIT = 3
BATCH_MOST = 10_000


def _batch_size(text: str) -> int:
    """--batch-size: a whole number of reports from 1 to BATCH_MOST."""
    try:
        size = int(text)
    except ValueError:
        size = 0
    if not 1 <= size <= BATCH_MOST:
        raise argparse.ArgumentTypeError(
            f"must be a whole number from 1 to {BATCH_MOST:,}, not {text!r}"
        )
    return size


class Command(BaseCommand):
    help = "Import, export or generate intelligence in the exchange format (JSON Lines)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        imports = actions.add_parser("import", help="Import a JSON Lines file of reports.")
        imports.add_argument("file", help="The .jsonl file, or - for standard input")
        imports.add_argument(
            "--source-agency",
            help="The partnership agency the reports belong to (by name). Without it, a "
            "report belongs to the agency whose name is its source, if there is one.",
        )
        imports.add_argument("--partnership", help=PARTNERSHIP_OPTION_HELP)
        imports.add_argument(
            "--batch-size",
            type=_batch_size,
            default=1000,
            help=f"Reports written and linked together (1 to {BATCH_MOST:,}; default 1,000)",
        )
        exports = actions.add_parser("export", help="Write every report as JSON Lines.")
        exports.add_argument("--output", help="The file to write (default: standard output)")
        exports.add_argument("--partnership", help=PARTNERSHIP_OPTION_HELP)
        generate = actions.add_parser("generate", help="Write fictional reports with truth.")
        generate.add_argument("file", help="The .jsonl file to write")
        generate.add_argument("--reports", type=int, required=True)
        generate.add_argument("--seed", type=int, default=1)
        generate.add_argument(
            "--truth", help="Where the truth CSV goes (default: FILE with .truth.csv)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "import":
            self.import_file(options)
        elif action == "export":
            self.export(options)
        else:
            self.generate(options)

    def import_file(self, options: dict[str, Any]) -> None:
        partnership = partnership_from_option(options["partnership"])
        agency = None
        if options["source_agency"]:
            agency = Agency.objects.filter(
                partnership=partnership, name__iexact=options["source_agency"]
            ).first()
            if agency is None:
                raise CommandError(
                    f"No agency of {partnership.name} is called {options['source_agency']!r}"
                )
        started = time.perf_counter()
        try:
            if options["file"] == "-":
                stdin = getattr(sys.stdin, "buffer", None)  # bytes, unless replaced by text
                summary = services.reports_import(
                    lines=sys.stdin if stdin is None else lines_read(stdin),
                    partnership=partnership,
                    agency=agency,
                    batch_size=options["batch_size"],
                    progress=self._progress(started, None),
                )
            else:
                path = Path(options["file"])
                if not path.is_file():
                    raise CommandError(f"There is no file {path}")
                with path.open("rb") as stream:
                    summary = services.reports_import(
                        lines=lines_read(stream),
                        partnership=partnership,
                        agency=agency,
                        batch_size=options["batch_size"],
                        progress=self._progress(started, (stream, path.stat().st_size)),
                    )
        except KeyboardInterrupt:
            self.stderr.write("")
            raise CommandError(
                "Stopped: every batch finished before this is imported and linked. Run the "
                "same import again to carry on (what is already in is left as it is)."
            ) from None
        if self._shown:
            self.stderr.write("")  # end the progress line
        seconds = time.perf_counter() - started
        for number, reason in sorted(summary.skipped):  # in the order of the file
            self.stderr.write(f"line {number}: skipped: {reason}")
        self.stdout.write(
            f"{summary.imported} imported, {summary.updated} updated, "
            f"{summary.unchanged} unchanged, {len(summary.skipped)} skipped "
            f"({summary.lines} lines in {seconds:.1f} s, "
            f"{summary.lines / max(seconds, 1e-9):.0f} a second); "
            f"{summary.linked} mentions linked, {summary.alerts} alerts raised"
        )
        if summary.skipped:
            raise CommandError(
                f"{len(summary.skipped)} of {summary.lines} lines were skipped (listed above); "
                "the rest are in. Correct those lines and import the file again: what is "
                "already in is left as it is.",
                returncode=SKIPPED_EXIT,
            )

    _shown = False

    def _progress(
        self, started: float, file: tuple[Any, int] | None
    ) -> Callable[[services.ImportSummary], None]:
        """A progress line after each batch: how far through the file, how many, how fast."""

        def show(summary: services.ImportSummary) -> None:
            seconds = max(time.perf_counter() - started, 1e-9)
            bar = ""
            if file is not None and file[1]:
                done = min(file[0].tell() / file[1], 1.0)
                filled = int(done * 30)
                bar = f"[{'#' * filled}{'.' * (30 - filled)}] {done:4.0%} "
            self.stderr.write(
                f"\r{bar}{summary.lines:,} lines, {summary.lines / seconds:,.0f} a second",
                ending="",
            )
            self.stderr.flush()
            self._shown = True

        return show

    def export(self, options: dict[str, Any]) -> None:
        partnership = partnership_from_option(options["partnership"])
        reports = selectors.reports_for_export_unchecked(partnership=partnership)
        if options["output"]:
            with Path(options["output"]).open("w", encoding="utf-8") as output:
                count = self._write_reports(reports, output)
        else:
            count = self._write_reports(reports, self.stdout)
        services.reports_export_record(partnership=partnership, count=count)
        if options["output"]:
            self.stderr.write(f"{count} reports written to {options['output']}")

    def _write_reports(self, reports: Any, output: Any) -> int:
        count = 0
        # Chunks keep memory flat while the mentions are still prefetched per chunk.
        for report in reports.iterator(chunk_size=1000):
            output.write(json.dumps(report_serialise(report), ensure_ascii=False) + "\n")
            count += 1
        return count

    def generate(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        truth = Path(options["truth"]) if options["truth"] else path.with_suffix(".truth.csv")
        with path.open("w", encoding="utf-8") as out, truth.open("w", encoding="utf-8") as tr:
            mentions = generate_to(
                reports=options["reports"], seed=options["seed"], output=out, truth_output=tr
            )
        self.stdout.write(
            f"{options['reports']} reports with {mentions} mentions written to {path}; "
            f"the truth is in {truth}"
        )
