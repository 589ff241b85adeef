"""Reads of the MACE list and the panel, through the asking user's scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from csehub.access.permissions import Permission, Scope, has_permission, scope_for
from csehub.accounts.models import User
from csehub.linking.models import Entity

from .models import AgendaItem, DisruptionAction, MaceListing, Meeting, Panel, PanelMembership


def can_manage_mace_list(*, user: User) -> bool:
    return scope_for(user, Permission.MANAGE_MACE_LIST) == Scope.ALL and user.agency_id is not None


def can_record_listing(*, user: User) -> bool:
    """Who records the panel's MACE list decisions: the CSE team, who keep the list, and whoever
    runs the panel (the MACE coordinator), on the meeting's page."""
    return user.agency_id is not None and (
        can_manage_mace_list(user=user) or has_permission(user, Permission.RUN_MACE_PANEL)
    )


def listings_visible_to(*, user: User) -> QuerySet[MaceListing]:
    """The partnership's MACE listings, current and past, for the CSE team and the MACE
    coordinator."""
    if scope_for(user, Permission.VIEW_NETWORK) != Scope.ALL or user.agency is None:
        return MaceListing.objects.none()
    return MaceListing.objects.filter(partnership_id=user.agency.partnership_id).select_related(
        "entity", "listed_by", "removed_by", "agreed_at", "removed_at_meeting"
    )


def listing_meetings_for(*, user: User, today: dt.date) -> QuerySet[Meeting]:
    """The meetings a listing decision can be recorded against: those of the user's
    partnership's panel held on or before today. The CSE team may not sit on the panel, so
    they choose from these by date and kind only; the meeting itself stays the members'."""
    if not can_record_listing(user=user):
        return Meeting.objects.none()
    return (
        Meeting.objects.filter(panel__partnership_id=user.partnership_id, held_on__lte=today)
        .select_related("panel")
        .order_by("-held_on", "-pk")
    )


@dataclass(frozen=True)
class ListingEvent:
    """One step of a person's history on the MACE list, at a meeting (or, for a step recorded
    before meetings were, on a date)."""

    what: str  # "Listed", "Listed again" or "Taken off"
    on: dt.date
    meeting: Meeting | None


def listing_history(listings: Iterable[MaceListing]) -> list[ListingEvent]:
    """A person's listings (oldest first) as the panel's decisions, in order."""
    events: list[ListingEvent] = []
    for number, listing in enumerate(listings):
        agreed = listing.agreed_at
        events.append(
            ListingEvent(
                "Listed again" if number else "Listed",
                agreed.held_on if agreed else listing.panel_date,
                agreed,
            )
        )
        if listing.removed_at is not None:
            ended = listing.removed_at_meeting
            on = ended.held_on if ended else timezone.localtime(listing.removed_at).date()
            events.append(ListingEvent("Taken off", on, ended))
    return events


def listing_histories_visible_to(
    *, user: User, entity_ids: Iterable[int]
) -> dict[int, list[MaceListing]]:
    """Every listing of these persons the user may see, oldest first, by person."""
    found: dict[int, list[MaceListing]] = {}
    for listing in (
        listings_visible_to(user=user)
        .filter(entity_id__in=list(entity_ids))
        .order_by("listed_at", "pk")
    ):
        found.setdefault(listing.entity_id, []).append(listing)
    return found


def current_listing(*, entity: Entity) -> MaceListing | None:
    return (
        entity.mace_listings.filter(removed_at__isnull=True)
        .select_related("listed_by", "agreed_at")
        .first()
    )


def listed_entity_ids_unchecked() -> set[int]:
    """The entities on a MACE list now, in every partnership (the engine's own check, unscoped;
    a short list, read once per arrival)."""
    return set(
        MaceListing.objects.filter(removed_at__isnull=True).values_list("entity_id", flat=True)
    )


# ---------------------------------------------------------------------------------------------
# The panel: members see their panels' meetings; the MACE coordinator sees the partnership's
# ---------------------------------------------------------------------------------------------


def panels_visible_to(*, user: User) -> QuerySet[Panel]:
    panels = Panel.objects.filter(partnership_id=user.partnership_id)
    if has_permission(user, Permission.RUN_MACE_PANEL):
        return panels
    return panels.filter(memberships__user=user, memberships__left_at__isnull=True).distinct()


def meetings_visible_to(*, user: User) -> QuerySet[Meeting]:
    return Meeting.objects.filter(panel__in=panels_visible_to(user=user)).select_related("panel")


def agenda_items_visible_to(*, user: User) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(meeting__in=meetings_visible_to(user=user)).select_related(
        "meeting", "child", "entity", "alert", "action"
    )


def memberships_runnable_by(*, user: User) -> QuerySet[PanelMembership]:
    """Memberships the user may end: the MACE coordinator's partnership's."""
    if not has_permission(user, Permission.RUN_MACE_PANEL):
        return PanelMembership.objects.none()
    return PanelMembership.objects.filter(panel__partnership_id=user.partnership_id).select_related(
        "user", "panel"
    )


def actions_runnable_by(*, user: User) -> QuerySet[DisruptionAction]:
    if not has_permission(user, Permission.RUN_MACE_PANEL):
        return DisruptionAction.objects.none()
    return DisruptionAction.objects.filter(partnership_id=user.partnership_id).select_related(
        "agreed_at"
    )


def partnership_user_by_email(*, partnership_id: int, email: str) -> User | None:
    """Someone of the panel's partnership, named by email, to sit on it or own an action."""
    return (
        User.objects.filter(email__iexact=email.strip(), partnership_id=partnership_id)
        .select_related("agency")
        .first()
    )


# ---------------------------------------------------------------------------------------------
# The MACE list at the panel's meetings: what a meeting decided, and who on its agenda is listed
# ---------------------------------------------------------------------------------------------


def listing_decisions_visible_to(*, user: User, meeting: Meeting) -> list[tuple[str, MaceListing]]:
    """The MACE list decisions of a meeting the user may read: who it listed and who it took
    off, in the order they were recorded."""
    visible = meetings_visible_to(user=user).filter(pk=meeting.pk)
    listed = MaceListing.objects.filter(agreed_at__in=visible).select_related("entity")
    ended = MaceListing.objects.filter(removed_at_meeting__in=visible).select_related("entity")
    decisions = [("Listed", item, item.listed_at) for item in listed] + [
        ("Taken off", item, item.removed_at) for item in ended
    ]
    decisions.sort(key=lambda decision: (decision[2] or decision[1].listed_at, decision[1].pk))
    return [(what, listing) for what, listing, _ in decisions]


def current_listings_visible_to(*, user: User, entity_ids: Iterable[int]) -> dict[int, MaceListing]:
    """Which of these persons are on the MACE list now, for someone who sits on (or runs) the
    user's partnership's panel: an agenda item about a person says so."""
    if not panels_visible_to(user=user).exists():
        return {}
    return {
        listing.entity_id: listing
        for listing in MaceListing.objects.filter(
            partnership_id=user.partnership_id,
            entity_id__in=list(entity_ids),
            removed_at__isnull=True,
        ).select_related("agreed_at")
    }
