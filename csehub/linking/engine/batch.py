"""What the batch pass reads (`csehub link run`, `csehub link export`).

The run itself, which writes, is `services.links_run`: first a deterministic pass that replays
the on-arrival matcher over every report and concern in the order they arrived (each pair
resolved, possible or apart: decision 0015), then,
with an engine, the Splink resolution of persons of concern (resolution/) over the candidate
index that pass has built. Here are the reads both need.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from csehub.accounts.models import Partnership
from csehub.concerns.models import Concern, ConcernStatus
from csehub.intelligence.models import MENTION_MODELS, IntelligenceReport

from ..models import (
    AssignedBy,
    DecisionChange,
    DecisionKind,
    EntityType,
    IndexedMention,
    LinkSuggestion,
    MentionEntity,
    SuggestionStatus,
)


def arrivals(partnership: Partnership) -> list[tuple[str, int]]:
    """Every report and submitted concern of the partnership, in the order they arrived."""
    found: list[tuple[dt.datetime, int, int]] = [
        (received, 0, pk)
        for pk, received in IntelligenceReport.objects.filter(partnership=partnership)
        .order_by("received_at", "pk")
        .values_list("pk", "received_at")
    ]
    found += [
        (submitted or timezone.now(), 1, pk)
        for pk, submitted in Concern.objects.filter(
            child__partnership=partnership, status=ConcernStatus.SUBMITTED
        ).values_list("pk", "submitted_at")
    ]
    found.sort(key=lambda item: (item[0], item[1], item[2]))
    return [("report" if kind == 0 else "concern", pk) for _, kind, pk in found]


def every_mention(partnership: Partnership) -> Iterator[tuple[str, str]]:
    """(mention id, entity type) of every intelligence mention, then every concern mention."""
    for model in MENTION_MODELS:
        rows = (
            model.objects.filter(report__partnership=partnership)  # type: ignore[attr-defined]
            .order_by("report_id", "pk")
            .values_list("report__external_id", "ref")
        )
        for external_id, ref in rows.iterator(chunk_size=5000):
            yield f"{external_id}/{ref}", model.entity_type
    concern_rows = IndexedMention.objects.filter(partnership=partnership, source="concern")
    yield from concern_rows.order_by("pk").values_list("mention_id", "entity_type")


# ---------------------------------------------------------------------------------------------
# The resolution's input: records, and the analysts' decisions it must obey
# ---------------------------------------------------------------------------------------------


@dataclass
class ResolutionInput:
    entity_type: str
    records: list[dict[str, Any]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # mention id -> index label
    apart: list[tuple[str, str]] = field(default_factory=list)  # rejected pairs
    fixed: dict[str, str] = field(default_factory=dict)  # mention id -> analyst's entity
    # Pairs resolved on arrival (decision 0015) or confirmed by analysts: a run keeps them.
    linked: list[tuple[str, str]] = field(default_factory=list)


def _context(partnership: Partnership) -> dict[str, list[str]]:
    """Per report or concern, the identifiers in it: phones, accounts and full plates."""
    found: dict[str, set[str]] = {}
    rows = (
        IndexedMention.objects.filter(
            partnership=partnership,
            entity_type__in=[EntityType.PHONE, EntityType.ONLINE, EntityType.VEHICLE],
        )
        .values_list("container", "e164", "username", "plate", "is_partial")
        .iterator(chunk_size=5000)
    )
    for container, e164, username, plate, partial in rows:
        keys = found.setdefault(container, set())
        if e164:
            keys.add(f"phone:{e164}")
        if username:
            keys.add(f"online:{username}")
        if plate and not partial:
            keys.add(f"vehicle:{plate}")
    return {container: sorted(keys) for container, keys in found.items()}


def _age(dob: dt.date | None, estimate: int | None, at: dt.datetime) -> int | None:
    if estimate is not None:
        return estimate
    if dob is None:
        return None
    day = at.date()
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def resolution_input(
    partnership: Partnership, entity_type: str, *, before: dict[str, int] | None = None
) -> ResolutionInput:
    """The person (or child) mentions of the candidate index as records for the model, with
    what analysts decided: pairs they rejected, mentions they placed, mentions they split off;
    and the pairs already resolved (on arrival, or confirmed by an analyst), which the run
    keeps joined unless an analyst's decision since keeps them apart.

    `before` is the entity the engine had put each mention in before this run: a mention an
    analyst split off an entity is kept apart from the mentions that entity held.
    """
    found = ResolutionInput(entity_type=entity_type)
    context = _context(partnership)
    rows = (
        IndexedMention.objects.filter(partnership=partnership, entity_type=entity_type)
        .order_by("pk")
        .values_list(
            "mention_id",
            "name",
            "nickname",
            "age_estimate",
            "dob",
            "container",
            "label",
            "indexed_at",
        )
        .iterator(chunk_size=5000)
    )
    for mention_id, name, nickname, age, dob, container, label, at in rows:
        found.records.append(
            {
                "mention_id": mention_id,
                "name": name,
                "nickname": nickname,
                "age_estimate": _age(dob, age, at),
                "dob": dob.isoformat() if dob else None,
                "report_id": container,
                "context": context.get(container, []),
                "is_child": entity_type == EntityType.CHILD,
            }
        )
        found.labels[mention_id] = label
    ids = set(found.labels)
    decided = LinkSuggestion.objects.filter(
        partnership=partnership,
        entity_type=entity_type,
        status__in=[
            SuggestionStatus.REJECTED,
            SuggestionStatus.RESOLVED,
            SuggestionStatus.CONFIRMED,
        ],
    ).values_list("mention_id", "target_mention_id", "status")
    for a, b, status in decided.iterator(chunk_size=5000):
        if a in ids and b in ids:
            (found.apart if status == SuggestionStatus.REJECTED else found.linked).append((a, b))
    placed = MentionEntity.objects.filter(
        entity__partnership=partnership,
        entity__entity_type=entity_type,
        assigned_by=AssignedBy.ANALYST,
    ).values_list("mention_id", "entity_id")
    found.fixed = {mention_id: str(entity) for mention_id, entity in placed if mention_id in ids}
    held: dict[int, list[str]] = {}
    for mention_id, entity in [
        *(before or {}).items(),
        *((m, int(e)) for m, e in found.fixed.items()),
    ]:
        held.setdefault(entity, []).append(mention_id)
    splits = DecisionChange.objects.filter(
        decision__partnership=partnership,
        decision__kind=DecisionKind.SPLIT,
        decision__undone_by__isnull=True,
        from_entity__isnull=False,
        mention_id__in=ids,
    ).values_list("mention_id", "from_entity_id")
    for mention_id, entity in splits:
        found.apart += [
            (mention_id, other) for other in held.get(entity, []) if other != mention_id
        ]
    return found
