"""Changes to the MACE list, and the alert when a new link reaches a listed person.

Putting someone on the list, or taking them off, is a decision of a panel meeting held on or
before today: the listing names that meeting. Every change is audited with ids only. The alert
is raised by the linking engine when a newly arrived mention is placed in, or suggested for, a
listed person's entity, and emailed once that commits. Each change locks the row it checks
first, so two people acting at once make it once.
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
from ..models import MaceListing, Meeting


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _check(actor: User, entity: Entity, meeting: Meeting) -> None:
    if not selectors.can_record_listing(user=actor):
        raise PermissionDenied("Only the CSE team and the MACE coordinator record the MACE list")
    partnership = actor.partnership_id
    if partnership is None or partnership != entity.partnership_id:
        raise PermissionDenied("The person belongs to another partnership")
    if meeting.panel.partnership_id != partnership:
        raise PermissionDenied("The meeting is another partnership's")


def _held_check(meeting: Meeting) -> None:
    if meeting.held_on > timezone.localdate():
        raise ValidationError(
            {
                "meeting": f"The meeting of {_day(meeting.held_on)} has not been held yet: "
                "choose a meeting held on or before today"
            }
        )


@transaction.atomic
def mace_listing_add(*, actor: User, entity: Entity, meeting: Meeting) -> MaceListing:
    """Put a person on the MACE list, as a decision of the panel meeting that agreed it."""
    meeting = Meeting.objects.select_related("panel").get(pk=meeting.pk)
    _check(actor, entity, meeting)
    # The person's row is the lock: two decisions about one person are made one after the other.
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    if entity.entity_type != EntityType.PERSON:
        raise ValidationError({"entity": "Only a person of concern can be put on the MACE list"})
    if selectors.current_listing(entity=entity) is not None:
        raise ValidationError({"entity": f"{entity.reference} is already on the MACE list"})
    _held_check(meeting)
    previous = (
        entity.mace_listings.select_related("removed_at_meeting").order_by("-listed_at").first()
    )
    if previous is not None:
        ended = previous.removed_at_meeting
        taken_off = ended.held_on if ended else previous.panel_date
        if meeting.held_on < taken_off:
            raise ValidationError(
                {
                    "meeting": f"{entity.reference} was taken off the MACE list at the panel of "
                    f"{_day(taken_off)}: choose a meeting held on or after that date"
                }
            )
    listing = MaceListing(
        partnership_id=entity.partnership_id,
        entity=entity,
        agreed_at=meeting,
        panel_date=meeting.held_on,
        listed_by=actor,
    )
    listing.full_clean()
    listing.save()
    audit_record(
        actor=actor,
        verb=Verb.CREATED,
        target_type="mace_listing",
        target_id=listing.pk,
        detail={"entity": entity.pk, "meeting": meeting.pk},
    )
    return listing


@transaction.atomic
def mace_listing_remove(*, actor: User, listing: MaceListing, meeting: Meeting) -> MaceListing:
    """Take a person off the MACE list, as a decision of a panel meeting. The listing stays,
    as the panel's history."""
    meeting = Meeting.objects.select_related("panel").get(pk=meeting.pk)
    _check(actor, listing.entity, meeting)
    # The listing's row is the lock: a second removal at the same moment finds it removed.
    listing = MaceListing.objects.select_for_update().get(pk=listing.pk)
    if listing.removed_at is not None:
        raise ValidationError(
            {"entity": f"{listing.entity.reference} is no longer on the MACE list"}
        )
    _held_check(meeting)
    if meeting.held_on < listing.panel_date:
        raise ValidationError(
            {
                "meeting": f"{listing.entity.reference} was listed at the panel of "
                f"{_day(listing.panel_date)}: choose a meeting held on or after that date"
            }
        )
    listing.removed_at = timezone.now()
    listing.removed_by = actor
    listing.removed_at_meeting = meeting
    listing.full_clean()
    listing.save(update_fields=["removed_at", "removed_by", "removed_at_meeting"])
    audit_record(
        actor=actor,
        verb=Verb.DEACTIVATED,
        target_type="mace_listing",
        target_id=listing.pk,
        detail={"entity": listing.entity_id, "meeting": meeting.pk},
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
