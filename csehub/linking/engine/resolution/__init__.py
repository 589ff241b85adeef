"""Probabilistic batch resolution of persons of concern with Splink (DuckDB or Spark).

One model definition (model.py: comparisons, blocking rules, thresholds and the stored m and u
parameters) runs on either engine: DuckDB embedded in the process (the default) or Spark in
local mode or on a cluster for national-scale runs. `resolve_person_records` is the plain entry
point for callers that hold records rather than database rows (the linking quality benchmark);
`csehub link run --engine duckdb|spark` uses the same pipeline over the candidate index.
"""

from __future__ import annotations

from typing import Any

from .pipeline import Resolution, resolve

__all__ = ["Resolution", "resolve", "resolve_person_records"]


def resolve_person_records(
    records: list[dict[str, Any]], *, engine: str = "duckdb"
) -> dict[str, str]:
    """Resolve person mentions into entities; returns mention_id -> cluster id.

    Each record is a dict with:
      - mention_id (str, unique), name (str, may be empty), nickname (str, may be empty),
        age_estimate (int or None), report_id (str: the report or concern it is in);
    and optionally:
      - context (list of str): identifiers seen in the same report, already normalised, such as
        an E.164 phone number, a full plate or a username ("phone:+447700900123",
        "vehicle:YX12ABC"); two mentions sharing one are more likely the same person;
      - is_child (bool): a child's mention; the model never clusters children, so
        each child keeps a cluster of its own (suggestions only, in the database run).
    The cluster id is the mention id of one member of the cluster, so a mention alone is its own.
    `engine` is "duckdb" (embedded) or "spark" (local mode unless a session is active).
    """
    result = resolve(records, engine=engine)
    return result.clusters
