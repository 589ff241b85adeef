"""Scoring, joining and storing a bulk import's batch (see the package)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from csehub.mace.services import mace_alerts_check

from ... import services
from ...models import (
    ENGINE_STATUSES,
    Alert,
    AlertKind,
    AssignedBy,
    Entity,
    EntityType,
    IndexedMention,
    LinkSuggestion,
    MentionEntity,
    SuggestionStatus,
)
from ..arrival import Held, entity_label, outcomes
from ..compare import Likeness, candidates_scored
from ..evidence import evidence_of
from ..index import Neighbour, neighbours
from ..scoring import (
    IDENTIFIERS,
    SUGGEST_AT,
    Evidence,
    Score,
    context_keys,
    with_context,
)
from .known import KEYS_PER_QUERY, IdentifierNames, Known
from .write import pairs_insert, values_insert

Pair = tuple[IndexedMention, IndexedMention, Score]


@dataclass
class BatchResult:
    assigned: int = 0  # mentions the engine put in an entity
    suggestions: int = 0  # resolved and possible pairs stored
    alerts: list[Alert] = field(default_factory=list)
    touched: set[int] = field(default_factory=set)  # entities joined into


# ---------------------------------------------------------------------------------------------
# Scoring (arrival._scored, with the context read once for the batch)
# ---------------------------------------------------------------------------------------------


def _scored_alone(
    rows: list[IndexedMention],
    known: Known,
    rejected: set[frozenset[str]],
    scores: dict[Likeness, Score],
) -> tuple[list[Pair], dict[int, Evidence]]:
    """arrival._scored before the context is weighed, against what the report found known."""
    found: list[Pair] = []
    evidence: dict[int, Evidence] = {}
    first = min(r.pk for r in rows)
    for row in rows:
        pool = known.candidates(row, first)
        evidence[row.pk] = evidence_of(row, pool)
        found += candidates_scored(
            row,
            pool,
            evidence=evidence[row.pk],
            fitting=known.fitting_plates(row, pool),
            rejected=rejected,
            scores=scores,
        )
    return found, evidence


def _neighbours(
    containers: set[str], batch: dict[str, list[IndexedMention]]
) -> dict[str, Sequence[IndexedMention | Neighbour]]:
    """The mentions of each container: the batch's from memory, the rest read."""
    found: dict[str, Sequence[IndexedMention | Neighbour]] = {
        c: batch[c] for c in containers if c in batch
    }
    found.update(neighbours(containers - set(found)))
    return found


def _with_context(
    reports: list[list[IndexedMention]],
    scored: dict[str, tuple[list[Pair], dict[int, Evidence]]],
) -> dict[str, list[Pair]]:
    """Each report's pairs once the context of the two reports is weighed (as arrival does)."""
    batch = {rows[0].container: rows for rows in reports}
    containers: set[str] = set()
    for rows in reports:
        pairs, _ = scored[rows[0].container]
        open_pairs = [p for p in pairs if not p[2].resolved]
        if open_pairs:
            containers.add(rows[0].container)
            containers.update(known.container for _, known, _ in open_pairs)
    around = _neighbours(containers, batch)
    besides: dict[int, set[tuple[str, str]]] = {}

    def keys_besides(row: IndexedMention) -> set[tuple[str, str]]:
        if row.pk not in besides:
            others = [r for r in around.get(row.container, []) if r.pk != row.pk]
            besides[row.pk] = context_keys(others)
        return besides[row.pk]

    shared_of: dict[str, list[list[tuple[str, str]]]] = {}
    asked: set[tuple[str, str]] = set()
    for rows in reports:
        pairs, _ = scored[rows[0].container]
        open_pairs = [p for p in pairs if not p[2].resolved]
        shared = [sorted(keys_besides(row) & keys_besides(known)) for row, known, _ in open_pairs]
        shared_of[rows[0].container] = shared
        asked |= {
            key
            for (row, _, score), keys in zip(open_pairs, shared, strict=True)
            if row.entity_type == EntityType.PERSON and score.full_name
            for key in keys
            if key[0] in IDENTIFIERS
        }
    names_at = IdentifierNames(reports, asked) if asked else None
    result: dict[str, list[Pair]] = {}
    for rows in reports:
        pairs, evidence = scored[rows[0].container]
        open_pairs = [p for p in pairs if not p[2].resolved]
        shared = shared_of[rows[0].container]
        wanted = {key for keys in shared for key in keys if key in asked}
        names_with = names_at.at(rows, wanted) if names_at is not None and wanted else {}
        for (row, known, score), keys in zip(open_pairs, shared_of[rows[0].container], strict=True):
            with_context(row, known, score, keys, evidence[row.pk], names_with)
        result[rows[0].container] = [p for p in pairs if p[2].resolved or p[2].weight >= SUGGEST_AT]
    return result


