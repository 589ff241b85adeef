"""Linking on arrival: a new report or concern is matched against everything known at once.

For each of its mentions: candidates from the index, what the partnership says about them
(evidence.py), then for each pair a weight, reasons and an outcome (scoring/), with a boost
when the two reports or concerns share a neighbour (the same phone, account, full plate or
place). Every pair is resolved, possible or apart:

- resolved pairs are joined: the mention and the known mentions it resolved to go into one
  entity (the engine's assignment), unless they already sit in two entities (no chaining of
  namesakes) or an analyst has kept two of them apart; each is stored as RESOLVED with its
  weight and reasons, so analysts see why and can undo it by rejecting the pair;
- possible pairs are stored for analysts, the strongest few per mention and one per entity;
- apart pairs are not stored.

A mention an analyst placed is never moved, and a pair an analyst rejected is never compared.
Children are resolved like the rest: a child entity groups mentions (merging two children's
records stays an analyst's act).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Model, Q

from csehub.concerns.models import Concern
from csehub.intelligence.models import MENTION_RELATED_NAMES, IntelligenceReport
from csehub.mace.services import mace_alerts_check

from .. import services
from ..alert_email import alerts_email_on_commit
from ..models import (
    ENGINE_STATUSES,
    Alert,
    AssignedBy,
    Entity,
    EntityType,
    IndexedMention,
    LinkReason,
    LinkSuggestion,
    MentionEntity,
    SuggestionStatus,
)
from .compare import Pair, candidates_scored
from .evidence import evidence_of, fitting_plates_of, identifier_names
from .index import candidates_each, concern_container, concern_rows, index_replace, neighbours
from .index import report_rows as _report_rows
from .scoring import (
    IDENTIFIERS,
    SUGGEST_AT,
    Evidence,
    Score,
    context_keys,
    with_context,
)

# Possible pairs kept per arriving mention: the strongest, one per known entity (an analyst
# judges "is this the same as that entity", not each of its mentions in turn). One is enough
# for mentions of one person in turn: each is asked about the one before, and the answers join
# them all.
POSSIBLE_PER_MENTION = 1


@dataclass
class ArrivalResult:
    suggestions: list[LinkSuggestion] = field(default_factory=list)  # resolved and possible
    assigned: dict[str, Entity] = field(default_factory=dict)  # mention id -> entity
    alerts: list[Alert] = field(default_factory=list)

    def extend(self, other: ArrivalResult) -> None:
        self.suggestions += other.suggestions
        self.assigned.update(other.assigned)
        self.alerts += other.alerts


def _rejected_pairs(mention_ids: Iterable[str]) -> set[frozenset[str]]:
    ids = list(mention_ids)
    rejected = LinkSuggestion.objects.filter(
        Q(mention_id__in=ids) | Q(target_mention_id__in=ids),
        status=SuggestionStatus.REJECTED,
    ).values_list("mention_id", "target_mention_id")
    return {frozenset(pair) for pair in rejected}


def _scored(rows: list[IndexedMention], rejected: set[frozenset[str]]) -> list[Pair]:
    """Every pair of an arriving mention and a candidate that is resolved or possible."""
    found: list[Pair] = []
    evidence: dict[int, Evidence] = {}
    pools = candidates_each(rows)
    for row in rows:
        pool = pools[row.pk]
        evidence[row.pk] = evidence_of(row, pool)
        found += candidates_scored(
            row,
            pool,
            evidence=evidence[row.pk],
            # A full plate arriving: how many plates fit each partial among its candidates.
            fitting=fitting_plates_of(row, pool),
            rejected=rejected,
            scores={},
        )
    if not found:
        return found
    # Context: the two reports or concerns share a neighbour besides the pair itself.
    open_pairs = [item for item in found if not item[2].resolved]
    containers = [rows[0].container, *(known.container for _, known, _ in open_pairs)]
    around = neighbours(containers) if open_pairs else {}
    besides: dict[int, set[tuple[str, str]]] = {}

    def keys_besides(row: IndexedMention) -> set[tuple[str, str]]:
        if row.pk not in besides:
            others = [r for r in around.get(row.container, []) if r.pk != row.pk]
            besides[row.pk] = context_keys(others)
        return besides[row.pk]

    shared = [sorted(keys_besides(row) & keys_besides(known)) for row, known, _ in open_pairs]
    # Whose is each phone, plate or account that might resolve two persons (one look-up).
    asked = {
        key
        for (row, _, score), keys in zip(open_pairs, shared, strict=True)
        if row.entity_type == EntityType.PERSON and score.full_name
        for key in keys
        if key[0] in IDENTIFIERS
    }
    names_with = identifier_names(rows[0].partnership_id, asked) if asked else {}
    for (row, known, score), keys in zip(open_pairs, shared, strict=True):
        with_context(row, known, score, keys, evidence[row.pk], names_with)
    return [item for item in found if item[2].resolved or item[2].weight >= SUGGEST_AT]


@dataclass
class Held:
    """Which entity each mention is in, and which of them an analyst placed."""

    entities: dict[str, Entity]
    by_analyst: set[str]

    @classmethod
    def of(cls, mention_ids: Iterable[str]) -> Held:
        held = cls({}, set())
        rows = MentionEntity.objects.filter(mention_id__in=list(mention_ids))
        for row in rows.select_related("entity"):
            held.entities[row.mention_id] = row.entity
            if row.assigned_by == AssignedBy.ANALYST:
                held.by_analyst.add(row.mention_id)
        return held

    def join_target(
        self, joining: list[str], apart: set[frozenset[str]]
    ) -> tuple[bool, Entity | None]:
        """Whether mentions resolved together may be joined, and where they go: the entity one
        of them is in, or None for a new one. They may not be when they already sit in two
        entities, or when an analyst has kept two of them apart (a rejected pair, also with a
        mention already in the entity). Linking on arrival and the bulk import join by this."""
        there = {self.entities[m].pk: self.entities[m] for m in joining if m in self.entities}
        if len(there) > 1:
            return False, None
        entity = next(iter(there.values()), None)
        for pair in apart:
            outside = [m for m in pair if m not in joining]
            if len(outside) == len(pair):
                continue
            if not outside or (entity is not None and self.entities.get(outside[0]) == entity):
                return False, None
        return True, entity

    def together(self, one: str, other: str) -> bool:
        mine, theirs = self.entities.get(one), self.entities.get(other)
        return mine is not None and theirs is not None and mine.pk == theirs.pk


def entity_label(row: IndexedMention, targets: list[IndexedMention]) -> str:
    """A new entity's label: a vehicle's full plate where one is known, else the mention's."""
    if row.entity_type == EntityType.VEHICLE:
        return next((m.label for m in [row, *targets] if m.plate and not m.is_partial), row.label)
    return row.label


