"""Linking on arrival: a new report or concern is matched against everything known at once.

For each of its mentions: candidates from the index, a weight and reasons for each, a boost when
the two reports or concerns share a neighbour (the same phone, account, full plate or place),
then the suggestions are stored. An exact identifier assigns the mention to the known entity
(the engine's own assignment); nothing else does, and a child's mention never is: children's
records are only ever joined by an analyst.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from csehub.concerns.models import Concern
from csehub.intelligence.models import MENTION_RELATED_NAMES, IntelligenceReport

from .. import services
from ..models import (
    Alert,
    Entity,
    EntityType,
    How,
    IndexedMention,
    LinkReason,
    LinkSuggestion,
    MentionEntity,
    SuggestionStatus,
)
from .index import candidates, concern_container, concern_rows, index_replace, neighbours
from .index import report_rows as _report_rows
from .scoring import (
    AUTO_ASSIGN_AT,
    CONSIDER_AT,
    CONTEXT_BOOST,
    SUGGEST_AT,
    Score,
    context_keys,
    score_pair,
)


@dataclass
class ArrivalResult:
    suggestions: list[LinkSuggestion] = field(default_factory=list)
    assigned: dict[str, Entity] = field(default_factory=dict)  # mention id -> entity
    alerts: list[Alert] = field(default_factory=list)

    def extend(self, other: ArrivalResult) -> None:
        self.suggestions += other.suggestions
        self.assigned.update(other.assigned)
        self.alerts += other.alerts


def _rejected_pairs(mention_ids: list[str]) -> set[frozenset[str]]:
    rejected = LinkSuggestion.objects.filter(
        Q(mention_id__in=mention_ids) | Q(target_mention_id__in=mention_ids),
        status=SuggestionStatus.REJECTED,
    ).values_list("mention_id", "target_mention_id")
    return {frozenset(pair) for pair in rejected}


def _scored(rows: list[IndexedMention]) -> list[tuple[IndexedMention, IndexedMention, Score]]:
    rejected = _rejected_pairs([row.mention_id for row in rows])
    found: list[tuple[IndexedMention, IndexedMention, Score]] = []
    for row in rows:
        pool = list(candidates(row))
        ambiguity = len({k.plate for k in pool}) if row.is_partial else 1
        for candidate in pool:
            if frozenset((row.mention_id, candidate.mention_id)) in rejected:
                continue
            score = score_pair(row, candidate, ambiguity=ambiguity)
            if score.weight >= CONSIDER_AT:
                found.append((row, candidate, score))
    if not found:
        return found
    # Context: the two reports or concerns share a neighbour besides the pair itself.
    around = neighbours([rows[0].container, *(item[1].container for item in found)])
    for row, known, score in found:
        if score.exact_identifier:
            continue
        mine = context_keys([r for r in around.get(row.container, []) if r.pk != row.pk])
        theirs = context_keys([r for r in around.get(known.container, []) if r.pk != known.pk])
        shared = sorted(mine & theirs)
        if shared:
            kind, value = shared[0]
            score.add(
                "context", How.CONTEXT, f"both mention the same {kind} {value}", CONTEXT_BOOST
            )
            score.clamp()
    return [item for item in found if item[2].weight >= SUGGEST_AT]


def _store(
    row: IndexedMention, known: IndexedMention, score: Score, entities: dict[str, Entity]
) -> LinkSuggestion | None:
    existing = LinkSuggestion.objects.filter(
        Q(mention_id=row.mention_id, target_mention_id=known.mention_id)
        | Q(mention_id=known.mention_id, target_mention_id=row.mention_id)
    ).first()
    if existing is not None and existing.status != SuggestionStatus.SUGGESTED:
        return None  # an analyst has decided this pair: their decision stands
    if existing is not None:
        existing.delete()
    suggestion = LinkSuggestion(
        partnership_id=row.partnership_id,
        entity_type=row.entity_type,
        mention_id=row.mention_id,
        target_mention_id=known.mention_id,
        target_entity=entities.get(known.mention_id),
        weight=score.weight,
    )
    suggestion.full_clean(validate_unique=False)
    suggestion.save()
    LinkReason.objects.bulk_create(
        [
            LinkReason(
                suggestion=suggestion,
                field=reason.field,
                how=reason.how,
                detail=reason.detail,
                contribution=reason.contribution,
            )
            for reason in score.reasons
        ]
    )
    return suggestion


def _auto_assign(
    row: IndexedMention,
    exact: list[IndexedMention],
    entities: dict[str, Entity],
    result: ArrivalResult,
) -> Entity | None:
    """Join a mention to the entity its exact identifiers point at, when they agree on one."""
    if row.entity_type == EntityType.CHILD or not exact:
        return None
    mine = MentionEntity.objects.filter(mention_id=row.mention_id).first()
    if mine is not None and mine.assigned_by == "analyst":
        return None
    targets = {entities[k.mention_id].pk for k in exact if k.mention_id in entities}
    if len(targets) > 1:
        return None  # the identifiers point at different entities: leave it to an analyst
    if targets:
        entity = next(entities[k.mention_id] for k in exact if k.mention_id in entities)
    elif mine is not None:
        entity = mine.entity
    else:
        entity = services.entity_create(
            partnership_id=row.partnership_id, entity_type=row.entity_type, label=row.label
        )
    services.mentions_assign_by_engine(
        entity=entity, mention_ids=[row.mention_id, *(k.mention_id for k in exact)]
    )
    for mention_id in [row.mention_id, *(k.mention_id for k in exact)]:
        entities[mention_id] = entity
        result.assigned[mention_id] = entity
    return entity


def _link_rows(rows: list[IndexedMention], *, notify: bool, alerts: bool = True) -> ArrivalResult:
    result = ArrivalResult()
    if not rows:
        return result
    # Suggestions the engine made earlier for these mentions are made afresh (a re-import).
    LinkSuggestion.objects.filter(
        mention_id__in=[r.mention_id for r in rows], status=SuggestionStatus.SUGGESTED
    ).delete()
    scored = _scored(rows)
    ids = {r.mention_id for r in rows} | {k.mention_id for _, k, _ in scored}
    entities = {
        a.mention_id: a.entity
        for a in MentionEntity.objects.filter(mention_id__in=ids).select_related("entity")
    }
    touched: dict[int, Entity] = {}
    for row in rows:
        mine = [(k, s) for r, k, s in scored if r.pk == row.pk]
        exact = [k for k, s in mine if s.exact_identifier and s.weight >= AUTO_ASSIGN_AT]
        entity = _auto_assign(row, exact, entities, result)
        if entity is not None:
            touched[entity.pk] = entity
        for known, score in mine:
            suggestion = _store(row, known, score, entities)
            if suggestion is not None:
                result.suggestions.append(suggestion)
    for entity in touched.values() if alerts else ():
        alert = services.alerts_check(entity=entity, notify=notify)
        if alert is not None:
            result.alerts.append(alert)
    return result


@transaction.atomic
def link_on_arrival(
    *, report: IntelligenceReport, notify: bool = True, alerts: bool = True
) -> ArrivalResult:
    """Index a report's mentions and link each to what is already known.

    `notify` emails the CSE team about any alert; `alerts` (off in a batch re-run) raises them.
    """
    report = IntelligenceReport.objects.prefetch_related(*MENTION_RELATED_NAMES).get(pk=report.pk)
    rows = index_replace(container=report.external_id, rows=_report_rows(report))
    return _link_rows(rows, notify=notify, alerts=alerts)


def links_on_arrival(
    *, reports: Iterable[IntelligenceReport], notify: bool = True
) -> ArrivalResult:
    """Link a batch of reports (an import batch), each in turn, in the order given."""
    result = ArrivalResult()
    for report in reports:
        result.extend(link_on_arrival(report=report, notify=notify))
    return result


@transaction.atomic
def link_concern_on_arrival(
    *, concern: Concern, notify: bool = True, alerts: bool = True
) -> ArrivalResult:
    """Index a submitted concern's child and everything involved, and link them."""
    concern = Concern.objects.select_related("child").get(pk=concern.pk)
    rows = index_replace(container=concern_container(concern.pk), rows=concern_rows(concern))
    return _link_rows(rows, notify=notify, alerts=alerts)
