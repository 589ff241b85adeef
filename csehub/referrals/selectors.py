"""Reads about referrals and notifications, always through the asking user's scope."""

from __future__ import annotations

import datetime

from django.db.models import (
    BooleanField,
    Case,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from csehub.access.permissions import Permission, Scope, has_permission, scope_for
from csehub.accounts.models import Agency, AgencyType, Role, User
from csehub.children.models import Child
from csehub.concerns.models import Concern

from .models import (
    RECEIVING_ROLE,
    Destination,
    Notification,
    Referral,
    ReferralState,
    ReferralTransition,
)

NOTHING = Q(pk__in=[])


def team_condition(user: User) -> Q:
    """The referrals addressed to the user's team: the front door or police desk of their
    agency, or (for a social worker) the information referrals sent to them by name."""
    if not has_permission(user, Permission.RECEIVE_REFERRAL) or user.agency_id is None:
        return NOTHING
    role = Role(user.role)
    if role == RECEIVING_ROLE[Destination.ALLOCATED_SOCIAL_WORKER]:
        return Q(destination=Destination.ALLOCATED_SOCIAL_WORKER, to_user=user)
    destinations = [d for d, r in RECEIVING_ROLE.items() if r == role]
    if not destinations:
        return NOTHING
    return Q(destination__in=destinations, to_agency_id=user.agency_id)


def _with_overdue(referrals: QuerySet[Referral], now: datetime.datetime) -> QuerySet[Referral]:
    return referrals.annotate(
        overdue=Case(
            When(
                ~Q(state=ReferralState.OUTCOME_RECORDED) & Q(due_at__lt=now),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def _partnership_referrals(user: User) -> QuerySet[Referral]:
    return Referral.objects.filter(partnership_id=user.partnership_id).select_related(
        "child", "concern", "to_agency", "to_user", "referred_by", "referring_agency"
    )


def _scope_condition(user: User, scope: Scope) -> Q:
    if scope == Scope.ALL:
        return Q()
    # Whoever raised the concern follows its referrals (they are told of each step, and find
    # them under "Referrals about my concerns"), whatever their scope.
    condition = Q(referred_by=user) | Q(concern__raised_by=user) | team_condition(user)
    if scope == Scope.AGENCY:
        condition |= Q(referring_agency_id=user.agency_id)
    elif scope == Scope.ALLOCATED:
        condition |= Q(child__allocated_social_worker=user)
    return condition


def referrals_visible_to(*, user: User, now: datetime.datetime | None = None) -> QuerySet[Referral]:
    scope = scope_for(user, Permission.VIEW_REFERRAL)
    if scope is None or user.agency_id is None:
        return Referral.objects.none()
    return _with_overdue(
        _partnership_referrals(user).filter(_scope_condition(user, scope)),
        now or timezone.now(),
    )


def referrals_to_team(*, user: User, now: datetime.datetime | None = None) -> QuerySet[Referral]:
    """ "Referrals to my team": what the user's team has been sent, open ones first."""
    if user.agency_id is None:
        return Referral.objects.none()
    return _with_overdue(
        _partnership_referrals(user).filter(team_condition(user)), now or timezone.now()
    )


def referrals_receivable_by(*, user: User) -> QuerySet[Referral]:
    """Referrals the user may move on: those sent to their team."""
    return referrals_to_team(user=user)


def referrals_made_by(*, user: User, now: datetime.datetime | None = None) -> QuerySet[Referral]:
    """ "Referrals I made": the user's own, plus their agency's for a safeguarding lead, and
    referrals from concerns the user raised (so the practitioner sees the outcome too)."""
    scope = scope_for(user, Permission.VIEW_REFERRAL)
    if scope is None or user.agency_id is None:
        return Referral.objects.none()
    condition = Q(referred_by=user) | Q(concern__raised_by=user)
    if scope in (Scope.AGENCY, Scope.ALL) or has_permission(user, Permission.MAKE_REFERRAL):
        condition |= Q(referring_agency_id=user.agency_id)
    return _with_overdue(_partnership_referrals(user).filter(condition), now or timezone.now())


def work_list_order(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Open referrals first, the most overdue at the top; decided ones after, newest first."""
    return referrals.annotate(
        closed=Case(
            When(state=ReferralState.OUTCOME_RECORDED, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    ).order_by("closed", "-overdue", "due_at", "-pk")


def with_cse_flag(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Each referral with the child's CSE flag as the police desk it went to recorded it: the
    reference of the flagged police record (cse_flag_reference) and the referral on which it
    was recorded (cse_flag_referral_id), or None when that desk has recorded none for the child.

    Only the desk's own decisions count (same receiving agency), so the flag shown to a desk is
    one its own team recorded.
    """
    flagged = (
        Referral.objects.filter(
            child_id=OuterRef("child_id"),
            destination=Destination.POLICE_CSE_DESK,
            to_agency_id=OuterRef("to_agency_id"),
            partnership_id=OuterRef("partnership_id"),
        )
        .exclude(police_reference="")
        .order_by("-decided_at", "-pk")
    )
    return referrals.annotate(
        cse_flag_reference=Subquery(flagged.values("police_reference")[:1]),
        cse_flag_referral_id=Subquery(flagged.values("pk")[:1]),
    )


def referrals_for_child(*, user: User, child: Child) -> QuerySet[Referral]:
    return referrals_visible_to(user=user).filter(child=child).order_by("submitted_at", "pk")


def referrals_for_concern(*, user: User, concern: Concern) -> QuerySet[Referral]:
    return referrals_visible_to(user=user).filter(concern=concern).order_by("submitted_at", "pk")


def transitions_for(*, referral: Referral) -> list[ReferralTransition]:
    """A referral's history; call only with a referral already fetched through a selector.

    A list of referrals fetched `with_transitions` has them already (no query per referral).
    """
    cached = getattr(referral, "_prefetched_objects_cache", {}).get("transitions")
    if cached is not None:
        return list(cached)
    return list(referral.transitions.select_related("actor").order_by("at", "pk"))


def with_transitions(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Each referral's history fetched with the list, in two queries for the whole page."""
    return referrals.prefetch_related(
        Prefetch(
            "transitions",
            queryset=ReferralTransition.objects.select_related("actor").order_by("at", "pk"),
        )
    )


def receiving_agencies(*, user: User, destination: str) -> QuerySet[Agency]:
    """The agencies of the user's partnership that can receive a referral to `destination`."""
    if user.agency_id is None:
        return Agency.objects.none()
    kind = {
        Destination.CHILDRENS_SOCIAL_CARE: AgencyType.CHILDRENS_SOCIAL_CARE,
        Destination.POLICE_CSE_DESK: AgencyType.POLICE,
    }.get(Destination(destination))
    if kind is None:
        return Agency.objects.none()
    return Agency.objects.filter(
        partnership_id=user.partnership_id,
        agency_type=kind,
        is_active=True,
    ).order_by("name")


def team_members(*, referral: Referral) -> QuerySet[User]:
    """Who is told that a referral has arrived: the receiving team, or the social worker."""
    if referral.destination == Destination.ALLOCATED_SOCIAL_WORKER:
        return User.objects.filter(referrals_received=referral, is_active=True)
    return User.objects.filter(
        agency=referral.to_agency,
        role=RECEIVING_ROLE[referral.destination],
        is_active=True,
    )


def referrer_side(*, referral: Referral) -> QuerySet[User]:
    """Who is told about progress: the referrer, the practitioner who raised the concern, and
    the referring agency's safeguarding leads."""
    return User.objects.filter(
        Q(pk=referral.referred_by_id)
        | Q(pk=referral.concern.raised_by_id)
        | Q(agency_id=referral.referring_agency_id, role=Role.SAFEGUARDING_LEAD),
        is_active=True,
    ).distinct()


def safeguarding_leads_for(*, user: User) -> QuerySet[User]:
    if user.agency_id is None:
        return User.objects.none()
    return User.objects.filter(
        agency_id=user.agency_id, role=Role.SAFEGUARDING_LEAD, is_active=True
    ).order_by("full_name")


def notifications_for(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("referral", "concern")


def unread_notification_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