@dataclass
class Joins:
    """The joins of one arrival, made in memory in turn and written together at the end."""

    held: Held
    apart: set[frozenset[str]]
    result: ArrivalResult
    placed: dict[str, Entity] = field(default_factory=dict)  # mention id -> entity
    sources: dict[str, str] = field(default_factory=dict)
    settled: list[list[str]] = field(default_factory=list)  # groups with nothing left to ask
    reached: dict[int, set[str]] = field(default_factory=dict)  # entity -> containers joined

    def join(self, row: IndexedMention, targets: list[IndexedMention]) -> Entity | None:
        """Put a mention and the known mentions it resolved to in one entity (theirs, or a
        new one). Nothing is joined when they already sit in two entities or when an analyst
        has kept two of them apart (a rejected pair, also with a mention already in the
        entity)."""
        held = self.held
        joining = list(dict.fromkeys([row.mention_id, *(k.mention_id for k in targets)]))
        allowed, entity = held.join_target(joining, self.apart)
        if not allowed:
            return None
        if entity is None:
            entity = services.entity_create(
                partnership_id=row.partnership_id,
                entity_type=row.entity_type,
                label=entity_label(row, targets),
            )
        container_of = {}
        for mention in [row, *targets]:
            self.sources[mention.mention_id] = mention.source
            container_of[mention.mention_id] = mention.container
        for mention_id in joining:
            if mention_id not in held.by_analyst:
                if held.entities.get(mention_id) != entity:
                    self.placed[mention_id] = entity
                    self.reached.setdefault(entity.pk, set()).add(container_of[mention_id])
                held.entities[mention_id] = entity
                self.result.assigned[mention_id] = entity
        if len(targets) > 1:
            self.settled.append(joining)
        return entity

    def write(self) -> None:
        """Store the assignments, and drop the possible pairs between mentions now joined."""
        if self.placed:
            services.mentions_assign_by_engine_each(assignments=self.placed, sources=self.sources)
        if self.settled:
            between = Q()
            for joining in self.settled:
                between |= Q(mention_id__in=joining, target_mention_id__in=joining)
            LinkSuggestion.objects.filter(between, status=SuggestionStatus.SUGGESTED).delete()


