"""Changes to the MACE list, and the alert when a new link reaches a listed person.

Every change is audited with ids only. The alert is raised by the linking engine when a newly
arrived mention is placed in, or suggested for, a listed person's entity, and emailed once that
commits. Each change locks the row it checks first, so two people acting at once make it once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from csehub.accounts.models import User
from csehub.audit.models import Verb
from csehub.audit.services import audit_record
from csehub.linking.alert_email import alert_email_on_commit
from csehub.linking.models import (
    Alert,
    AlertKind,
    AlertMention,
    Entity,
    EntityType,
    LinkSuggestion,
    MentionEntity,
    SuggestionStatus,
)

from .. import selectors
from ..models import MaceListing


def _check(actor: User, entity: Entity) -> None:
    if not selectors.can_manage_mace_list(user=actor):
        raise PermissionDenied("Only the CSE team keeps the MACE list")
    if actor.agency is None or actor.agency.partnership_id != entity.partnership_id:
        raise PermissionDenied("The person belongs to another partnership")


@transaction.atomic
def mace_listing_add(*, actor: User, entity: Entity, panel_date: dt.date) -> MaceListing:
    _check(actor, entity)
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    if entity.entity_type != EntityType.PERSON:
        raise ValidationError("Only a person of concern can be put on the MACE list")
    if selectors.current_listing(entity=entity) is not None:
        raise ValidationError(f"{entity.reference} is already on the MACE list")
    listing = MaceListing(
        partnership_id=entity.partnership_id,
        entity=entity,
        panel_date=panel_date,
        listed_by=actor,
    )
    listing.full_clean()
    listing.save()
    audit_record(
        actor=actor,
        verb=Verb.CREATED,
        target_type="mace_listing",
        target_id=listing.pk,
        detail={"entity": entity.pk},
    )
    return listing


@transaction.atomic
def mace_listing_remove(*, actor: User, listing: MaceListing) -> MaceListing:
    _check(actor, listing.entity)
    listing.refresh_from_db(from_queryset=MaceListing.objects.select_for_update())
    if listing.removed_at is not None:
        raise ValidationError("This listing has already been taken off the MACE list")
    listing.removed_at = timezone.now()
    listing.removed_by = actor
    listing.full_clean()
    listing.save(update_fields=["removed_at", "removed_by"])
    audit_record(
        actor=actor,
        verb=Verb.DEACTIVATED,
        target_type="mace_listing",
        target_id=listing.pk,
        detail={"entity": listing.entity_id},
    )
    return listing


def _listed_targets(mention_ids: list[str]) -> dict[int, set[str]]:
    """Listed person entities that these mentions were placed in or suggested for."""
    listed = selectors.listed_entity_ids_unchecked()
    if not listed:
        return {}  # the usual case, and one small query: nobody on any list
    reached: dict[int, set[str]] = {}
    for mention_id, entity_id in MentionEntity.objects.filter(
        mention_id__in=mention_ids, entity_id__in=listed
    ).values_list("mention_id", "entity_id"):
        reached.setdefault(entity_id, set()).add(mention_id)
    suggested = LinkSuggestion.objects.filter(mention_id__in=mention_ids).exclude(
        status=SuggestionStatus.REJECTED
    )
    targets: dict[str, set[str]] = {}
    for target, mention_id in suggested.values_list("target_mention_id", "mention_id"):
        targets.setdefault(target, set()).add(mention_id)
    for target, entity_id in MentionEntity.objects.filter(
        mention_id__in=list(targets), entity_id__in=listed
    ).values_list("mention_id", "entity_id"):
        reached.setdefault(entity_id, set()).update(targets[target])
    return reached


@transaction.atomic(savepoint=False)
def mace_alerts_check(*, mention_ids: Iterable[str], notify: bool = True) -> list[Alert]:
    """Alert the CSE team when new mentions link to a person on the MACE list.

    One alert per listed person and arrival; a mention that already raised one (a re-import)
    raises no second.
    """
    ids = list(dict.fromkeys(mention_ids))
    if not ids:
        return []
    raised = []
    reached = _listed_targets(ids)
    for entity_id in sorted(reached):  # locked in one order, so two arrivals cannot deadlock
        found = reached[entity_id]
        # A second arrival at the same moment waits here, then sees the first one's alert.
        entity = Entity.objects.select_for_update().get(pk=entity_id)
        already = set(
            AlertMention.objects.filter(
                alert__entity_id=entity_id,
                alert__kind=AlertKind.LINKS_MACE_PERSON,
                mention_id__in=found,
            ).values_list("mention_id", flat=True)
        )
        new = sorted(found - already)
        if not new:
            continue
        alert = Alert(
            partnership_id=entity.partnership_id, kind=AlertKind.LINKS_MACE_PERSON, entity=entity
        )
        alert.full_clean()
        alert.save()
        AlertMention.objects.bulk_create([AlertMention(alert=alert, mention_id=m) for m in new])
        audit_record(
            actor=None,
            verb=Verb.CREATED,
            target_type="link_alert",
            target_id=alert.pk,
            partnership=alert.partnership_id,
            detail={"entity": entity_id, "kind": alert.kind},
        )
        if notify:
            alert_email_on_commit(alert)
        raised.append(alert)
    return raised
