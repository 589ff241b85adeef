"""Reads about disclosures, always through the asking user's scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from csehub.access.permissions import Permission, Scope, scope_for
from csehub.accounts.models import User
from csehub.children.models import Child

from .models import Addendum, Disclosure, DisclosureStatus


def _scope_condition(user: User, scope: Scope) -> Q:
    if scope == Scope.ALL:
        return Q()
    if scope == Scope.AGENCY:
        return Q(agency_id=user.agency_id) | Q(recorded_by=user)
    if scope == Scope.ALLOCATED:
        return Q(child__allocated_social_worker=user) | Q(recorded_by=user)
    return Q(recorded_by=user)  # OWN (and anything narrower)


def disclosures_visible_to(*, user: User) -> QuerySet[Disclosure]:
    scope = scope_for(user, Permission.VIEW_DISCLOSURE)
    if scope is None or user.agency_id is None:
        return Disclosure.objects.none()
    return (
        Disclosure.objects.filter(child__partnership_id=user.partnership_id)
        .filter(_scope_condition(user, scope))
        # A draft is its author's alone until it is signed.
        .filter(Q(status=DisclosureStatus.SIGNED) | Q(recorded_by=user))
        .select_related("child", "recorded_by", "agency", "concern")
    )


def disclosure_drafts_editable_by(*, user: User) -> QuerySet[Disclosure]:
    return Disclosure.objects.filter(
        recorded_by=user, status=DisclosureStatus.DRAFT
    ).select_related("child", "concern")


def disclosures_for_child(*, user: User, child: Child) -> QuerySet[Disclosure]:
    return disclosures_visible_to(user=user).filter(child=child).order_by("created_at", "pk")


def addenda_for(*, disclosure: Disclosure) -> QuerySet[Addendum]:
    """Call only with a disclosure fetched through a selector."""
    return disclosure.addenda.select_related("author", "agency").order_by("created_at", "pk")