# ---------------------------------------------------------------------------------------------
# Joins, outcomes and writes
# ---------------------------------------------------------------------------------------------


def _folds_alike(
    row: IndexedMention, known: Known, *, first_of: list[IndexedMention], moved: set[str]
) -> bool:
    """Whether the evidence of a full plate has changed since it was scored: its candidates
    include plates folding alike to it written more than one way (the only evidence that
    depends on the joins made before it), and the batch has since joined one of them
    (`moved`: the mentions the batch's joins have placed so far)."""
    if row.entity_type != EntityType.VEHICLE or row.is_partial or not row.plate or not moved:
        return False
    pool = known.candidates(row, min(r.pk for r in first_of))
    mates = [k for k in pool if not k.is_partial and k.plate_confusable == row.plate_confusable]
    return len({k.plate for k in mates}) > 1 and any(k.mention_id in moved for k in mates)


def _rejected(ids: Iterable[str]) -> set[frozenset[str]]:
    wanted = sorted(set(ids))
    found: set[frozenset[str]] = set()
    for start in range(0, len(wanted), KEYS_PER_QUERY):
        chunk = wanted[start : start + KEYS_PER_QUERY]
        found |= {
            frozenset(pair)
            for pair in LinkSuggestion.objects.filter(
                Q(mention_id__in=chunk) | Q(target_mention_id__in=chunk),
                status=SuggestionStatus.REJECTED,
            ).values_list("mention_id", "target_mention_id")
        }
    return found


def _held(ids: Iterable[str]) -> Held:
    """Held.of in chunks, with one instance per entity (not one per mention)."""
    held = Held({}, set())
    wanted = sorted(set(ids))
    assigned: list[tuple[str, int, str]] = []
    for start in range(0, len(wanted), KEYS_PER_QUERY):
        rows = MentionEntity.objects.filter(mention_id__in=wanted[start : start + KEYS_PER_QUERY])
        assigned += rows.values_list("mention_id", "entity_id", "assigned_by")
    entities = Entity.objects.in_bulk(sorted({entity_id for _, entity_id, _ in assigned}))
    for mention_id, entity_id, assigned_by in assigned:
        held.entities[mention_id] = entities[entity_id]
        if assigned_by == AssignedBy.ANALYST:
            held.by_analyst.add(mention_id)
    return held


class _Joins:
    """arrival.Joins, with the assignments kept until the batch is written."""

    def __init__(self, held: Held, apart: set[frozenset[str]]) -> None:
        self.held = held
        self.apart = apart
        self.assign: dict[str, tuple[Entity, str]] = {}  # mention id -> (entity, source)
        self.settled: list[set[str]] = []  # mentions joined at once: their open pairs go
        self.moved: set[str] = set()  # every mention placed, written or not

    def join(self, row: IndexedMention, targets: list[IndexedMention]) -> Entity | None:
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
        sources = {r.mention_id: r.source for r in [row, *targets]}
        for mention_id in joining:
            if held.entities.get(mention_id) != entity and mention_id not in held.by_analyst:
                self.assign[mention_id] = (entity, sources[mention_id])
                self.moved.add(mention_id)
                held.entities[mention_id] = entity
        if len(targets) > 1:
            self.settled.append(set(joining))
        return entity

    def write(self) -> int:
        if not self.assign:
            return 0
        ids = sorted(self.assign)
        # A re-imported report's mentions may hold the engine's earlier assignment.
        for start in range(0, len(ids), KEYS_PER_QUERY):
            MentionEntity.objects.filter(
                mention_id__in=ids[start : start + KEYS_PER_QUERY], assigned_by=AssignedBy.ENGINE
            ).delete()
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        values_insert(
            MentionEntity,
            ["mention_id", "source", "entity", "assigned_by", "assigned_at"],
            [
                (m, source, entity.pk, AssignedBy.ENGINE, now)
                for m, (entity, source) in self.assign.items()
            ],
            keys=False,
        )
        self.assign = {}
        return len(ids)


