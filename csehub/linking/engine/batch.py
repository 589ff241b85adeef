"""The batch pass and the linking output (`csehub link run`, `csehub link export`).

For now the batch pass replays the on-arrival matcher over every report and concern in the
order they arrived, after clearing what the engine made before (never what analysts decided).
The probabilistic resolution (Splink on DuckDB or Spark) comes later.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator
from typing import IO

from django.db import transaction
from django.utils import timezone

from csehub.accounts.models import Partnership
from csehub.audit.models import Verb
from csehub.audit.services import audit_record
from csehub.concerns.models import Concern, ConcernStatus
from csehub.intelligence.models import MENTION_MODELS, IntelligenceReport

from ..models import (
    ENTITY_PREFIX,
    AssignedBy,
    DecisionChange,
    Entity,
    IndexedMention,
    LinkSuggestion,
    MentionEntity,
    SuggestionStatus,
)
from .arrival import link_concern_on_arrival, link_on_arrival

EXPORT_HEADER = ["mention_id", "entity_type", "entity_id"]


def _engine_work_clear(partnership: Partnership) -> None:
    ids = IndexedMention.objects.filter(partnership=partnership).values("mention_id")
    MentionEntity.objects.filter(mention_id__in=ids, assigned_by=AssignedBy.ENGINE).delete()
    LinkSuggestion.objects.filter(
        partnership=partnership, status=SuggestionStatus.SUGGESTED
    ).delete()
    IndexedMention.objects.filter(partnership=partnership).delete()
    kept = set(DecisionChange.objects.values_list("from_entity_id", flat=True)) | set(
        DecisionChange.objects.values_list("to_entity_id", flat=True)
    )
    Entity.objects.filter(
        partnership=partnership,
        assignments__isnull=True,
        decisions__isnull=True,
        alerts__isnull=True,
    ).exclude(pk__in=[k for k in kept if k is not None]).delete()


def _arrivals(partnership: Partnership) -> list[tuple[str, int]]:
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


def links_run(
    *, partnership: Partnership, progress: Callable[[int, int], None] | None = None
) -> int:
    """Replay the on-arrival matcher over everything, in order; returns how many it linked."""
    with transaction.atomic():
        _engine_work_clear(partnership)
    arrivals = _arrivals(partnership)
    for done, (kind, pk) in enumerate(arrivals, start=1):
        if kind == "report":
            link_on_arrival(report=IntelligenceReport(pk=pk), notify=False, alerts=False)
        else:
            link_concern_on_arrival(concern=Concern(pk=pk), notify=False, alerts=False)
        if progress is not None:
            progress(done, len(arrivals))
    with transaction.atomic():
        audit_record(
            actor=None,
            verb=Verb.UPDATED,
            target_type="link_run",
            target_id=partnership.slug,
            detail={"engine": "on_arrival_replay", "containers": len(arrivals)},
        )
    return len(arrivals)


def _every_mention(partnership: Partnership) -> Iterator[tuple[str, str]]:
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


def links_export(*, partnership: Partnership, output: IO[str]) -> int:
    """Write the linking output of INTERCHANGE.md; returns the number of mentions written.

    A mention no entity holds is an entity of its own, with an id made up for this export.
    """
    assigned = {
        mention_id: (entity_type, pk)
        for mention_id, entity_type, pk in MentionEntity.objects.filter(
            entity__partnership=partnership
        ).values_list("mention_id", "entity__entity_type", "entity_id")
    }
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(EXPORT_HEADER)
    count = 0
    for mention_id, entity_type in _every_mention(partnership):
        count += 1
        if mention_id in assigned:
            kind, pk = assigned[mention_id]
            entity_id = f"{ENTITY_PREFIX[kind]}-{pk:06d}"
        else:
            entity_id = f"{ENTITY_PREFIX[entity_type]}-S{count:07d}"
        writer.writerow([mention_id, entity_type, entity_id])
    with transaction.atomic():
        audit_record(
            actor=None,
            verb=Verb.EXPORTED,
            target_type="link_export",
            target_id=partnership.slug,
            detail={"mentions": count},
        )
    return count
