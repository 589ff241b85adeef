"""Assignments of mentions to entities, and analysts' decisions and their undoing.

Analysts' decisions are kept as a history (AnalystDecision with the assignments each one moved),
so any decision can be undone by a new one, and the engine never moves a mention an analyst
placed nor suggests a pair an analyst rejected.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from csehub.access.permissions import Permission, has_permission
from csehub.accounts.models import User
from csehub.audit.models import Verb
from csehub.audit.services import audit_record

from ..models import (
    AnalystDecision,
    AssignedBy,
    DecisionChange,
    DecisionKind,
    Entity,
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
    entity.full_clean()
    entity.save()
    return entity


def _source_of(mention_id: str) -> str:
    row = IndexedMention.objects.filter(mention_id=mention_id).values("source").first()
    if row is not None:
        return str(row["source"])
    return "concern" if mention_id.startswith("concern-") else "intelligence"


def _move(
    *,
    mention_id: str,
    to: Entity | None,
    assigned_by: str,
    decision: AnalystDecision | None = None,
    restore_assigned_by: str = "",
) -> None:
    """Put a mention in an entity (or none), recording the move on the decision if any."""
    current = MentionEntity.objects.filter(mention_id=mention_id).first()
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
        return
    if current is None:
        current = MentionEntity(mention_id=mention_id, source=source)
    current.entity = to
    current.assigned_by = restore_assigned_by or assigned_by
    current.assigned_at = timezone.now()
    current.full_clean(validate_unique=False)
    current.save()


def mentions_assign_by_engine(*, entity: Entity, mention_ids: Iterable[str]) -> None:
    """The engine's own assignments (exact identifiers only); never moves an analyst's."""
    for mention_id in mention_ids:
        current = MentionEntity.objects.filter(mention_id=mention_id).first()
        if current is not None and current.assigned_by == AssignedBy.ANALYST:
            continue
        _move(mention_id=mention_id, to=entity, assigned_by=AssignedBy.ENGINE)


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
        _move(mention_id=mention_id, to=keep, assigned_by=AssignedBy.ANALYST, decision=decision)


def _set_status(suggestion: LinkSuggestion, status: str, actor: User | None) -> None:
    suggestion.status = status
    suggestion.decided_by = actor
    suggestion.decided_at = timezone.now() if actor else None
    suggestion.full_clean()
    suggestion.save()


@transaction.atomic
def suggestion_confirm(
    *, actor: User, suggestion: LinkSuggestion, notify: bool = True
) -> AnalystDecision:
    """The two mentions are the same thing: one entity holds both from now on."""
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
    _set_status(suggestion, SuggestionStatus.REJECTED, actor)
    decision.suggestion_status_after = SuggestionStatus.REJECTED
    decision.save(update_fields=["suggestion_status_after"])
    _audit(actor, decision)
    return decision


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
    _audit(actor, decision)
    return decision


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
    if decision.suggestion is not None and decision.suggestion_status_before:
        suggestion = decision.suggestion
        _set_status(
            suggestion,
            decision.suggestion_status_before,
            None if decision.suggestion_status_before == SuggestionStatus.SUGGESTED else actor,
        )
        undo.suggestion_status_after = suggestion.status
        undo.save(update_fields=["suggestion_status_after"])
    _audit(actor, undo)
    return undo
