"""Linking on arrival: a new report or concern is matched against everything known at once.

For each of its mentions: candidates from the index, a weight and reasons for each, a boost when
the two reports or concerns share a neighbour (the same phone, account, full plate or place),
then the suggestions are stored. An exact identifier assigns the mention to the known entity
(the engine's own assignment); nothing else does, and a child's mention never is: children's
records are only ever joined by an analyst.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.db.models import Q

from csehub.concerns.models import Concern
from csehub.intelligence.models import MENTION_RELATED_NAMES, IntelligenceReport
from csehub.mace.services import mace_alerts_check

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


# What scoring.context_keys reads of a neighbour (only these are loaded, for speed).
CONTEXT_FIELDS = ("e164", "username", "plate", "is_partial", "plate_confusable", "postcode")


def _compared_fields(row: IndexedMention) -> tuple[object, ...]:
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
        row.e164,
        row.username,
        row.platform,
        row.postcode,
    )


def _scored(rows: list[IndexedMention]) -> list[tuple[IndexedMention, IndexedMention, Score]]:
    rejected = _rejected_pairs([row.mention_id for row in rows])
    found: list[tuple[IndexedMention, IndexedMention, Score]] = []
    for row in rows:
        pool = list(candidates(row))
        ambiguity = len({k.plate for k in pool}) if row.is_partial else 1
        # Many candidates are written alike ("james smith", 30): each likeness is scored once.
        scores: dict[tuple[object, ...], Score] = {}
        for candidate in pool:
            if frozenset((row.mention_id, candidate.mention_id)) in rejected:
                continue
            alike = _compared_fields(candidate)
            if alike not in scores:
                scores[alike] = score_pair(row, candidate, ambiguity=ambiguity)
            score = scores[alike]
            if score.weight >= CONSIDER_AT:
                found.append((row, candidate, replace(score, reasons=list(score.reasons))))
    if not found:
        return found
    # Context: the two reports or concerns share a neighbour besides the pair itself.
    open_pairs = [item for item in found if not item[2].exact_identifier]
    containers = [rows[0].container, *(known.container for _, known, _ in open_pairs)]
    around = neighbours(containers, fields=CONTEXT_FIELDS)
    besides: dict[int, set[tuple[str, str]]] = {}

    def keys_besides(row: IndexedMention) -> set[tuple[str, str]]:
        if row.pk not in besides:
            others = [r for r in around.get(row.container, []) if r.pk != row.pk]
            besides[row.pk] = context_keys(others)
        return besides[row.pk]

    for row, known, score in open_pairs:
        shared = sorted(keys_besides(row) & keys_besides(known))
        if shared:
            kind, value = shared[0]
            score.add(
                "context", How.CONTEXT, f"both mention the same {kind} {value}", CONTEXT_BOOST
            )
            score.clamp()
    return [item for item in found if item[2].weight >= SUGGEST_AT]


def _store(
    pairs: list[tuple[IndexedMention, IndexedMention, Score]], entities: dict[str, Entity]
) -> list[LinkSuggestion]:
    """Store the suggestions in one go; a pair an analyst has decided stays as they left it."""
    if not pairs:
        return []
    mine = {row.mention_id for row, _, _ in pairs}
    theirs = {known.mention_id for _, known, _ in pairs}
    wanted = {frozenset((row.mention_id, known.mention_id)) for row, known, _ in pairs}
    decided: set[frozenset[str]] = set()
    stale: list[int] = []
    for pk, one, other, status in LinkSuggestion.objects.filter(
        Q(mention_id__in=mine, target_mention_id__in=theirs)
        | Q(mention_id__in=theirs, target_mention_id__in=mine)
    ).values_list("pk", "mention_id", "target_mention_id", "status"):
        if frozenset((one, other)) not in wanted:
            continue  # another pair of these mentions, not being suggested now
        if status != SuggestionStatus.SUGGESTED:
            decided.add(frozenset((one, other)))  # an analyst has decided this pair
        else:
            stale.append(pk)
    LinkSuggestion.objects.filter(pk__in=stale).delete()
    made: list[tuple[LinkSuggestion, Score]] = []
    for row, known, score in pairs:
        if frozenset((row.mention_id, known.mention_id)) in decided:
            continue
        suggestion = LinkSuggestion(
            partnership_id=row.partnership_id,
            entity_type=row.entity_type,
            mention_id=row.mention_id,
            target_mention_id=known.mention_id,
            target_entity=entities.get(known.mention_id),
            weight=score.weight,
        )
        # The fields are checked here; the keys and constraints by the database on insert
        # (checking them here would cost a query each, per suggestion).
        suggestion.full_clean(
            exclude=["partnership", "target_entity"],
            validate_unique=False,
            validate_constraints=False,
        )
        made.append((suggestion, score))
    LinkSuggestion.objects.bulk_create([suggestion for suggestion, _ in made])
    LinkReason.objects.bulk_create(
        [
            LinkReason(
                suggestion=suggestion,
                field=reason.field,
                how=reason.how,
                detail=reason.detail,
                contribution=reason.contribution,
            )
            for suggestion, score in made
            for reason in score.reasons
        ]
    )
    return [suggestion for suggestion, _ in made]


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
    joining = [row.mention_id, *(k.mention_id for k in exact)]
    services.mentions_assign_by_engine(
        entity=entity,
        # Those already in the entity stay as they are (one query each to move them again).
        mention_ids=[m for m in joining if m not in entities or entities[m].pk != entity.pk],
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
        exact = [
            k
            for r, k, s in scored
            if r.pk == row.pk and s.exact_identifier and s.weight >= AUTO_ASSIGN_AT
        ]
        entity = _auto_assign(row, exact, entities, result)
        if entity is not None:
            touched[entity.pk] = entity
    result.suggestions += _store(scored, entities)
    # alerts_check locks each entity: always in the same order, so two arrivals cannot deadlock.
    for pk in sorted(touched) if alerts else ():
        alert = services.alerts_check(entity=touched[pk], notify=notify)
        if alert is not None:
            result.alerts.append(alert)
    if alerts:
        raised = mace_alerts_check(mention_ids=[r.mention_id for r in rows], notify=notify)
        result.alerts += raised
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
