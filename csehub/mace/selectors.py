"""Reads of the MACE list and the panel, through the asking user's scope."""

from __future__ import annotations

from django.db.models import QuerySet

from csehub.access.permissions import Permission, Scope, has_permission, scope_for
from csehub.accounts.models import User
from csehub.linking.models import Entity

from .models import AgendaItem, DisruptionAction, MaceListing, Meeting, Panel, PanelMembership


def can_manage_mace_list(*, user: User) -> bool:
    return scope_for(user, Permission.MANAGE_MACE_LIST) == Scope.ALL and user.agency_id is not None


def listings_visible_to(*, user: User) -> QuerySet[MaceListing]:
    """The partnership's MACE listings, current and past, for the CSE team and the MACE
    coordinator."""
    if scope_for(user, Permission.VIEW_NETWORK) != Scope.ALL or user.agency is None:
        return MaceListing.objects.none()
    return MaceListing.objects.filter(partnership_id=user.agency.partnership_id).select_related(
        "entity", "listed_by", "removed_by"
    )


def current_listing(*, entity: Entity) -> MaceListing | None:
    return entity.mace_listings.filter(removed_at__isnull=True).select_related("listed_by").first()


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
