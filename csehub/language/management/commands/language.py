"""`csehub language check [FILE]`: check a phrases file without using it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from csehub.language.phrases import DEFAULT_PHRASES_FILE, PhrasesFileError, phrases_file_check


class Command(BaseCommand):
    help = "Check the language guidance phrases file and report any problems."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{check}")
        check = actions.add_parser(
            "check", help="Check a phrases file and report problems; changes nothing."
        )
        check.add_argument(
            "file", nargs="?", default=None, help=f"Phrases file (default {DEFAULT_PHRASES_FILE})"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"]) if options.get("file") else DEFAULT_PHRASES_FILE
        try:
            book = phrases_file_check(path)
        except PhrasesFileError as error:
            raise CommandError(f"{path} is not valid:\n{error}") from error
        patterns = sum(len(phrase.patterns) for phrase in book.phrases)
        self.stdout.write(
            f"{path.name}: version {book.version}, {len(book.phrases)} phrases, "
            f"{patterns} patterns, {len(book.categories)} categories"
        )
        self.stdout.write(self.style.SUCCESS(f"{path.name} is valid."))
