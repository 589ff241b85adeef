"""Reads about missing episodes and return interviews, always through the asking user's scope.

VIEW_MISSING scopes: ALL, the partnership's; ALLOCATED, episodes of children allocated to the
user and those the user recorded; OWN, those the user recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from csehub.access.permissions import Permission, Scope, scope_for
from csehub.accounts.models import User
from csehub.children.models import Child
from csehub.children.selectors import children_visible_to

from .models import CLOSED_STATUSES, MissingEpisode, ReturnInterview


def _scope_condition(user: User, scope: Scope, prefix: str = "") -> Q:
    if scope == Scope.ALL:
        return Q()
    mine = Q(**{f"{prefix}recorded_by": user})
    if scope == Scope.ALLOCATED:
        return mine | Q(**{f"{prefix}child__allocated_social_worker": user})
    return mine  # OWN (and anything narrower)


def episodes_visible_to(*, user: User) -> QuerySet[MissingEpisode]:
    scope = scope_for(user, Permission.VIEW_MISSING)
    if scope is None or user.agency_id is None:
        return MissingEpisode.objects.none()
    return (
        MissingEpisode.objects.filter(partnership_id=user.partnership_id)
        .filter(_scope_condition(user, scope))
        .select_related("child", "recorded_by", "agency")
    )


def episodes_changeable_by(*, user: User) -> QuerySet[MissingEpisode]:
    """Episodes whose return the user may record."""
    scope = scope_for(user, Permission.RECORD_MISSING)
    if scope is None or user.agency_id is None:
        return MissingEpisode.objects.none()
    return episodes_visible_to(user=user).filter(_scope_condition(user, scope))


def children_recordable_by(*, user: User) -> QuerySet[Child]:
    """Children the user may record a missing episode for: those they see, narrowed to the
    children allocated to them (or that they recorded) when RECORD_MISSING is ALLOCATED."""
    scope = scope_for(user, Permission.RECORD_MISSING)
    if scope is None or user.agency_id is None:
        return Child.objects.none()
    visible = children_visible_to(user=user)
    if scope == Scope.ALL:
        return visible
    return visible.filter(Q(allocated_social_worker=user) | Q(created_by=user))


def episodes_for_child(*, user: User, child: Child) -> QuerySet[MissingEpisode]:
    return (
        episodes_visible_to(user=user)
        .filter(child=child)
        .select_related("interview")
        .order_by("-last_seen_at", "-pk")
    )


def interviews_managed_by(*, user: User) -> QuerySet[ReturnInterview]:
    """The return interviews the user arranges and records (the missing coordinator's)."""
    if scope_for(user, Permission.MANAGE_RETURN_INTERVIEWS) is None or user.agency_id is None:
        return ReturnInterview.objects.none()
    return ReturnInterview.objects.filter(
        partnership_id=user.partnership_id,
        episode__in=episodes_visible_to(user=user).values("pk"),
    ).select_related("episode", "episode__child", "interviewer")


def interviews_open(*, user: User) -> list[ReturnInterview]:
    """The work list: interviews not yet closed, overdue first, then by when they are due."""
    now = timezone.now()
    found = list(interviews_managed_by(user=user).exclude(status__in=CLOSED_STATUSES))
    return sorted(found, key=lambda i: (not i.is_overdue(now), i.due_by, i.pk))


def episodes_still_missing(*, user: User) -> QuerySet[MissingEpisode]:
    return episodes_visible_to(user=user).filter(returned_at__isnull=True).order_by("last_seen_at")


@dataclass(frozen=True)
class EpisodeCounts:
    last_30_days: int
    last_90_days: int
    previous_30_days: int  # the 30 days before the last 30

    @property
    def rising(self) -> bool:
        """Going missing more often: at least two episodes in the last 30 days, and more than
        in the 30 days before them."""
        return self.last_30_days >= 2 and self.last_30_days > self.previous_30_days


def episode_counts(*, user: User, child: Child) -> EpisodeCounts:
    now = timezone.now()
    episodes = episodes_for_child(user=user, child=child)
    return EpisodeCounts(
        last_30_days=episodes.filter(last_seen_at__gt=now - dt.timedelta(days=30)).count(),
        last_90_days=episodes.filter(last_seen_at__gt=now - dt.timedelta(days=90)).count(),
        previous_30_days=episodes.filter(
            last_seen_at__gt=now - dt.timedelta(days=60),
            last_seen_at__lte=now - dt.timedelta(days=30),
        ).count(),
    )


@dataclass(frozen=True)
class ChildPattern:
    child: Child
    counts: EpisodeCounts


def children_going_missing_more(*, user: User) -> list[ChildPattern]:
    """Children whose episodes are becoming more frequent (EpisodeCounts.rising), most recent
    episodes first. Counts only episodes the user may see."""
    now = timezone.now()
    within = Q(missing_episodes__in=episodes_visible_to(user=user).values("pk"))
    since_30, since_60, since_90 = (now - dt.timedelta(days=days) for days in (30, 60, 90))
    counted = (
        Child.objects.filter(partnership_id=user.partnership_id)
        .annotate(
            last_30_days=Count(
                "missing_episodes", filter=within & Q(missing_episodes__last_seen_at__gt=since_30)
            ),
            last_90_days=Count(
                "missing_episodes", filter=within & Q(missing_episodes__last_seen_at__gt=since_90)
            ),
            previous_30_days=Count(
                "missing_episodes",
                filter=within
                & Q(
                    missing_episodes__last_seen_at__gt=since_60,
                    missing_episodes__last_seen_at__lte=since_30,
                ),
            ),
        )
        .filter(last_30_days__gte=2)
        .order_by("-last_30_days", "family_name", "given_name", "pk")
        .values_list("pk", "last_30_days", "last_90_days", "previous_30_days")
    )
    rising = {
        pk: EpisodeCounts(last_30_days=last, last_90_days=ninety, previous_30_days=before)
        for pk, last, ninety, before in counted
        if EpisodeCounts(last, ninety, before).rising
    }
    children = Child.objects.in_bulk(list(rising))
    return [ChildPattern(child=children[pk], counts=counts) for pk, counts in rising.items()]