def _settled_remove(
    pending: list[tuple[int, tuple[IndexedMention, IndexedMention, Score, str]]],
    groups: list[set[str]],
) -> list[tuple[IndexedMention, IndexedMention, Score, str]]:
    """The batch's outcomes, less the open pairs between mentions a later join of the batch
    put in one entity at once (arrival._join deletes them as it joins). Each outcome comes
    with how many such joins had been made when it was found."""
    group_of: dict[str, list[int]] = {}
    for number, group in enumerate(groups):
        for mention_id in group:
            group_of.setdefault(mention_id, []).append(number)
    kept = []
    for made_before, item in pending:
        row, known, _, status = item
        if status == SuggestionStatus.SUGGESTED:
            later = {g for g in group_of.get(row.mention_id, []) if g >= made_before}
            if later & set(group_of.get(known.mention_id, [])):
                continue
        kept.append(item)
    return kept


def _settled_delete(groups: list[set[str]]) -> None:
    """Open pairs stored before this batch between mentions it joined at once."""
    if not groups:
        return
    ids = sorted(set().union(*groups))
    group_of: dict[str, list[int]] = {}
    for number, group in enumerate(groups):
        for m in group:
            group_of.setdefault(m, []).append(number)
    stale: list[int] = []
    for start in range(0, len(ids), KEYS_PER_QUERY):
        for pk, one, other in LinkSuggestion.objects.filter(
            mention_id__in=ids[start : start + KEYS_PER_QUERY], status=SuggestionStatus.SUGGESTED
        ).values_list("pk", "mention_id", "target_mention_id"):
            if set(group_of.get(one, [])) & set(group_of.get(other, [])):
                stale.append(pk)
    LinkSuggestion.objects.filter(pk__in=stale).delete()


def _store(
    pairs: list[tuple[IndexedMention, IndexedMention, Score, str]], entities: dict[str, Entity]
) -> int:
    """arrival._store for the whole batch: a pair an analyst decided stays as they left it."""
    if not pairs:
        return 0
    wanted = {frozenset((row.mention_id, known.mention_id)) for row, known, _, _ in pairs}
    mine = sorted({row.mention_id for row, _, _, _ in pairs})
    decided: set[frozenset[str]] = set()
    stale: list[int] = []
    for start in range(0, len(mine), KEYS_PER_QUERY):
        chunk = mine[start : start + KEYS_PER_QUERY]
        for pk, one, other, status in LinkSuggestion.objects.filter(
            Q(mention_id__in=chunk) | Q(target_mention_id__in=chunk)
        ).values_list("pk", "mention_id", "target_mention_id", "status"):
            if frozenset((one, other)) not in wanted:
                continue
            if status not in ENGINE_STATUSES:
                decided.add(frozenset((one, other)))
            else:
                stale.append(pk)
    LinkSuggestion.objects.filter(pk__in=stale).delete()
    return pairs_insert(pairs, entities, decided)


