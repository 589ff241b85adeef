"""Reads for the Awareness Plus briefing: its slides, who may attend, and the sessions held.

Presenters hold PRESENT_BRIEFING with a scope: AGENCY (a safeguarding lead: their own agency's
sessions) or ALL (the partnership). Attendees may come from any agency in the partnership,
because a briefing is often given to a mixed group.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from csehub.access.permissions import Permission, Scope, scope_for
from csehub.accounts.models import Agency, User

from ..models import BriefingSession, Course, CourseKind, CourseSection


@dataclass(frozen=True)
class Slide:
    """One slide as the presenter and audience pages show it (numbered from 1)."""

    number: int
    section: CourseSection

    @property
    def title(self) -> str:
        return self.section.title


def _partnership_id(user: User) -> int:
    # Callers have already checked that the user belongs to an agency.
    assert user.agency is not None
    return user.agency.partnership_id


def briefings_for_presenter(*, user: User) -> QuerySet[Course]:
    if scope_for(user, Permission.PRESENT_BRIEFING) is None:
        return Course.objects.none()
    return Course.objects.filter(kind=CourseKind.BRIEFING, is_active=True)


def briefing_slides(*, course: Course) -> list[Slide]:
    sections = course.sections.filter(is_retired=False).order_by("position", "pk")
    return [Slide(number=index, section=section) for index, section in enumerate(sections, 1)]


def briefing_session_agencies_for(*, user: User) -> QuerySet[Agency]:
    """Agencies the user may record a session for: their own, or any in the partnership."""
    scope = scope_for(user, Permission.PRESENT_BRIEFING)
    if scope is None or user.agency_id is None:
        return Agency.objects.none()
    agencies = Agency.objects.filter(is_active=True)
    if scope == Scope.ALL:
        return agencies.filter(partnership_id=_partnership_id(user)).order_by("name")
    return agencies.filter(pk=user.agency_id)


def briefing_attendee_agencies_for(*, user: User) -> QuerySet[Agency]:
    """Agencies whose people may be listed as attendees: every active one in the partnership."""
    if scope_for(user, Permission.PRESENT_BRIEFING) is None or user.agency_id is None:
        return Agency.objects.none()
    return Agency.objects.filter(is_active=True, partnership_id=_partnership_id(user)).order_by(
        "name"
    )


def briefing_attendee_candidates(*, user: User, agency_ids: Iterable[int]) -> QuerySet[User]:
    """People who can be ticked as attendees: active, real people in the named agencies."""
    agencies = briefing_attendee_agencies_for(user=user).filter(pk__in=list(agency_ids))
    return (
        User.objects.filter(agency__in=agencies, is_active=True, is_system_account=False)
        .select_related("agency")
        .order_by("agency__name", "full_name", "pk")
    )


def briefing_sessions_visible_to(*, user: User) -> QuerySet[BriefingSession]:
    scope = scope_for(user, Permission.PRESENT_BRIEFING)
    if scope is None or user.agency_id is None:
        return BriefingSession.objects.none()
    sessions = BriefingSession.objects.select_related("course", "agency", "presenter").annotate(
        attendee_count=Count("attendances")
    )
    if scope == Scope.ALL:
        return sessions.filter(agency__partnership_id=_partnership_id(user))
    return sessions.filter(agency_id=user.agency_id)


def briefing_session_attendees(*, session: BriefingSession) -> QuerySet[User]:
    return (
        User.objects.filter(briefing_attendances__session=session)
        .select_related("agency")
        .order_by("agency__name", "full_name")
    )
