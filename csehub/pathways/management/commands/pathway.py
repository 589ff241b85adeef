"""`csehub pathway check FILE` and `csehub pathway load [--partnership SLUG] [--dir DIR]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from csehub.pathways.files import DEFAULT_DATA_DIR, PathwayFileError, pathway_file_read
from csehub.pathways.services import pathway_load


class Command(BaseCommand):
    help = "Check a referral pathway file, or load the pathway and contact files."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{check,load}")
        check = actions.add_parser(
            "check",
            help="Check one pathway.yaml (against the contacts.yaml beside it); writes nothing.",
        )
        check.add_argument("file", help="The pathway file, e.g. data/fernbridge/pathway.yaml")
        load = actions.add_parser(
            "load", help="Load (or reload) every partnership's pathway and contact files."
        )
        load.add_argument("--partnership", dest="slug", default=None, help="Only this slug.")
        load.add_argument(
            "--dir",
            dest="directory",
            default=None,
            help=f"Folder of partnership folders (default {DEFAULT_DATA_DIR})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "check":
            self._check(Path(options["file"]))
        else:
            self._load(options["slug"], options["directory"])

    def _check(self, path: Path) -> None:
        try:
            file = pathway_file_read(path)
        except PathwayFileError as error:
            raise CommandError(f"invalid: {error}") from error
        graph = file.graph
        self.stdout.write(
            self.style.SUCCESS(
                f"valid: {len(graph.questions)} questions, {len(graph.outcomes)} outcomes"
            )
        )

    def _load(self, slug: str | None, directory: str | None) -> None:
        try:
            report = pathway_load(slug=slug, actor=None, data_dir=directory)
        except PathwayFileError as error:
            raise CommandError(f"Nothing was loaded.\n{error}") from error
        for load in report.partnerships:
            pathway = "new version" if load.pathway_changed else "unchanged"
            line = f"{load.slug}: pathway version {load.pathway_version} ({pathway})"
            if load.contacts_version is not None:
                contacts = "new version" if load.contacts_changed else "unchanged"
                line += f", contacts version {load.contacts_version} ({contacts})"
            else:
                line += ", no contact directory"
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {len(report.partnerships)} partnerships' pathways.")
        )
