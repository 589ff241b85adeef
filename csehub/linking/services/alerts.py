"""Alerts for the CSE team: a person, vehicle, phone, account or place reaches a second child.

(A new link to a person on the MACE list is checked by the mace app's services.)
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, Q

from csehub.access.permissions import Permission, has_permission
from csehub.accounts.models import User
from csehub.audit.models import Verb
from csehub.audit.services import AuditEntry, audit_record, audit_record_each

from ..alert_email import alerts_email_on_commit
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
# An entity with more mentions than this that has been alerted on already (a busy place, a
# shared phone) is checked on arrival by what the arrival adds to it, not by reading all its
# reports again: that read grows with the entity and would slow every concern that names it.
HUB_MENTIONS = 200


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
    entity's mentions in a report or concern that names a child): what an alert shows.
    """
    return children_linked_each([entity.pk])[entity.pk]


def children_linked_each(entity_ids: Iterable[int]) -> dict[int, tuple[int, list[str], list[str]]]:
    """children_linked for several entities at once: five queries, however many there are."""
    pks = list(dict.fromkeys(entity_ids))
    own: dict[int, list[str]] = {pk: [] for pk in pks}
    for entity_id, mention_id in MentionEntity.objects.filter(entity_id__in=pks).values_list(
        "entity_id", "mention_id"
    ):
        own[entity_id].append(mention_id)
    container_of = dict(
        IndexedMention.objects.filter(
            mention_id__in=[m for ids in own.values() for m in ids]
        ).values_list("mention_id", "container")
    )
    in_container: dict[str, list[tuple[str, int | None]]] = {}
    for container, mention_id, record in IndexedMention.objects.filter(
        container__in=set(container_of.values()), entity_type=EntityType.CHILD
    ).values_list("container", "mention_id", "child_record_id"):
        in_container.setdefault(container, []).append((mention_id, record))
    every_child = [m for rows in in_container.values() for m, _ in rows]
    entity_of = dict(
        MentionEntity.objects.filter(mention_id__in=every_child).values_list(
            "mention_id", "entity_id"
        )
    )
    same = [
        (one, other)
        for one, other, status, weight in LinkSuggestion.objects.filter(
            mention_id__in=every_child, target_mention_id__in=every_child
        )
        .exclude(status=SuggestionStatus.REJECTED)
        .values_list("mention_id", "target_mention_id", "status", "weight")
        if status == SuggestionStatus.CONFIRMED or weight >= SAME_CHILD_AT
    ]
    found = {}
    for pk in pks:
        containers = {container_of[m] for m in own[pk] if m in container_of}
        children = [row for c in sorted(containers) for row in in_container.get(c, [])]
        ids = list(dict.fromkeys(m for m, _ in children))
        groups = _Groups(ids)
        first_with: dict[object, str] = {}
        for child_mention, child_record in children:
            # One child record, or one child entity: one child.
            for key in (("record", child_record), ("entity", entity_of.get(child_mention))):
                if key[1] is not None:
                    groups.join(child_mention, first_with.setdefault(key, child_mention))
        for one, other in same:
            groups.join(one, other)  # (a pair outside this entity's children is ignored)
        beside = [m for m in own[pk] if container_of.get(m) in in_container]
        found[pk] = (groups.count(), ids, beside)
    return found


def _strong_pairs(mention_ids: Collection[str]) -> list[tuple[str, str]]:
    """The suggestions from or to these mentions that make two child mentions one child."""
    return [
        (one, other)
        for one, other, status, weight in LinkSuggestion.objects.filter(
            Q(mention_id__in=mention_ids) | Q(target_mention_id__in=mention_ids),
            entity_type=EntityType.CHILD,
        )
        .exclude(status=SuggestionStatus.REJECTED)
        .values_list("mention_id", "target_mention_id", "status", "weight")
        if status == SuggestionStatus.CONFIRMED or weight >= SAME_CHILD_AT
    ]


