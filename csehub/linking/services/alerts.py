"""Alerts for the CSE team: a person, vehicle, phone, account or place reaches a second child.

(A new link to a person on the MACE list is checked by the mace app's services.)
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction

from csehub.access.permissions import Permission, has_permission
from csehub.accounts.models import User
from csehub.audit.models import Verb
from csehub.audit.services import audit_record

from ..alert_email import alert_email_on_commit
from ..models import (
    Alert,
    AlertKind,
    AlertMention,
    Entity,
    EntityType,
    IndexedMention,
    LinkSuggestion,
    MentionEntity,
    SuggestionStatus,
)

# Two child mentions joined by a suggestion at least this strong count as one child for alerts.
SAME_CHILD_AT = 0.75


# ---------------------------------------------------------------------------------------------
# Alerts
# ---------------------------------------------------------------------------------------------


class _Groups:
    """Union-find over child mention ids."""

    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {item: item for item in items}

    def find(self, item: str) -> str:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a: str, b: str) -> None:
        if a in self.parent and b in self.parent:
            self.parent[self.find(a)] = self.find(b)

    def count(self) -> int:
        return len({self.find(item) for item in self.parent})


def children_linked(entity: Entity) -> tuple[int, list[str], list[str]]:
    """How many different children the entity's reports and concerns are about.

    Two child mentions are one child when they share an entity, the same child record, or a
    confirmed (or strong, unrejected) suggestion. Returns (count, child mention ids, the
    entity's mention ids).
    """
    own = list(entity.assignments.values_list("mention_id", flat=True))
    containers = set(
        IndexedMention.objects.filter(mention_id__in=own).values_list("container", flat=True)
    )
    children = list(
        IndexedMention.objects.filter(
            container__in=containers, entity_type=EntityType.CHILD
        ).values_list("mention_id", "child_record_id")
    )
    ids = [mention_id for mention_id, _ in children]
    groups = _Groups(ids)
    by_record: dict[int, str] = {}
    for mention_id, record in children:
        if record is not None:
            if record in by_record:
                groups.join(mention_id, by_record[record])
            by_record.setdefault(record, mention_id)
    by_entity: dict[int, str] = {}
    for mention_id, entity_id in MentionEntity.objects.filter(mention_id__in=ids).values_list(
        "mention_id", "entity_id"
    ):
        if entity_id in by_entity:
            groups.join(mention_id, by_entity[entity_id])
        by_entity.setdefault(entity_id, mention_id)
    pairs = LinkSuggestion.objects.filter(mention_id__in=ids, target_mention_id__in=ids).exclude(
        status=SuggestionStatus.REJECTED
    )
    for pair in pairs:
        if pair.status == SuggestionStatus.CONFIRMED or pair.weight >= SAME_CHILD_AT:
            groups.join(pair.mention_id, pair.target_mention_id)
    return groups.count(), ids, own


@transaction.atomic
def alerts_check(*, entity: Entity, notify: bool = True) -> Alert | None:
    """Alert the CSE team when a person, vehicle, phone, account or place reaches a second child
    (or a further one since the last alert about it). The email goes once this commits."""
    if entity.entity_type == EntityType.CHILD:
        return None
    # Two arrivals linking the same entity at once: the second waits here, then finds the
    # first one's alert and raises no second.
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    count, child_ids, own = children_linked(entity)
    if count < 2:
        return None
    already = (
        Alert.objects.filter(entity=entity, kind=AlertKind.LINKS_SECOND_CHILD)
        .order_by("-children_linked")
        .values_list("children_linked", flat=True)
        .first()
    )
    if already is not None and already >= count:
        return None
    alert = Alert(
        partnership_id=entity.partnership_id,
        kind=AlertKind.LINKS_SECOND_CHILD,
        entity=entity,
        children_linked=count,
    )
    # The entity was just locked and the partnership is its own: no need to look them up again.
    alert.full_clean(exclude=["entity", "partnership"])
    alert.save()
    AlertMention.objects.bulk_create(
        [AlertMention(alert=alert, mention_id=m) for m in dict.fromkeys([*own, *child_ids])]
    )
    audit_record(
        actor=None,
        verb=Verb.CREATED,
        target_type="link_alert",
        target_id=alert.pk,
        partnership=alert.partnership_id,
        detail={"entity": entity.pk, "children": count, "kind": alert.kind},
    )
    if notify:
        alert_email_on_commit(alert)
    return alert


@transaction.atomic
def alert_mark_seen(*, actor: User, alert: Alert) -> Alert:
    if not has_permission(actor, Permission.VIEW_LINKS):
        raise PermissionDenied("Only police analysts see alerts")
    alert.seen_by.add(actor)
    audit_record(actor=actor, verb=Verb.UPDATED, target_type="link_alert", target_id=alert.pk)
    return alert
