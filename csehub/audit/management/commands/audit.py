"""`csehub audit`: check the audit trail's chain, and write signed checkpoints of its head.

`verify` exits 0 when every row is present, unchanged and written by this service, 1 with one
line per problem otherwise, and 2 when it cannot run (a checkpoint file it cannot use).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from csehub.audit.chain import (
    CHAIN_FIELDS,
    ChainBreak,
    Checkpoint,
    CheckpointError,
    content_mac,
    find_breaks,
)
from csehub.audit.models import AuditEvent
from csehub.audit.services import audit_checkpoint_write, audit_seal_pending


class Command(BaseCommand):
    help = "Work with the audit trail: `verify` it, or write a signed `checkpoint` of its head."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        verify = actions.add_parser(
            "verify", help="Check the chain over every audit event, oldest first."
        )
        verify.add_argument(
            "--against",
            metavar="FILE",
            help="A checkpoint file (from `csehub audit checkpoint`): also check that the "
            "trail still reaches the head it recorded, so a cut tail is found.",
        )
        verify.add_argument(
            "--chunk-size",
            type=int,
            default=2000,
            help="Rows fetched from the database at a time (default 2000).",
        )
        checkpoint = actions.add_parser(
            "checkpoint",
            help="Write the signed head of the chain to FILE; keep it away from the database.",
        )
        checkpoint.add_argument("file", metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self.verify(chunk_size=options["chunk_size"], against=options["against"])
        elif options["action"] == "checkpoint":
            self.checkpoint(Path(options["file"]))

    def checkpoint(self, path: Path) -> None:
        checkpoint = audit_checkpoint_write(path=path)
        self.stdout.write(
            f"Checkpoint written to {path}: row {checkpoint.sequence}, hash {checkpoint.hash}"
        )

    def verify(self, *, chunk_size: int, against: str | None) -> None:
        expected = self._read_checkpoint(against) if against else None
        # Rows committed but not sealed yet (the seal runs just after each commit; a crash
        # in between leaves some) are sealed first, as the service would have done.
        audit_seal_pending()
        problems: list[ChainBreak] = []
        # iterator() streams (a server-side cursor on PostgreSQL), so memory stays flat
        # however long the trail grows.
        rows = (
            AuditEvent.objects.filter(sequence__isnull=False)
            .order_by("sequence")
            .values(*CHAIN_FIELDS)
            .iterator(chunk_size=chunk_size)
        )
        checked = 0
        last: dict[str, Any] | None = None
        found_at_checkpoint: str | None = None

        def counted() -> Any:
            nonlocal checked, last, found_at_checkpoint
            for row in rows:
                checked += 1
                last = row
                if expected is not None and row["sequence"] == expected.sequence:
                    found_at_checkpoint = str(row["hash"])
                yield row

        problems.extend(find_breaks(counted()))
        problems.extend(self._unsealable())
        if expected is not None and expected.sequence > 0:
            problems.extend(self._against(expected, found_at_checkpoint, last))
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            count = len(problems)
            self.stderr.write(
                f"Audit trail broken: {count} problem{'s' if count != 1 else ''} "
                f"found in {checked} events checked"
            )
            raise SystemExit(1)
        self.stdout.write(f"Audit trail intact: {checked} events checked")
        if expected is not None:
            self.stdout.write(
                f"It still reaches the checkpoint of {expected.written_at:%Y-%m-%d %H:%M:%S} "
                f"(row {expected.sequence})."
            )
        if last is not None:
            self.stdout.write(f"Latest event: row {last['sequence']}, hash {last['hash']}")

    def _read_checkpoint(self, name: str) -> Checkpoint:
        try:
            text = Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self.stderr.write(f"Cannot read the checkpoint {name}: {error.__class__.__name__}")
            raise SystemExit(2) from None
        try:
            return Checkpoint.from_json(text)
        except CheckpointError as error:
            self.stderr.write(f"Cannot use the checkpoint {name}: {error}")
            raise SystemExit(2) from None

    def _unsealable(self) -> list[ChainBreak]:
        """Rows the sealer refused: their keyed hash does not match, so nobody here wrote them."""
        left = AuditEvent.objects.filter(sequence__isnull=True).values(*CHAIN_FIELDS)
        return [
            ChainBreak(
                f"event id {row['id']}",
                "it is outside the chain and its contents do not match their keyed hash: "
                "it was not written by CSE Hub",
            )
            for row in left.iterator()
            if content_mac(row) != row["mac"]
        ]

    @staticmethod
    def _against(
        expected: Checkpoint, found: str | None, last: dict[str, Any] | None
    ) -> list[ChainBreak]:
        where = f"row {expected.sequence}"
        if found is None:
            ends = f"row {last['sequence']}" if last else "no row at all"
            return [
                ChainBreak(
                    where,
                    f"the checkpoint of {expected.written_at:%Y-%m-%d %H:%M:%S} saw it, but the "
                    f"trail now ends at {ends}: rows were cut from the end",
                )
            ]
        if found != expected.hash:
            return [
                ChainBreak(
                    where,
                    "its hash differs from the checkpoint's: the trail was rewritten after it",
                )
            ]
        return []