def _alerts(entity_ids: set[int]) -> list[Alert]:
    """alerts_check for the entities that may have reached a further child.

    How many children an entity's reports and concerns name is at most the number of their
    child mentions once those in one entity count once (children_linked joins them further):
    one look-up for them all says which entities may be over 2, and over their last alert.
    """
    quote = connection.ops.quote_name
    assigned = quote(MentionEntity._meta.db_table)
    indexed = quote(IndexedMention._meta.db_table)
    entity, mention = quote("entity_id"), quote("mention_id")
    wanted = sorted(entity_ids)
    most: dict[int, int] = {}
    for start in range(0, len(wanted), KEYS_PER_QUERY):
        chunk = wanted[start : start + KEYS_PER_QUERY]
        sql = (
            f"SELECT a.{entity}, COUNT(DISTINCT COALESCE('e' || ce.{entity}, c.{mention}))"  # noqa: S608
            f" FROM {assigned} a JOIN {indexed} m ON m.{mention} = a.{mention}"
            f" JOIN {indexed} c ON c.{quote('container')} = m.{quote('container')}"
            f" AND c.{quote('entity_type')} = %s"
            f" LEFT JOIN {assigned} ce ON ce.{mention} = c.{mention}"
            f" WHERE a.{entity} IN ({', '.join(['%s'] * len(chunk))})"
            f" GROUP BY a.{entity}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [EntityType.CHILD, *chunk])
            most.update({pk: count for pk, count in cursor.fetchall() if count >= 2})
    already: dict[int, int] = {}
    for pk, count in Alert.objects.filter(
        entity_id__in=sorted(most), kind=AlertKind.LINKS_SECOND_CHILD
    ).values_list("entity_id", "children_linked"):
        already[pk] = max(already.get(pk, 0), count or 0)
    possible = sorted(pk for pk, count in most.items() if count > already.get(pk, 0))
    if not possible:
        return []
    return services.alerts_check_each(entities=Entity.objects.filter(pk__in=possible), notify=False)


def batch_link(*, rows: list[IndexedMention], alerts: bool = True) -> BatchResult:
    """Link a batch of indexed report mentions (keys in the order the reports arrived).

    Call inside the transaction that indexed them. Alerts are raised but not emailed.
    """
    result = BatchResult()
    if not rows:
        return result
    rows = sorted(rows, key=lambda r: r.pk)
    ids = [r.mention_id for r in rows]
    # What the engine made earlier for these mentions is made afresh (a re-import), as on
    # arrival: its pairs and its joins. An analyst's stay.
    for start in range(0, len(ids), KEYS_PER_QUERY):
        chunk = ids[start : start + KEYS_PER_QUERY]
        LinkSuggestion.objects.filter(mention_id__in=chunk, status__in=ENGINE_STATUSES).delete()
        services.mentions_release_by_engine(mention_ids=chunk)
    reports: dict[str, list[IndexedMention]] = {}
    for row in rows:
        reports.setdefault(row.container, []).append(row)
    ordered = list(reports.values())
    rejected = _rejected(ids)
    known = Known(rows)
    scores: dict[Likeness, Score] = {}  # each likeness scored once for the batch
    scored = {
        rows_[0].container: _scored_alone(rows_, known, rejected, scores) for rows_ in ordered
    }
    pairs_of = _with_context(ordered, scored)
    resolving = {k.mention_id for pairs in pairs_of.values() for _, k, s in pairs if s.resolved}
    apart = rejected | _rejected(resolving) if resolving else rejected
    held = _held(
        set(ids)
        | {k.mention_id for pairs in pairs_of.values() for _, k, _ in pairs}
        | {m for pair in apart for m in pair}
    )
    joins = _Joins(held, apart)
    pending: list[tuple[int, tuple[IndexedMention, IndexedMention, Score, str]]] = []
    for report_rows in ordered:
        container = report_rows[0].container
        if any(
            _folds_alike(row, known, first_of=report_rows, moved=joins.moved) for row in report_rows
        ):
            # Whether a misread plate resolves depends on which entities its look-alikes are
            # in by now (evidence._plates_folding_alike reads the assignments): the batch's
            # joins so far are written, and the report scored again.
            result.assigned += joins.write()
            # Scored afresh: the evidence of plates folding alike has changed with the joins.
            again = {container: _scored_alone(report_rows, known, rejected, {})}
            pairs_of[container] = _with_context([report_rows], again)[container]
            found = {k.mention_id for _, k, _ in pairs_of[container]}
            fresh = _held(found - set(held.entities))
            held.entities.update(fresh.entities)
            held.by_analyst |= fresh.by_analyst
            joins.apart |= _rejected(found)
        pairs = pairs_of[container]
        for row in report_rows:
            targets = [k for r, k, s in pairs if r.pk == row.pk and s.resolved]
            entity = joins.join(row, targets) if targets else None
            if entity is not None:
                result.touched.add(entity.pk)
        pending += [(len(joins.settled), item) for item in outcomes(pairs, held, rejected)]
    result.assigned += joins.write()
    _settled_delete(joins.settled)
    result.suggestions = _store(_settled_remove(pending, joins.settled), held.entities)
    if alerts:
        result.alerts = _alerts(result.touched)
        result.alerts += mace_alerts_check(mention_ids=ids, notify=False)
    return result