def _refused(rejected: set[frozenset[str]], held: Held) -> dict[str, set[int]]:
    """For each mention, the entities an analyst has said it is not: those holding a mention
    it was rejected against. Rejecting a group answers "is this that entity?", so the entity's
    other mentions are not asked about again."""
    refused: dict[str, set[int]] = {}
    for pair in rejected:
        for mine in pair:
            for theirs in pair - {mine}:
                if theirs in held.entities:
                    refused.setdefault(mine, set()).add(held.entities[theirs].pk)
    return refused


def outcomes(
    pairs: list[Pair], held: Held, rejected: set[frozenset[str]]
) -> list[tuple[IndexedMention, IndexedMention, Score, str]]:
    """Each pair's outcome once the joins are made: resolved when the two are now in one
    entity; possible when they are not (a resolved pair that could not be joined included),
    the strongest POSSIBLE_PER_MENTION per arriving mention, one per known entity, and none
    with an entity the mention was rejected from."""
    found: list[tuple[IndexedMention, IndexedMention, Score, str]] = []
    open_pairs: dict[int, list[Pair]] = {}
    refused = _refused(rejected, held)
    for row, known, score in pairs:
        if held.together(row.mention_id, known.mention_id):
            if score.resolved:
                found.append((row, known, score, SuggestionStatus.RESOLVED))
            continue  # possible, but already one entity: nothing to ask
        entity = held.entities.get(known.mention_id)
        if entity is not None and entity.pk in refused.get(row.mention_id, ()):
            continue
        open_pairs.setdefault(row.pk, []).append((row, known, score))
    for row_pairs in open_pairs.values():
        asked: set[int] = set()
        for row, known, score in sorted(row_pairs, key=lambda p: (-p[2].weight, p[1].pk)):
            if len(asked) >= POSSIBLE_PER_MENTION:
                break
            entity = held.entities.get(known.mention_id)
            # Mentions in no entity are each their own question.
            question = entity.pk if entity is not None else -known.pk
            if question in asked:
                continue
            asked.add(question)
            found.append((row, known, score, SuggestionStatus.SUGGESTED))
    return found


def _store(
    pairs: list[tuple[IndexedMention, IndexedMention, Score, str]], entities: dict[str, Entity]
) -> list[LinkSuggestion]:
    """Store the pairs in one go; a pair an analyst has decided stays as they left it."""
    if not pairs:
        return []
    mine = {row.mention_id for row, _, _, _ in pairs}
    theirs = {known.mention_id for _, known, _, _ in pairs}
    wanted = {frozenset((row.mention_id, known.mention_id)) for row, known, _, _ in pairs}
    decided: set[frozenset[str]] = set()
    stale: list[int] = []
    for pk, one, other, status in LinkSuggestion.objects.filter(
        Q(mention_id__in=mine, target_mention_id__in=theirs)
        | Q(mention_id__in=theirs, target_mention_id__in=mine)
    ).values_list("pk", "mention_id", "target_mention_id", "status"):
        if frozenset((one, other)) not in wanted:
            continue  # another pair of these mentions, not being stored now
        if status not in ENGINE_STATUSES:
            decided.add(frozenset((one, other)))  # an analyst has decided this pair
        else:
            stale.append(pk)
    LinkSuggestion.objects.filter(pk__in=stale).delete()
    return pairs_write(pairs, entities, decided)