def children_new_each(
    reached: Mapping[int, Collection[str]],
) -> dict[int, tuple[int, list[str], list[str]]]:
    """What the containers each entity has just reached add to the children its other
    containers already name: (how many more children, the child mentions in those containers,
    the entity's mentions beside them). A child is new to the entity when it shares no
    entity, child record or strong suggestion with a child in one of the entity's other
    containers, directly or through another new one.

    Its reads follow the new children (their entities, records and suggestions, a handful of
    rows each), never the entity's own mentions, so it costs the same for a place named in ten
    reports as for one named in ten thousand."""
    fresh = {container for containers in reached.values() for container in containers}
    kids: dict[str, tuple[str, int | None]] = {
        mention_id: (container, record)
        for container, mention_id, record in IndexedMention.objects.filter(
            container__in=fresh, entity_type=EntityType.CHILD
        ).values_list("container", "mention_id", "child_record_id")
    }
    entity_of = dict(
        MentionEntity.objects.filter(mention_id__in=list(kids)).values_list(
            "mention_id", "entity_id"
        )
    )
    # Each new child's links: (its mention, the other child mention it is one child with).
    links: list[tuple[str, str]] = []
    for one, other in _strong_pairs(list(kids)):
        links += [(one, other), (other, one)]
    with_entity: dict[int, list[str]] = {}
    for entity_id, mention_id in MentionEntity.objects.filter(
        entity_id__in=set(entity_of.values())
    ).values_list("entity_id", "mention_id"):
        with_entity.setdefault(entity_id, []).append(mention_id)
    links += [(kid, other) for kid, e in entity_of.items() for other in with_entity.get(e, ())]
    records = {record for _, record in kids.values() if record is not None}
    container_of = {kid: container for kid, (container, _) in kids.items()}
    with_record: dict[int, list[str]] = {}
    for record, mention_id, container in IndexedMention.objects.filter(
        child_record_id__in=records, entity_type=EntityType.CHILD
    ).values_list("child_record_id", "mention_id", "container"):
        with_record.setdefault(record, []).append(mention_id)
        container_of[mention_id] = container
    links += [
        (kid, other)
        for kid, (_, record) in kids.items()
        if record is not None
        for other in with_record.get(record, ())
    ]
    unplaced = {m for pair in links for m in pair} - container_of.keys()
    container_of.update(
        IndexedMention.objects.filter(mention_id__in=list(unplaced)).values_list(
            "mention_id", "container"
        )
    )
    # Where each entity is, among the containers those links lead to and the new ones.
    around = set(container_of.values())
    within = dict(
        IndexedMention.objects.filter(container__in=around).values_list("mention_id", "container")
    )
    with_kids = {container for container, _ in kids.values()}
    present: dict[int, set[str]] = {pk: set() for pk in reached}
    beside: dict[int, list[str]] = {pk: [] for pk in reached}
    for entity_id, mention_id in MentionEntity.objects.filter(
        entity_id__in=list(reached), mention_id__in=list(within)
    ).values_list("entity_id", "mention_id"):
        container = within[mention_id]
        present[entity_id].add(container)
        if container in reached[entity_id] and container in with_kids:
            beside[entity_id].append(mention_id)
    found = {}
    for pk, containers in reached.items():
        mine = [kid for kid, (container, _) in kids.items() if container in containers]
        groups = _Groups(mine)
        old = present[pk] - set(containers)
        known = set()
        for kid, other in links:
            if kid not in groups.parent:
                continue
            if other in groups.parent:
                groups.join(kid, other)
            elif container_of.get(other) in old:
                known.add(kid)
        known_roots = {groups.find(kid) for kid in known}
        count = len({groups.find(kid) for kid in mine} - known_roots)
        found[pk] = (count, mine, sorted(beside[pk]))
    return found


def alerts_check(*, entity: Entity, notify: bool = True) -> Alert | None:
    """alerts_check_each for one entity."""
    raised = alerts_check_each(entities=[entity], notify=notify)
    return raised[0] if raised else None


