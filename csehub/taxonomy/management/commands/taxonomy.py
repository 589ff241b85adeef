"""`csehub taxonomy load [--dir DIR]` and `csehub taxonomy check [DIR]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from csehub.taxonomy import selectors
from csehub.taxonomy.files import DEFAULT_DATA_DIR, TaxonomyFileError, vocabulary_files_check
from csehub.taxonomy.services import taxonomy_load


def _current_codes_if_database(code: str) -> set[str] | None:
    # Checking files must work before the database exists; then only the files count.
    try:
        return selectors.current_codes(code)
    except DatabaseError:
        return None


class Command(BaseCommand):
    help = "Load the shared vocabulary from its data files, or check the files without loading."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{load,check}")
        load = actions.add_parser("load", help="Load (or reload) every vocabulary file.")
        load.add_argument(
            "--dir",
            dest="directory",
            default=None,
            help=f"Directory of files (default {DEFAULT_DATA_DIR})",
        )
        check = actions.add_parser(
            "check", help="Check the files and report problems; writes nothing."
        )
        check.add_argument(
            "directory",
            nargs="?",
            default=None,
            help=f"Directory of files (default {DEFAULT_DATA_DIR})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["directory"]) if options.get("directory") else None
        if options["action"] == "load":
            self._load(directory)
        else:
            self._check(directory)

    def _load(self, directory: Path | None) -> None:
        try:
            report = taxonomy_load(actor=None, data_dir=directory)
        except TaxonomyFileError as error:
            raise CommandError(f"Nothing was loaded.\n{error}") from error
        for load in report.vocabularies:
            self.stdout.write(
                f"{load.code} (version {load.version}): {load.added} added, "
                f"{load.updated} updated, {load.retired} retired, {load.unchanged} unchanged"
            )
        self.stdout.write(self.style.SUCCESS(f"Loaded {len(report.vocabularies)} vocabularies."))

    def _check(self, directory: Path | None) -> None:
        try:
            specs = vocabulary_files_check(
                data_dir=directory, parent_codes=_current_codes_if_database
            )
        except TaxonomyFileError as error:
            raise CommandError(str(error)) from error
        for spec in specs:
            self.stdout.write(
                f"{spec.file_name}: {spec.code} version {spec.version}, {len(spec.items)} items"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(specs)} vocabulary files are valid."))
