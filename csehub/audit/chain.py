"""The hash chain over audit rows: how a row's hash is computed and how the chain is checked."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

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


def find_breaks(rows: Iterator[dict[str, object]]) -> Iterator[ChainBreak]:
    """Walk rows in sequence order and yield every place the chain does not hold."""
    expected_prev = GENESIS
    expected_sequence = 1
    for row in rows:
        sequence = int(row["sequence"])  # type: ignore[call-overload]
        if sequence != expected_sequence:
            yield ChainBreak(sequence, f"expected row {expected_sequence} here: rows are missing")
        if row["prev_hash"] != expected_prev:
            yield ChainBreak(sequence, "does not follow the previous row's hash")
        recomputed = row_hash(
            prev_hash=str(row["prev_hash"]),
            sequence=sequence,
            at=row["at"],  # type: ignore[arg-type]
            actor_id=row["actor_id"],  # type: ignore[arg-type]
            verb=str(row["verb"]),
            target_type=str(row["target_type"]),
            target_id=str(row["target_id"]),
            outcome=str(row["outcome"]),
            request_id=str(row["request_id"]),
            ip_address=row["ip_address"],  # type: ignore[arg-type]
            detail=row["detail"],  # type: ignore[arg-type]
        )
        if recomputed != row["hash"]:
            yield ChainBreak(sequence, "its contents do not match its hash: the row was changed")
        expected_prev = str(row["hash"])
        expected_sequence = sequence + 1