@transaction.atomic(savepoint=False)
def alerts_check_each(
    *,
    entities: Iterable[Entity],
    notify: bool = True,
    reached: Mapping[int, Collection[str]] | None = None,
) -> list[Alert]:
    """Alert the CSE team for each entity (not a child) that reaches a second child, or a
    further one since the last alert about it. The emails go once this commits.

    `reached` (from linking on arrival) says which containers each entity has just been
    joined into; an entity not in it gained nothing and is not checked. A large entity already
    alerted on is then checked by what those containers add (children_new_each): the count
    it reports is its last alert's plus the new children, which is exact unless two of its
    children were since found to be one (then it errs high until the next full check)."""
    pks = sorted({e.pk for e in entities if e.entity_type != EntityType.CHILD})
    if reached is not None:
        pks = [pk for pk in pks if reached.get(pk)]
    if not pks:
        return []
    # Two arrivals linking the same entity at once: the second waits here, then finds the
    # first one's alert and raises no second. Locked in one order, so they cannot deadlock.
    locked = {e.pk: e for e in Entity.objects.select_for_update().filter(pk__in=pks).order_by("pk")}
    already = dict(
        Alert.objects.filter(entity_id__in=pks, kind=AlertKind.LINKS_SECOND_CHILD)
        .values("entity_id")
        .annotate(most=Max("children_linked"))
        .values_list("entity_id", "most")
    )
    hubs: set[int] = set()
    if reached is not None and already:
        hubs = {
            pk
            for pk, size in MentionEntity.objects.filter(entity_id__in=list(already))
            .values("entity_id")
            .annotate(size=Count("pk"))
            .values_list("entity_id", "size")
            if size > HUB_MENTIONS
        }
    linked = {
        pk: found
        for pk, found in children_linked_each([pk for pk in pks if pk not in hubs]).items()
        if found[0] >= 2
    }
    if hubs and reached is not None:
        for pk, (more, kids, beside) in children_new_each({pk: reached[pk] for pk in hubs}).items():
            if more:
                linked[pk] = (already[pk] + more, kids, beside)
    if not linked:
        return []
    raised = [
        Alert(
            partnership_id=locked[pk].partnership_id,
            kind=AlertKind.LINKS_SECOND_CHILD,
            entity=locked[pk],
            children_linked=count,
        )
        for pk, (count, _, _) in linked.items()
        if already.get(pk, 0) < count
    ]
    for alert in raised:
        # The entity was just locked and the partnership is its own: no need to look them up
        # again; the kind's constraint is the database's to keep.
        alert.full_clean(exclude=["entity", "partnership"], validate_constraints=False)
    # An alert names what is new since the entity's last one (the first names everything):
    # a place many children pass through would otherwise copy all its mentions every time.
    naming = {
        alert.entity_id: list(
            dict.fromkeys([*linked[alert.entity_id][2], *linked[alert.entity_id][1]])
        )
        for alert in raised
    }
    shown: dict[int, set[str]] = {}
    for entity_id, mention_id in AlertMention.objects.filter(
        alert__entity_id__in=list(naming),
        alert__kind=AlertKind.LINKS_SECOND_CHILD,
        mention_id__in=[m for ms in naming.values() for m in ms],
    ).values_list("alert__entity_id", "mention_id"):
        shown.setdefault(entity_id, set()).add(mention_id)
    Alert.objects.bulk_create(raised)
    AlertMention.objects.bulk_create(
        [
            AlertMention(alert=alert, mention_id=m)
            for alert in raised
            for m in naming[alert.entity_id]
            if m not in shown.get(alert.entity_id, ())
        ]
    )
    audit_record_each(
        AuditEntry(
            verb=Verb.CREATED,
            target_type="link_alert",
            target_id=alert.pk,
            partnership=alert.partnership_id,
            detail={
                "entity": alert.entity_id,
                "children": alert.children_linked,
                "kind": alert.kind,
            },
        )
        for alert in raised
    )
    if notify:
        alerts_email_on_commit(raised)
    return raised


@transaction.atomic
def alert_mark_seen(*, actor: User, alert: Alert) -> Alert:
    if not has_permission(actor, Permission.VIEW_NETWORK):
        raise PermissionDenied("Only the CSE team and the MACE coordinator see alerts")
    alert.seen_by.add(actor)
    audit_record(actor=actor, verb=Verb.UPDATED, target_type="link_alert", target_id=alert.pk)
    return alert
