"""The hash chain over audit rows: how a row's hash is computed and how the chain is checked."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


def row_hash(
    *,
    prev_hash: str,
    sequence: int,
    at: datetime,
    actor_id: int | None,
    verb: str,
    target_type: str,
    target_id: str,
    outcome: str,
    request_id: str,
    ip_address: str | None,
    detail: dict[str, object],
) -> str:
    canonical = json.dumps(
        [
            prev_hash,
            sequence,
            at.astimezone(UTC).isoformat(timespec="microseconds"),
            actor_id,
            verb,
            target_type,
            target_id,
            outcome,
            request_id,
            ip_address,
            detail,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    reason: str

    def __str__(self) -> str:
        return f"row {self.sequence}: {self.reason}"


def find_breaks(rows: Iterable[Mapping[str, Any]]) -> Iterator[ChainBreak]:
    """Walk rows in sequence order and yield every place the chain does not hold.

    Each row needs the fields that `row_hash` covers plus `prev_hash` and `hash`. A removed
    row leaves a gap in the sequence; a changed row no longer matches its own hash; a row whose
    hash was recomputed after a change no longer matches the next row's `prev_hash`.
    """
    expected_prev = GENESIS
    expected_sequence = 1
    for row in rows:
        sequence = int(row["sequence"])
        if sequence > expected_sequence:
            yield ChainBreak(sequence, _missing(expected_sequence, sequence - 1))
        elif sequence < expected_sequence:
            yield ChainBreak(sequence, f"it is out of order: row {expected_sequence} was expected")
        elif row["prev_hash"] != expected_prev:
            # After a gap the link is broken anyway; report it only where nothing is missing.
            yield ChainBreak(sequence, "it does not link to the hash of the row before it")
        recomputed = row_hash(
            prev_hash=str(row["prev_hash"]),
            sequence=sequence,
            at=row["at"],
            actor_id=row["actor_id"],
            verb=str(row["verb"]),
            target_type=str(row["target_type"]),
            target_id=str(row["target_id"]),
            outcome=str(row["outcome"]),
            request_id=str(row["request_id"]),
            ip_address=row["ip_address"],
            detail=row["detail"],
        )
        if recomputed != row["hash"]:
            yield ChainBreak(sequence, "its contents do not match its hash: the row was changed")
        expected_prev = str(row["hash"])
        expected_sequence = sequence + 1


def _missing(first: int, last: int) -> str:
    if first == last:
        return f"row {first} before it is missing: it was deleted"
    return f"rows {first} to {last} before it are missing: they were deleted"
