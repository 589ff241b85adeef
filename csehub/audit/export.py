"""The audit log as CSV, streamed, with cells a spreadsheet could run as formulas made inert."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from csehub.csv_export import Echo, neutralise

from .models import AuditEvent, Outcome, Verb

HEADER = [
    "Event number",
    "Time",
    "User id",
    "User",
    "Action",
    "Record type",
    "Record number",
    "Outcome",
    "IP address",
    "Request id",
]
_VERB_LABELS = dict(Verb.choices)
_OUTCOME_LABELS = dict(Outcome.choices)


def _cells(row: Mapping[str, Any]) -> list[str]:
    return [
        neutralise(cell)
        for cell in (
            row["id"],
            timezone.localtime(row["at"]).isoformat(timespec="seconds"),
            row["actor_id"],
            row["actor__full_name"],
            _VERB_LABELS.get(row["verb"], row["verb"]),
            row["target_type"],
            row["target_id"],
            _OUTCOME_LABELS.get(row["outcome"], row["outcome"]),
            row["ip_address"],
            row["request_id"],
        )
    ]


def csv_lines(events: QuerySet[AuditEvent], *, chunk_size: int = 2000) -> Iterator[str]:
    writer = csv.writer(Echo())
    # The byte order mark lets spreadsheet programs read names with accents correctly.
    yield "\ufeff" + writer.writerow(HEADER)
    rows: Iterable[Mapping[str, Any]] = events.values(
        "id",
        "at",
        "actor_id",
        "actor__full_name",
        "verb",
        "target_type",
        "target_id",
        "outcome",
        "ip_address",
        "request_id",
    ).iterator(chunk_size=chunk_size)
    for row in rows:
        yield writer.writerow(_cells(row))
