"""Assignments of mentions to entities, and analysts' decisions and their undoing.

Analysts' decisions are kept as a history (AnalystDecision with the assignments each one moved),
so any decision can be undone by a new one, and the engine never moves a mention an analyst
placed nor suggests a pair an analyst rejected.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet, TextChoices
from django.utils import timezone

from csehub.access.permissions import Permission, has_permission
from csehub.accounts.models import User
from csehub.audit.models import Verb
from csehub.audit.services import audit_record

from ..engine.index import CONCERN_ID_PREFIX
from ..models import (
    ENGINE_STATUSES,
    AnalystDecision,
    AssignedBy,
    DecisionChange,
    DecisionKind,
    Entity,
    EntityType,
    IndexedMention,
    LinkSuggestion,
    MentionEntity,
    SuggestionStatus,
)
from .alerts import alerts_check

TARGET = "link_decision"


# ---------------------------------------------------------------------------------------------
# Assignments (used by the engine and by decisions)
# ---------------------------------------------------------------------------------------------


def entity_create(*, partnership_id: int, entity_type: str, label: str) -> Entity:
    entity = Entity(partnership_id=partnership_id, entity_type=entity_type, label=label[:200])
    # The partnership key and the type's constraint are the database's to keep: checking them
    # here would cost two queries on every arrival that makes an entity.
    entity.full_clean(exclude=["partnership"], validate_constraints=False)
    entity.save()
    return entity


def _source_of(mention_id: str) -> str:
    row = IndexedMention.objects.filter(mention_id=mention_id).values("source").first()
    if row is not None:
        return str(row["source"])
    return "concern" if mention_id.startswith(CONCERN_ID_PREFIX) else "intelligence"


def _settle(*, left: Iterable[int | None], to: Entity | None) -> None:
    """Keep references true once mentions have moved into `to` (or out of every entity).

    `to` holds mentions again, so it is live (undoing a merge brings the old reference back);
    each entity in `left` that now holds none was emptied into `to`, which its page then names.
    """
    _settle_each(left={pk: to for pk in left if pk is not None}, to=[to] if to else [])


def _move(
    *,
    mention_id: str,
    to: Entity | None,
    assigned_by: str,
    decision: AnalystDecision | None = None,
    restore_assigned_by: str = "",
    settle: bool = True,
) -> int | None:
    """Put a mention in an entity (or none), recording the move on the decision if any.

    Returns the entity it was in before; `settle` False leaves `_settle` to the caller
    (once for many moves)."""
    current = MentionEntity.objects.filter(mention_id=mention_id).first()
    was = current.entity_id if current else None
    source = current.source if current else _source_of(mention_id)
    if decision is not None:
        DecisionChange.objects.create(
            decision=decision,
            mention_id=mention_id,
            source=source,
            from_entity=current.entity if current else None,
            from_assigned_by=current.assigned_by if current else "",
            to_entity=to,
        )
    if to is None:
        if current is not None:
            current.delete()
    else:
        if current is None:
            current = MentionEntity(mention_id=mention_id, source=source)
        current.entity = to
        current.assigned_by = restore_assigned_by or assigned_by
        current.assigned_at = timezone.now()
        current.full_clean(validate_unique=False)
        current.save()
    if settle:
        _settle(left=[was], to=to)
    return was


def mentions_assign_by_engine(
    *, entity: Entity, mention_ids: Iterable[str], sources: Mapping[str, str] | None = None
) -> None:
    """The engine's own assignments (pairs it resolved); never moves an analyst's."""
    mentions_assign_by_engine_each(assignments=dict.fromkeys(mention_ids, entity), sources=sources)


def mentions_assign_by_engine_each(
    *, assignments: Mapping[str, Entity], sources: Mapping[str, str] | None = None
) -> None:
    """Put each mention in its entity (the engine's assignments); never moves an analyst's.

    In a few statements whatever the number of mentions and entities: this runs on every
    arrival. `sources` (mention id to "intelligence" or "concern") spares looking up those it
    names. An entity left holding nothing names the one its mentions went to.
    """
    ids = list(assignments)
    current = {row.mention_id: row for row in MentionEntity.objects.filter(mention_id__in=ids)}
    movable = [
        m
        for m in ids
        if m not in current
        or (
            current[m].assigned_by != AssignedBy.ANALYST
            and current[m].entity_id != assignments[m].pk
        )
    ]
    if not movable:
        return
    now = timezone.now()
    entities = {assignments[m].pk: assignments[m] for m in movable}
    moved: dict[int, list[int]] = {}
    left: dict[int, Entity] = {}  # entity a mention left -> the entity it went to
    for m in movable:
        if m in current:
            moved.setdefault(assignments[m].pk, []).append(current[m].pk)
            left[current[m].entity_id] = assignments[m]
    for entity_id, rows in moved.items():
        MentionEntity.objects.filter(pk__in=rows).update(
            entity=entity_id, assigned_by=AssignedBy.ENGINE, assigned_at=now
        )
    new = [m for m in movable if m not in current]
    sources = dict(sources or {})
    if unknown := [m for m in new if m not in sources]:
        sources.update(
            IndexedMention.objects.filter(mention_id__in=unknown).values_list(
                "mention_id", "source"
            )
        )
    MentionEntity.objects.bulk_create(
        [
            MentionEntity(
                mention_id=m,
                source=sources.get(m)
                or ("concern" if m.startswith(CONCERN_ID_PREFIX) else "intelligence"),
                entity=assignments[m],
                assigned_by=AssignedBy.ENGINE,
                assigned_at=now,
            )
            for m in new
        ]
    )
    _settle_each(left=left, to=entities.values())
    partial = {pk for pk, e in entities.items() if e.entity_type == EntityType.VEHICLE}
    if partial := {pk for pk in partial if _plate_unknown(entities[pk].label)}:
        _vehicle_labels_complete(
            [entities[pk] for pk in sorted(partial)],
            {m: assignments[m].pk for m in movable if assignments[m].pk in partial},
        )


def _settle_each(*, left: Mapping[int, Entity | None], to: Iterable[Entity]) -> None:
    """_settle for several moves at once: `left` maps each entity mentions left to the entity
    they went to (None: out of every entity); every entity in `to` holds mentions again."""
    to = list(to)
    Entity.objects.filter(pk__in=[e.pk for e in to], emptied_at__isnull=False).update(
        successor=None, emptied_at=None
    )
    for entity in to:
        entity.successor, entity.emptied_at = None, None
    gone = {pk: into for pk, into in left.items() if pk not in {e.pk for e in to}}
    if not gone:
        return
    held = set(MentionEntity.objects.filter(entity_id__in=gone).values_list("entity_id", flat=True))
    emptied: dict[int | None, list[int]] = {}
    for pk in set(gone) - held:
        into = gone[pk]
        emptied.setdefault(into.pk if into is not None else None, []).append(pk)
    for successor, pks in emptied.items():
        Entity.objects.filter(pk__in=pks).update(successor=successor, emptied_at=timezone.now())


def _plate_unknown(label: str) -> bool:
    """Whether a vehicle's label is a partial plate (or none), as the index writes them."""
    return "?" in label or "*" in label or label.startswith("(")


def _vehicle_labels_complete(entities: list[Entity], placed: Mapping[str, int]) -> None:
    """A vehicle known so far by a partial plate is called by its full plate once a mention
    with one joins it, so alerts and pages name the car as the police would look it up."""
    full: dict[int, str] = {}
    for mention_id, label in (
        IndexedMention.objects.filter(mention_id__in=list(placed), is_partial=False)
        .exclude(plate="")
        .order_by("pk")
        .values_list("mention_id", "label")
    ):
        full.setdefault(placed[mention_id], label[:200])
    for entity in entities:
        if entity.pk in full:
            Entity.objects.filter(pk=entity.pk).update(label=full[entity.pk])
            entity.label = full[entity.pk]


def mentions_release_by_engine(*, mention_ids: Iterable[str]) -> None:
    """Take mentions out of the entities the engine put them in (a report or concern indexed
    again); an analyst's placements stay. An entity left holding nothing names no successor
    (the mentions may well be joined back to it at once, which makes it live again)."""
    released = MentionEntity.objects.filter(
        mention_id__in=list(mention_ids), assigned_by=AssignedBy.ENGINE
    )
    left = set(released.values_list("entity_id", flat=True))
    if left:
        released.delete()
        _settle(left=left, to=None)


# ---------------------------------------------------------------------------------------------
# Analysts' decisions
# ---------------------------------------------------------------------------------------------


def _check(actor: User) -> None:
    if not has_permission(actor, Permission.DECIDE_LINKS):
        raise PermissionDenied("Only police analysts decide links")


def _decision(
    *,
    actor: User,
    partnership_id: int,
    kind: str,
    suggestion: LinkSuggestion | None = None,
    entity: Entity | None = None,
    undoes: AnalystDecision | None = None,
) -> AnalystDecision:
    decision = AnalystDecision(
        partnership_id=partnership_id,
        kind=kind,
        actor=actor,
        suggestion=suggestion,
        suggestion_status_before=suggestion.status if suggestion else "",
        entity=entity,
        undoes=undoes,
    )
    decision.full_clean()
    decision.save()
    return decision


def _audit(actor: User, decision: AnalystDecision) -> None:
    audit_record(
        actor=actor,
        verb=Verb.CREATED,
        target_type=TARGET,
        target_id=decision.pk,
        detail={
            "kind": decision.kind,
            "suggestion": decision.suggestion_id,
            "entity": decision.entity_id,
            "undoes": decision.undoes_id,
            "mentions_moved": decision.changes.count(),
        },
    )


def _entity_of(mention_id: str) -> Entity | None:
    found = MentionEntity.objects.filter(mention_id=mention_id).select_related("entity").first()
    return found.entity if found else None


def _label_of(mention_id: str) -> tuple[str, str]:
    row = IndexedMention.objects.filter(mention_id=mention_id).first()
    return (row.entity_type, row.label) if row else ("person", mention_id)


def _merge_into(keep: Entity, other: Entity, decision: AnalystDecision) -> None:
    for mention_id in list(other.assignments.values_list("mention_id", flat=True)):
        _move(
            mention_id=mention_id,
            to=keep,
            assigned_by=AssignedBy.ANALYST,
            decision=decision,
            settle=False,
        )
    # `other` is now empty: its reference says it was merged into `keep`.
    _settle(left=[other.pk], to=keep)


def _set_status(suggestion: LinkSuggestion, status: str, actor: User | None) -> None:
    suggestion.status = status
    suggestion.decided_by = actor
    suggestion.decided_at = timezone.now() if actor else None
    suggestion.full_clean()
    suggestion.save()


@transaction.atomic
def suggestion_confirm(
    *, actor: User, suggestion: LinkSuggestion, notify: bool = True, alerts: bool = True
) -> AnalystDecision:
    """The two mentions are the same thing: one entity holds both from now on.

    `alerts` False leaves the alert check to the caller (a group decision checks once, when
    the whole group is joined, rather than once per pair)."""
    _check(actor)
    suggestion = LinkSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status == SuggestionStatus.CONFIRMED:
        raise ValidationError("This link has already been confirmed")
    decision = _decision(
        actor=actor,
        partnership_id=suggestion.partnership_id,
        kind=DecisionKind.CONFIRM,
        suggestion=suggestion,
    )
    new_entity = _entity_of(suggestion.mention_id)
    known_entity = _entity_of(suggestion.target_mention_id)
    if known_entity is None and new_entity is None:
        entity_type, label = _label_of(suggestion.target_mention_id)
        keep = entity_create(
            partnership_id=suggestion.partnership_id, entity_type=entity_type, label=label
        )
    else:
        keep = known_entity or new_entity  # type: ignore[assignment]
    for mention_id, entity in (
        (suggestion.target_mention_id, known_entity),
        (suggestion.mention_id, new_entity),
    ):
        if entity is None:
            _move(mention_id=mention_id, to=keep, assigned_by=AssignedBy.ANALYST, decision=decision)
        elif entity.pk != keep.pk:
            _merge_into(keep, entity, decision)
        else:
            # Already there (perhaps by the engine): from now on it is the analyst's placing.
            _move(mention_id=mention_id, to=keep, assigned_by=AssignedBy.ANALYST, decision=decision)
    _set_status(suggestion, SuggestionStatus.CONFIRMED, actor)
    decision.entity = keep
    decision.suggestion_status_after = SuggestionStatus.CONFIRMED
    decision.save(update_fields=["entity", "suggestion_status_after"])
    _audit(actor, decision)
    if alerts:
        alerts_check(entity=keep, notify=notify)
    return decision


@transaction.atomic
def suggestion_reject(*, actor: User, suggestion: LinkSuggestion) -> AnalystDecision:
    """Not the same thing: the pair is never suggested again, and is taken apart if joined."""
    _check(actor)
    suggestion = LinkSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status == SuggestionStatus.REJECTED:
        raise ValidationError("This link has already been rejected")
    decision = _decision(
        actor=actor,
        partnership_id=suggestion.partnership_id,
        kind=DecisionKind.REJECT,
        suggestion=suggestion,
    )
    new_entity = _entity_of(suggestion.mention_id)
    known_entity = _entity_of(suggestion.target_mention_id)
    if new_entity is not None and known_entity is not None and new_entity.pk == known_entity.pk:
        entity_type, label = _label_of(suggestion.mention_id)
        alone = entity_create(
            partnership_id=suggestion.partnership_id, entity_type=entity_type, label=label
        )
        _move(
            mention_id=suggestion.mention_id,
            to=alone,
            assigned_by=AssignedBy.ANALYST,
            decision=decision,
        )
        # The engine's other resolutions of that mention no longer hold it in an entity with
        # theirs: they are questions for an analyst again.
        LinkSuggestion.objects.filter(
            Q(mention_id=suggestion.mention_id) | Q(target_mention_id=suggestion.mention_id),
            status=SuggestionStatus.RESOLVED,
        ).exclude(pk=suggestion.pk).update(status=SuggestionStatus.SUGGESTED)
    _set_status(suggestion, SuggestionStatus.REJECTED, actor)
    decision.suggestion_status_after = SuggestionStatus.REJECTED
    decision.save(update_fields=["suggestion_status_after"])
    _audit(actor, decision)
    return decision


class GroupDecisionKind(TextChoices):
    CONFIRM = "confirm", "These are all the same"
    REJECT = "reject", "None of these are the same"


@dataclass(frozen=True)
class GroupDecision:
    """What deciding a group did: one decision per pair decided, and how many pairs were left
    because someone had decided them since the page was shown."""

    decisions: list[AnalystDecision]
    skipped: int
    entity: Entity | None  # where the group's mentions are now, when they were all confirmed


@transaction.atomic
def suggestions_decide_group(
    *, actor: User, suggestions: Iterable[LinkSuggestion], decision: str
) -> GroupDecision:
    """Decide a group of possible pairs (the analysts' queue) in one step: all the same, or
    none of them.

    The pairs are read again and locked, so a pair someone else decided since the page was shown
    keeps their decision and is counted as skipped. Each pair is confirmed or rejected as on its
    own, with its own decision and audit event, so any one can be undone as before. Alerts are
    checked once the group is joined; their mail goes after commit.
    """
    _check(actor)
    if decision not in GroupDecisionKind.values:
        raise ValidationError("Choose whether these are all the same or none of them are")
    wanted = {suggestion.pk for suggestion in suggestions}
    if not wanted:
        raise ValidationError("Choose at least one link to decide")
    locked = list(
        LinkSuggestion.objects.select_for_update()
        .filter(pk__in=wanted, partnership_id=actor.partnership_id)
        .order_by("pk")
    )
    still_open = [pair for pair in locked if pair.status == SuggestionStatus.SUGGESTED]
    made: list[AnalystDecision] = []
    entity = None
    if decision == GroupDecisionKind.CONFIRM:
        for pair in still_open:
            made.append(suggestion_confirm(actor=actor, suggestion=pair, alerts=False))
        if made:
            # Every pair joined its mention to the known mention's entity: that one holds them.
            entity = _entity_of(still_open[-1].target_mention_id)
            if entity is not None:
                alerts_check(entity=entity)
    else:
        for pair in still_open:
            made.append(suggestion_reject(actor=actor, suggestion=pair))
    return GroupDecision(decisions=made, skipped=len(wanted) - len(still_open), entity=entity)


@transaction.atomic
def entity_merge(
    *, actor: User, entity: Entity, other: Entity, notify: bool = True
) -> AnalystDecision:
    """Two entities are one: every mention of `other` moves to `entity`."""
    _check(actor)
    if entity.pk == other.pk:
        raise ValidationError({"other": "Choose a different entity to merge with this one"})
    if entity.partnership_id != other.partnership_id or entity.entity_type != other.entity_type:
        raise ValidationError({"other": "Only entities of the same kind can be merged"})
    if not other.assignments.exists():
        raise ValidationError({"other": f"{other.reference} no longer holds any mentions"})
    decision = _decision(
        actor=actor, partnership_id=entity.partnership_id, kind=DecisionKind.MERGE, entity=entity
    )
    _merge_into(entity, other, decision)
    _audit(actor, decision)
    alerts_check(entity=entity, notify=notify)
    return decision


@transaction.atomic
def mention_split(*, actor: User, entity: Entity, mention_id: str) -> AnalystDecision:
    """A mention is not this entity: it gets an entity of its own, placed by the analyst."""
    _check(actor)
    if not entity.assignments.filter(mention_id=mention_id).exists():
        raise ValidationError("That mention is not part of this entity")
    decision = _decision(
        actor=actor, partnership_id=entity.partnership_id, kind=DecisionKind.SPLIT, entity=entity
    )
    _, label = _label_of(mention_id)
    alone = entity_create(
        partnership_id=entity.partnership_id, entity_type=entity.entity_type, label=label
    )
    _move(mention_id=mention_id, to=alone, assigned_by=AssignedBy.ANALYST, decision=decision)
    # The analyst keeps it apart from what is left: the engine's pairs between them are
    # rejected, so neither a new arrival nor `link run` joins them again (whichever came first).
    _pairs_with(mention_id, entity).filter(status__in=ENGINE_STATUSES).update(
        status=SuggestionStatus.REJECTED, decided_by=actor, decided_at=decision.at
    )
    _audit(actor, decision)
    return decision


def _pairs_with(mention_id: str, entity: Entity) -> QuerySet[LinkSuggestion]:
    """The stored pairs between a mention and the mentions an entity holds now."""
    held = MentionEntity.objects.filter(entity=entity).values("mention_id")
    return LinkSuggestion.objects.filter(
        Q(mention_id=mention_id, target_mention_id__in=held)
        | Q(target_mention_id=mention_id, mention_id__in=held)
    )


def _split_pairs_restore(split: AnalystDecision) -> None:
    """Undoing a split: the pairs it rejected are the engine's again, resolved where the two
    are back in one entity and possible where they are not."""
    for change in split.changes.all():
        rejected = LinkSuggestion.objects.filter(
            Q(mention_id=change.mention_id) | Q(target_mention_id=change.mention_id),
            status=SuggestionStatus.REJECTED,
            decided_by=split.actor,
            decided_at=split.at,
        )
        for pair in rejected:
            one = _entity_of(pair.mention_id)
            together = one is not None and one == _entity_of(pair.target_mention_id)
            status = SuggestionStatus.RESOLVED if together else SuggestionStatus.SUGGESTED
            _set_status(pair, status, None)


@transaction.atomic
def decision_undo(*, actor: User, decision: AnalystDecision) -> AnalystDecision:
    """Put back what a decision changed, as a new decision of its own."""
    _check(actor)
    decision = AnalystDecision.objects.select_for_update().get(pk=decision.pk)
    if AnalystDecision.objects.filter(undoes=decision).exists():
        raise ValidationError("This decision has already been undone")
    undo = _decision(
        actor=actor,
        partnership_id=decision.partnership_id,
        kind=DecisionKind.UNDO,
        suggestion=decision.suggestion,
        entity=decision.entity,
        undoes=decision,
    )
    for change in reversed(list(decision.changes.all())):
        current = MentionEntity.objects.filter(mention_id=change.mention_id).first()
        DecisionChange.objects.create(
            decision=undo,
            mention_id=change.mention_id,
            source=change.source,
            from_entity=current.entity if current else None,
            from_assigned_by=current.assigned_by if current else "",
            to_entity=change.from_entity,
        )
        _move(
            mention_id=change.mention_id,
            to=change.from_entity,
            assigned_by=AssignedBy.ANALYST,
            restore_assigned_by=change.from_assigned_by,
        )
    if decision.kind == DecisionKind.SPLIT:
        _split_pairs_restore(decision)
    if decision.suggestion is not None and decision.suggestion_status_before:
        suggestion = decision.suggestion
        _set_status(
            suggestion,
            decision.suggestion_status_before,
            None if decision.suggestion_status_before in ENGINE_STATUSES else actor,
        )
        undo.suggestion_status_after = suggestion.status
        undo.save(update_fields=["suggestion_status_after"])
    _audit(actor, undo)
    return undo
