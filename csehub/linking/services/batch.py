"""`csehub link run` and `csehub link export`: the batch pass, stored as a ResolutionRun.

A run has two stages. The deterministic pass replays the on-arrival matcher over every report
and concern in the order they arrived, after clearing what the engine made before (never what
analysts decided); with an engine it only links what is not in the candidate index yet, unless
asked to replay. With an engine (DuckDB or Spark), Splink then resolves the persons of
concern over the candidate index: its clusters become the engine's assignments and its
other pairs suggestions with reasons, replacing the deterministic suggestions for persons.
What the on-arrival rules resolved stays resolved: those pairs are joined before Splink's own
(decision 0015), so a run only ever adds to them, unless an analyst has since kept one apart. The
model assigns conservatively (a false merge of two persons of concern is worse than a missed
link): only pairs whose name agreement is corroborated and strong once adjusted for how common
the name is are joined, so namesakes are left to analysts as suggestions.
Analysts' decisions win: a mention an analyst placed stays where it is, a rejected pair is never
put in one cluster, two entities an analyst keeps apart are never joined, and children's
mentions are never assigned by the model (their pairs are suggestions only).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from importlib.metadata import version
from typing import IO, TYPE_CHECKING

from django.db import transaction
from django.db.models import Case, Exists, IntegerField, Max, OuterRef, Q, Value, When
from django.db.models.fields.reverse_related import ManyToOneRel
from django.utils import timezone

from csehub.accounts.models import Partnership, User
from csehub.audit.models import Verb
from csehub.audit.services import audit_record
from csehub.concerns.models import Concern
from csehub.intelligence.models import IntelligenceReport

from ..engine.batch import ResolutionInput, arrivals, every_mention, resolution_input
from ..engine.index import CONCERN_ID_PREFIX
from ..models import (
    ENGINE_STATUSES,
    ENTITY_PREFIX,
    AssignedBy,
    Entity,
    EntityType,
    IndexedMention,
    LinkReason,
    LinkSuggestion,
    MentionEntity,
    ResolutionRun,
    RunEngine,
    RunStatus,
    SuggestionStatus,
)

if TYPE_CHECKING:  # Splink loads only when a resolution runs
    from ..engine.resolution.pipeline import Resolution

EXPORT_HEADER = ["mention_id", "entity_type", "entity_id"]
RUN_TARGET = "resolution_run"
# The entity types the model resolves; the others are joined on exact keys by the first stage.
RESOLVED_TYPES = [EntityType.PERSON, EntityType.CHILD]

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def _engine_work_clear(partnership: Partnership) -> None:
    """What the engine made before (never what analysts decided). Entities left empty get
    their mentions back at the end of the run (`_references_keep`), so no reference changes."""
    ids = IndexedMention.objects.filter(partnership=partnership).values("mention_id")
    MentionEntity.objects.filter(mention_id__in=ids, assigned_by=AssignedBy.ENGINE).delete()
    LinkSuggestion.objects.filter(partnership=partnership, status__in=ENGINE_STATUSES).delete()
    IndexedMention.objects.filter(partnership=partnership).delete()


# ---------------------------------------------------------------------------------------------
# Stable references: a run never renumbers an entity, and an emptied one says where it went
# ---------------------------------------------------------------------------------------------

CHUNK = 500


def _held(partnership: Partnership) -> dict[str, int]:
    """Which entity each mention of the partnership is in now (the engine's or an analyst's)."""
    return dict(
        MentionEntity.objects.filter(entity__partnership=partnership)
        .values_list("mention_id", "entity_id")
        .iterator(chunk_size=20_000)
    )


def _newest_entity() -> int:
    return int(Entity.objects.aggregate(newest=Max("pk"))["newest"] or 0)


def _repoint(moved: dict[int, int]) -> None:
    """Everything that refers to an entity in `moved` refers to the one it maps to instead."""
    relations = [
        (relation.related_model, relation.field.name)
        for relation in Entity._meta.get_fields(include_hidden=True)
        if isinstance(relation, ManyToOneRel) and not isinstance(relation.related_model, str)
    ]
    pairs = sorted(moved.items())
    for start in range(0, len(pairs), CHUNK):
        chunk = dict(pairs[start : start + CHUNK])
        for model, name in relations:
            model._default_manager.filter(**{f"{name}__in": list(chunk)}).update(
                **{
                    name: Case(
                        *(When(**{name: old}, then=Value(new)) for old, new in chunk.items()),
                        output_field=IntegerField(),
                    )
                }
            )


def _references_keep(
    partnership: Partnership, *, held: dict[str, int], newest: int, empty_mark: bool = True
) -> None:
    """After a run, give each earlier entity its mentions back, and say where emptied ones went.

    `held` is where every mention was before the run and `newest` the newest entity then. An
    entity the run made (only the engine's mentions in it) whose mentions were mostly in one
    earlier entity that is now empty gives them back to it and is removed: it was made by this
    run, so no note or minute can name it. An earlier entity still empty gets as its successor
    the entity now holding most of its former mentions, or none if they now stand alone.
    `empty_mark` False (a failed run, its replay unfinished) only gives mentions back.
    """
    now = dict(
        MentionEntity.objects.filter(entity__partnership=partnership)
        .values_list("mention_id", "entity_id")
        .iterator(chunk_size=20_000)
    )
    live = set(now.values())
    # Entities made since the run began that hold an analyst's placing are theirs: they stay.
    made = {pk for pk in live if pk > newest} - set(
        MentionEntity.objects.filter(
            entity__partnership=partnership, entity_id__gt=newest, assigned_by=AssignedBy.ANALYST
        ).values_list("entity_id", flat=True)
    )
    empty = {pk for pk in held.values() if pk not in live}
    overlap: Counter[tuple[int, int]] = Counter(
        (entity_id, held[mention_id])
        for mention_id, entity_id in now.items()
        if entity_id in made and held.get(mention_id) in empty
    )
    wanted = sorted({pk for pair in overlap for pk in pair})
    kinds = {
        pk: kind
        for start in range(0, len(wanted), CHUNK)
        for pk, kind in Entity.objects.filter(pk__in=wanted[start : start + CHUNK]).values_list(
            "pk", "entity_type"
        )
    }
    # The strongest overlaps first, each earlier entity claimed by one new entity at most.
    back: dict[int, int] = {}
    claimed: set[int] = set()
    for new, earlier in sorted(overlap, key=lambda pair: (-overlap[pair], pair[1], pair[0])):
        if new not in back and earlier not in claimed and kinds[new] == kinds[earlier]:
            back[new] = earlier
            claimed.add(earlier)
    _repoint(back)
    removed = sorted(back)
    for start in range(0, len(removed), CHUNK):
        Entity.objects.filter(pk__in=removed[start : start + CHUNK]).delete()
    # Whatever holds mentions is live, an earlier entity given its mentions back included.
    Entity.objects.filter(partnership=partnership, emptied_at__isnull=False).filter(
        Exists(MentionEntity.objects.filter(entity_id=OuterRef("pk")))
    ).update(successor=None, emptied_at=None)
    if not empty_mark:
        return
    now = {m: back.get(pk, pk) for m, pk in now.items()}
    emptied = empty - claimed
    went: dict[int, Counter[int]] = {pk: Counter() for pk in emptied}
    for mention_id, earlier in held.items():
        if earlier in went and mention_id in now:
            went[earlier][now[mention_id]] += 1
    at = timezone.now()
    rows = [
        Entity(
            pk=pk,
            successor_id=min(where, key=lambda e: (-where[e], e)) if where else None,
            emptied_at=at,
        )
        for pk, where in sorted(went.items())
    ]
    Entity.objects.bulk_update(rows, ["successor", "emptied_at"], batch_size=CHUNK)


def _deterministic_pass(
    partnership: Partnership, progress: Progress | None, *, replay: bool = True
) -> int:
    """Replay the on-arrival matcher over every report and concern (after clearing the engine's
    work), or with `replay` False only over those not in the candidate index yet (each one was
    linked on arrival, so the index is otherwise current). Returns how many it linked."""
    from ..engine.arrival import link_concern_on_arrival, link_on_arrival
    from ..engine.index import concern_container

    found = arrivals(partnership)
    stage = "deterministic"
    if replay:
        with transaction.atomic():
            _engine_work_clear(partnership)
    else:
        stage = "catch-up"
        indexed = set(
            IndexedMention.objects.filter(partnership=partnership)
            .values_list("container", flat=True)
            .distinct()
        )
        reports = dict(
            IntelligenceReport.objects.filter(partnership=partnership).values_list(
                "pk", "external_id"
            )
        )
        found = [
            (kind, pk)
            for kind, pk in found
            if (reports.get(pk) if kind == "report" else concern_container(pk)) not in indexed
        ]
    for done, (kind, pk) in enumerate(found, start=1):
        if kind == "report":
            link_on_arrival(report=IntelligenceReport(pk=pk), notify=False, alerts=False)
        else:
            link_concern_on_arrival(concern=Concern(pk=pk), notify=False, alerts=False)
        if progress is not None:
            progress(stage, done, len(found))
    if progress is not None and not found:
        progress(stage, 0, 0)
    return len(found)


@transaction.atomic
def _run_start(
    *, partnership: Partnership, engine: str, run_by: User | None, started_from: str
) -> ResolutionRun:
    from ..engine.resolution import model

    resolves = engine != RunEngine.DETERMINISTIC
    run = ResolutionRun(
        partnership=partnership,
        engine=engine,
        run_by=run_by,
        started_from=started_from[:100],
        splink_version=version("splink") if resolves else "",
        model=model.definition() if resolves else {},
        parameters={"m_u": model.PARAMETERS} if resolves else {},
        thresholds=model.THRESHOLDS if resolves else {},
    )
    run.full_clean()
    run.save()
    audit_record(
        actor=run_by,
        verb=Verb.CREATED,
        target_type=RUN_TARGET,
        target_id=run.pk,
        partnership=partnership,
        detail={"engine": engine, "partnership": partnership.slug},
    )
    return run


def links_run(
    *,
    partnership: Partnership,
    engine: str | None = None,
    replay: bool | None = None,
    progress: Progress | None = None,
    run_by: User | None = None,
    started_from: str = "command line: csehub link run",
) -> ResolutionRun:
    """Re-link everything (see the module); returns the stored run.

    `engine` None runs the deterministic pass only; "duckdb" or "spark" adds the Splink
    resolution of persons (and suggestions between children) on that engine. `replay` (the
    default without an engine) replays the on-arrival matcher over everything first; with an
    engine the default is to link only what is not in the candidate index yet, since everything
    else was linked on arrival.
    """
    kind = engine or RunEngine.DETERMINISTIC
    if kind not in RunEngine.values:
        raise ValueError(f"Unknown engine {engine!r}")
    run = _run_start(partnership=partnership, engine=kind, run_by=run_by, started_from=started_from)
    started = timezone.now()
    # Where every mention is now, so that no entity is renumbered by the run (_references_keep).
    held, newest = _held(partnership), _newest_entity()
    # Which entity the engine had put each person in, so that the model's clusters keep their
    # entities (and analysts' splits from them hold) from one run to the next.
    before = dict(
        MentionEntity.objects.filter(
            entity__partnership=partnership,
            entity__entity_type=EntityType.PERSON,
            assigned_by=AssignedBy.ENGINE,
        ).values_list("mention_id", "entity_id")
    )
    try:
        replaying = replay if replay is not None else not engine
        run.containers = _deterministic_pass(partnership, progress, replay=replaying)
        stage = "deterministic" if replaying else "catch_up"
        run.seconds = {stage: round((timezone.now() - started).total_seconds(), 3)}
        if engine:
            for entity_type in RESOLVED_TYPES:
                _resolve(run, partnership, entity_type, engine, progress, before)
    except Exception:
        with transaction.atomic():
            ResolutionRun.objects.filter(pk=run.pk).update(
                status=RunStatus.FAILED, finished_at=timezone.now()
            )
            audit_record(
                actor=run_by,
                verb=Verb.UPDATED,
                target_type=RUN_TARGET,
                target_id=run.pk,
                partnership=partnership,
                detail={"engine": kind, "status": RunStatus.FAILED},
            )
        with transaction.atomic():
            _references_keep(partnership, held=held, newest=newest, empty_mark=False)
        raise
    with transaction.atomic():
        _references_keep(partnership, held=held, newest=newest)
        run.status = RunStatus.FINISHED
        run.finished_at = timezone.now()
        run.seconds["total"] = round((run.finished_at - started).total_seconds(), 3)
        run.save()
        audit_record(
            actor=run_by,
            verb=Verb.UPDATED,
            target_type=RUN_TARGET,
            target_id=run.pk,
            partnership=partnership,
            detail={
                "engine": kind,
                "status": run.status,
                "containers": run.containers,
                "records": run.records,
                "pairs": run.pairs_scored,
                "clusters": run.clusters,
                "assigned": run.mentions_assigned,
                "suggestions": run.suggestions,
                "kept_by_analysts": run.kept_by_analysts,
                "refused_by_decisions": run.refused_by_decisions,
            },
        )
    return run


# ---------------------------------------------------------------------------------------------
# The Splink stage: the model's output becomes assignments and suggestions
# ---------------------------------------------------------------------------------------------


def _resolve(
    run: ResolutionRun,
    partnership: Partnership,
    entity_type: str,
    engine: str,
    progress: Progress | None,
    before: dict[str, int],
) -> None:
    from ..engine.resolution import model, resolve

    found = resolution_input(partnership, entity_type, before=before)

    def step(stage: str, done: int, total: int) -> None:
        if progress is not None:
            progress(f"{entity_type} {stage}", done, total)

    result = resolve(
        found.records,
        engine=engine,
        apart=found.apart,
        fixed=found.fixed,
        linked=found.linked,  # a child's are grouped for the questions only (never assigned)
        progress=step,
    )
    with transaction.atomic():
        assigned, clusters = (
            (0, 0)
            if entity_type == EntityType.CHILD
            else _assign(partnership, found, result, before)
        )
        suggestions = _suggest(partnership, found, result)
    run.records += result.records
    run.pairs_scored += len(result.pairs)
    run.clusters += clusters
    run.mentions_assigned += assigned
    run.suggestions += suggestions
    run.kept_by_analysts += len(found.fixed)
    run.refused_by_decisions += len(result.refused)
    run.parameters[f"prior_{entity_type}"] = result.prior
    run.parameters.setdefault("m_u", model.PARAMETERS)
    if result.splink_settings and not run.splink_settings:
        run.splink_settings = result.splink_settings
    for stage, seconds in result.seconds.items():
        run.seconds[f"{entity_type}_{stage}"] = seconds
    run.save()


def _assign(
    partnership: Partnership, found: ResolutionInput, result: Resolution, before: dict[str, int]
) -> tuple[int, int]:
    """The model's clusters as the engine's assignments; returns (mentions, clusters).

    A cluster keeps the entity an analyst placed one of its mentions in, or else the entity
    most of its mentions were in before (so entities, and what refers to them, last from run to
    run), or else gets a new one.
    """
    clusters: dict[str, list[str]] = {}
    for mention_id, cluster in result.clusters.items():
        clusters.setdefault(cluster, []).append(mention_id)
    ids = list(found.labels)
    # What the engine assigned before for these mentions is the model's to decide afresh.
    for start in range(0, len(ids), 5000):
        MentionEntity.objects.filter(
            mention_id__in=ids[start : start + 5000], assigned_by=AssignedBy.ENGINE
        ).delete()
    wanted = {int(group) for group in found.fixed.values()} | set(before.values())
    entities = {
        e.pk: e
        for e in Entity.objects.filter(
            pk__in=wanted, partnership=partnership, entity_type=found.entity_type
        )
    }
    claimed: set[int] = set()
    new: list[MentionEntity] = []
    made = 0
    for members in sorted(clusters.values(), key=len, reverse=True):
        if len(members) < 2:
            continue
        groups = {found.fixed[m] for m in members if m in found.fixed}
        earlier = Counter(before[m] for m in members if before.get(m) in entities)
        earlier_pk = next((pk for pk, _ in earlier.most_common() if pk not in claimed), None)
        if groups:
            entity = entities[int(next(iter(groups)))]  # one at most: clusters obey analysts
        elif earlier_pk is not None:
            entity = entities[earlier_pk]
        else:
            label = Counter(found.labels[m] for m in members).most_common(1)[0][0]
            entity = Entity(
                partnership=partnership, entity_type=found.entity_type, label=label[:200]
            )
            entity.save()
        claimed.add(entity.pk)
        made += 1
        new += [
            MentionEntity(
                mention_id=m,
                source="concern" if m.startswith(CONCERN_ID_PREFIX) else "intelligence",
                entity=entity,
                assigned_by=AssignedBy.ENGINE,
            )
            for m in members
            if m not in found.fixed
        ]
    MentionEntity.objects.bulk_create(new, batch_size=2000)
    return len(new), made


def _suggest(partnership: Partnership, found: ResolutionInput, result: Resolution) -> int:
    """Pairs the model found likely but did not join, as suggestions with their reasons."""
    from ..engine.resolution import model

    ids = list(found.labels)
    # The model's suggestions replace the engine's earlier ones. The pairs resolved on arrival
    # stand (the model joined them first, `ResolutionInput.linked`), except those analysts'
    # decisions since keep apart: questions for an analyst again, as when one is rejected.
    for start in range(0, len(ids), 5000):
        LinkSuggestion.objects.filter(
            Q(mention_id__in=ids[start : start + 5000]),
            entity_type=found.entity_type,
            status=SuggestionStatus.SUGGESTED,
        ).delete()
    unlinked = sorted(result.unlinked)
    for start in range(0, len(unlinked), CHUNK):
        chunk = unlinked[start : start + CHUNK]
        LinkSuggestion.objects.filter(
            Q(
                *(
                    Q(mention_id=a, target_mention_id=b) | Q(mention_id=b, target_mention_id=a)
                    for a, b in chunk
                ),
                _connector=Q.OR,
            ),
            partnership=partnership,
            entity_type=found.entity_type,
            status=SuggestionStatus.RESOLVED,
        ).update(status=SuggestionStatus.SUGGESTED)
    decided = {
        frozenset(pair)
        for pair in LinkSuggestion.objects.filter(
            partnership=partnership, entity_type=found.entity_type
        ).values_list("mention_id", "target_mention_id")
    }
    clusters = result.clusters
    entity_of = dict(
        MentionEntity.objects.filter(
            entity__partnership=partnership, entity__entity_type=found.entity_type
        ).values_list("mention_id", "entity_id")
    )
    per_group: Counter[str] = Counter()
    chosen = []
    for pair in result.questions:  # one for each two groups, strongest first
        if frozenset((pair.left, pair.right)) in decided:
            continue  # an analyst decided this pair (or it is already suggested): it stands
        groups = {clusters[pair.left], clusters[pair.right]}
        if len(groups) == 1 and found.entity_type != EntityType.CHILD:
            continue  # joined: nothing to suggest
        if any(per_group[group] >= model.QUESTIONS_PER_GROUP for group in groups):
            continue  # asked once this group's stronger questions are answered
        per_group.update(groups)
        chosen.append(pair)
    suggestions = [
        LinkSuggestion(
            partnership=partnership,
            entity_type=found.entity_type,
            mention_id=pair.right,
            target_mention_id=pair.left,
            target_entity_id=entity_of.get(pair.left),
            weight=round(min(pair.probability, 0.99), 3),
        )
        for pair in chosen
    ]
    LinkSuggestion.objects.bulk_create(suggestions, batch_size=1000)
    reasons = [
        LinkReason(
            suggestion=suggestion,
            field=field_name,
            how=how,
            detail=f"{label} (Splink, match weight {bits:+.1f})",
            contribution=bits,
        )
        for suggestion, pair in zip(suggestions, chosen, strict=True)
        for field_name, how, label, bits in pair.reasons()
    ]
    LinkReason.objects.bulk_create(reasons, batch_size=2000)
    return len(suggestions)


# ---------------------------------------------------------------------------------------------
# The linking output
# ---------------------------------------------------------------------------------------------


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
    for mention_id, entity_type in every_mention(partnership):
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
            partnership=partnership,
            detail={"mentions": count},
        )
    return count
