"""The keyed hash chain over audit rows: how rows are hashed and sealed, and how it is checked.

Every hash here is an HMAC-SHA256 under the audit key (settings.CSEHUB_AUDIT_KEY), which lives
outside the database: someone who can write to the database but does not hold the key can
neither change a row nor add one that verifies. Three keys are derived from it, one for each
purpose, so that a value made for one purpose is never accepted for another.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

GENESIS = "0" * 64

# The columns a row's own keyed hash (`mac`) covers.
CONTENT_FIELDS = (
    "at",
    "partnership_id",
    "actor_id",
    "child_id",
    "verb",
    "target_type",
    "target_id",
    "outcome",
    "request_id",
    "ip_address",
    "detail",
)
# Everything `find_breaks` needs of a row.
CHAIN_FIELDS = ("id", *CONTENT_FIELDS, "mac", "sequence", "prev_hash", "hash")


def _key(purpose: str) -> bytes:
    secret = getattr(settings, "CSEHUB_AUDIT_KEY", "")
    if not secret:
        raise ImproperlyConfigured("Set CSEHUB_AUDIT_KEY: the audit trail cannot be written.")
    return hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).digest()


def _mac(purpose: str, value: object) -> str:
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hmac.new(_key(purpose), canonical.encode(), hashlib.sha256).hexdigest()


def content_mac(row: Mapping[str, Any]) -> str:
    """The keyed hash of a row's contents, written with the row inside its transaction."""
    at: datetime = row["at"]
    values = [
        at.astimezone(UTC).isoformat(timespec="microseconds"),
        *(row[name] for name in CONTENT_FIELDS[1:]),
    ]
    return _mac("audit-row/1", values)


def seal_hash(*, prev_hash: str, sequence: int, mac: str) -> str:
    """The chain link: the previous row's hash, this row's place and its contents' hash."""
    return _mac("audit-chain/1", [prev_hash, sequence, mac])


@dataclass(frozen=True)
class ChainBreak:
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


def find_breaks(rows: Iterable[Mapping[str, Any]]) -> Iterator[ChainBreak]:
    """Walk sealed rows in sequence order and yield every place the chain does not hold.

    A removed row leaves a gap in the sequence; a changed row no longer matches its keyed
    hash; a row added without the key matches neither its own hash nor its link.
    """
    expected_prev = GENESIS
    expected_sequence = 1
    for row in rows:
        sequence = int(row["sequence"])
        where = f"row {sequence}"
        if sequence > expected_sequence:
            yield ChainBreak(where, _missing(expected_sequence, sequence - 1))
        elif sequence < expected_sequence:
            yield ChainBreak(where, f"it is out of order: row {expected_sequence} was expected")
        elif row["prev_hash"] != expected_prev:
            # After a gap the link is broken anyway; report it only where nothing is missing.
            yield ChainBreak(where, "it does not link to the hash of the row before it")
        if not hmac.compare_digest(content_mac(row), str(row["mac"])):
            yield ChainBreak(
                where, "its contents do not match their keyed hash: changed, or not written here"
            )
        link = seal_hash(prev_hash=str(row["prev_hash"]), sequence=sequence, mac=str(row["mac"]))
        if not hmac.compare_digest(link, str(row["hash"])):
            yield ChainBreak(where, "its seal does not match: changed, or not written here")
        expected_prev = str(row["hash"])
        expected_sequence = sequence + 1


def _missing(first: int, last: int) -> str:
    if first == last:
        return f"row {first} before it is missing: it was deleted"
    return f"rows {first} to {last} before it are missing: they were deleted"


# Checkpoints: the head of the chain, signed, kept outside the database.

CHECKPOINT_FORMAT = "csehub-audit-checkpoint/1"


class CheckpointError(ValueError):
    """A checkpoint file that cannot be used, with the reason in words."""


@dataclass(frozen=True)
class Checkpoint:
    sequence: int
    hash: str
    written_at: datetime

    def signature(self) -> str:
        return _mac(
            "audit-checkpoint/1",
            [CHECKPOINT_FORMAT, self.sequence, self.hash, self.written_at.isoformat()],
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": CHECKPOINT_FORMAT,
                "sequence": self.sequence,
                "hash": self.hash,
                "written_at": self.written_at.isoformat(),
                "signature": self.signature(),
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        """Read and check a checkpoint: its shape first, then its signature."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise CheckpointError(f"it is not JSON ({error.msg} at line {error.lineno})") from None
        if not isinstance(data, dict) or data.get("format") != CHECKPOINT_FORMAT:
            raise CheckpointError(f"it is not a CSE Hub audit checkpoint ({CHECKPOINT_FORMAT})")
        try:
            checkpoint = cls(
                sequence=int(data["sequence"]),
                hash=str(data["hash"]),
                written_at=datetime.fromisoformat(str(data["written_at"])),
            )
            signature = str(data["signature"])
        except (KeyError, TypeError, ValueError):
            raise CheckpointError(
                "it lacks one of sequence, hash, written_at and signature, or one is malformed"
            ) from None
        if not hmac.compare_digest(checkpoint.signature(), signature):
            raise CheckpointError(
                "its signature does not match: it was changed, or signed with another audit key"
            )
        return checkpoint