def pairs_write(
    pairs: list[tuple[IndexedMention, IndexedMention, Score, str]],
    entities: dict[str, Entity],
    decided: set[frozenset[str]],
) -> list[LinkSuggestion]:
    """Write the pairs and their reasons in bulk, but none an analyst has `decided`."""
    made: list[tuple[LinkSuggestion, Score]] = []
    for row, known, score, status in pairs:
        if frozenset((row.mention_id, known.mention_id)) in decided:
            continue
        suggestion = LinkSuggestion(
            partnership_id=row.partnership_id,
            entity_type=row.entity_type,
            mention_id=row.mention_id,
            target_mention_id=known.mention_id,
            target_entity=entities.get(known.mention_id),
            weight=score.weight,
            status=status,
        )
        # The fields are checked here; the keys and constraints by the database on insert
        # (checking them here would cost a query each, per suggestion).
        suggestion.full_clean(
            exclude=["partnership", "target_entity"],
            validate_unique=False,
            validate_constraints=False,
        )
        made.append((suggestion, score))
    LinkSuggestion.objects.bulk_create([suggestion for suggestion, _ in made], batch_size=1000)
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
        ],
        batch_size=2000,
    )
    return [suggestion for suggestion, _ in made]


def _link_rows(
    rows: list[IndexedMention], *, notify: bool, alerts: bool = True, fresh: bool = False
) -> ArrivalResult:
    """Link a container's newly indexed rows. `fresh` says the container was not indexed
    before: the alert check then looks only at what the joins brought to each entity."""
    result = ArrivalResult()
    if not rows:
        return result
    ids = [r.mention_id for r in rows]
    # What the engine made earlier for these mentions is made afresh (a re-import): its pairs
    # and its joins, which the corrected report may no longer support. An analyst's stay.
    LinkSuggestion.objects.filter(mention_id__in=ids, status__in=ENGINE_STATUSES).delete()
    services.mentions_release_by_engine(mention_ids=ids)
    rejected = _rejected_pairs(ids)
    scored = _scored(rows, rejected)
    resolving = {k.mention_id for _, k, s in scored if s.resolved}
    # Joining several known mentions must not undo an analyst's rejection between them.
    apart = rejected | _rejected_pairs(resolving) if resolving else rejected
    held = Held.of(
        set(ids) | {k.mention_id for _, k, _ in scored} | {m for pair in apart for m in pair}
    )
    touched: dict[int, Entity] = {}
    joins = Joins(held, apart, result)
    for row in rows:
        targets = [k for r, k, s in scored if r.pk == row.pk and s.resolved]
        entity = joins.join(row, targets) if targets else None
        if entity is not None:
            touched[entity.pk] = entity
    joins.write()
    result.suggestions += _store(outcomes(scored, held, rejected), held.entities)
    if alerts:
        raised = services.alerts_check_each(
            entities=touched.values(), notify=False, reached=joins.reached if fresh else None
        )
        raised += mace_alerts_check(mention_ids=ids, notify=False)
        if notify:
            alerts_email_on_commit(raised)  # one email for all of them
        result.alerts += raised
    return result


@transaction.atomic(savepoint=False)
def link_on_arrival(
    *, report: IntelligenceReport, notify: bool = True, alerts: bool = True
) -> ArrivalResult:
    """Index a report's mentions and link each to what is already known.

    `notify` emails the CSE team about any alert; `alerts` (off in a batch re-run) raises them.
    """
    report = IntelligenceReport.objects.prefetch_related(*MENTION_RELATED_NAMES).get(pk=report.pk)
    rows, replaced = index_replace(container=report.external_id, rows=_report_rows(report))
    return _link_rows(rows, notify=notify, alerts=alerts, fresh=not replaced)


def links_on_arrival(
    *, reports: Iterable[IntelligenceReport], notify: bool = True
) -> ArrivalResult:
    """Link a batch of reports (an import batch), each in turn, in the order given."""
    result = ArrivalResult()
    for report in reports:
        result.extend(link_on_arrival(report=report, notify=notify))
    return result


@transaction.atomic(savepoint=False)
def link_concern_on_arrival(
    *,
    concern: Concern,
    notify: bool = True,
    alerts: bool = True,
    involved: Mapping[str, Sequence[Model]] | None = None,
) -> ArrivalResult:
    """Index a submitted concern's child and everything involved, and link them.

    `involved` (the rows just stored, by kind: people, vehicles, phones, online, locations)
    spares reading them again; without it the concern is read afresh."""
    if involved is None:
        concern = Concern.objects.select_related("child").get(pk=concern.pk)
    rows, replaced = index_replace(
        container=concern_container(concern.pk), rows=concern_rows(concern, involved)
    )
    return _link_rows(rows, notify=notify, alerts=alerts, fresh=not replaced)
