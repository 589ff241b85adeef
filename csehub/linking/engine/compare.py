"""Scoring an arriving mention against its candidates: the loop linking on arrival and the bulk
import share, before the context of the two reports is weighed."""

from __future__ import annotations

from dataclasses import replace

from ..models import IndexedMention
from .scoring import CONSIDER_AT, Evidence, Score, score_pair

Pair = tuple[IndexedMention, IndexedMention, Score]
# What a score rests on: what is compared of the two mentions, and the evidence.
Likeness = tuple[object, ...]


def compared_fields(row: IndexedMention) -> tuple[object, ...]:
    """What scoring compares of a mention: everything but which mention and where it is."""
    return (
        row.entity_type,
        row.source,
        row.child_record_id,
        row.label,
        row.name,
        row.nickname,
        row.dob,
        row.age_estimate,
        row.plate,
        row.plate_confusable,
        row.is_partial,
        row.plate_like,
        row.make,
        row.colour,
        row.e164,
        row.username,
        row.platform,
        row.postcode,
    )


def candidates_scored(
    row: IndexedMention,
    pool: list[IndexedMention],
    *,
    evidence: Evidence,
    fitting: dict[str, int],
    rejected: set[frozenset[str]],
    scores: dict[Likeness, Score],
) -> list[Pair]:
    """Each pair of `row` and a candidate that is resolved or worth weighing (CONSIDER_AT),
    each with its own copy of the score. An analyst's rejected pairs are not compared.

    `fitting`: for a full plate arriving, how many plates fit each partial among its
    candidates. `scores` keeps each likeness scored once: many candidates are written alike
    ("james smith", 30), and across a bulk import's batch many arriving mentions are too (the
    key holds what is compared of both, so one dict can serve many mentions).
    """
    found: list[Pair] = []
    mine = compared_fields(row)
    for candidate in pool:
        if frozenset((row.mention_id, candidate.mention_id)) in rejected:
            continue
        said = evidence
        if candidate.is_partial and candidate.plate_like in fitting:
            said = replace(said, ambiguity=fitting[candidate.plate_like])
        alike = (mine, compared_fields(candidate), said)
        score = scores.get(alike)
        if score is None:
            score = scores[alike] = score_pair(row, candidate, evidence=said)
        if score.resolved or score.weight >= CONSIDER_AT:
            found.append((row, candidate, replace(score, reasons=list(score.reasons))))
    return found
