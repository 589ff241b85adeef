"""Reads about intelligence, always through the asking user's scope.

Partners see what they shared (a safeguarding lead, what their agency shared); police analysts,
who include the CSE team, see everything shared in their partnership. The police's grading codes
are shown only to analysts: a submitter sees the outcome and the message written for them.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from csehub.access.permissions import Permission, Scope, scope_for
from csehub.accounts.models import Partnership, User

from .models import MENTION_RELATED_NAMES, Grading, IntelligenceReport, ReportStatus

NOTHING = Q(pk__in=[])


def _condition(user: User) -> Q:
    if scope_for(user, Permission.GRADE_INTELLIGENCE) == Scope.ALL:
        return Q()
    scope = scope_for(user, Permission.SHARE_INTELLIGENCE)
    if scope == Scope.OWN:
        return Q(submitted_by=user)
    if scope == Scope.AGENCY:
        return Q(submitted_by=user) | Q(agency_id=user.agency_id)
    return NOTHING


def reports_visible_to(*, user: User) -> QuerySet[IntelligenceReport]:
    if user.agency_id is None:
        return IntelligenceReport.objects.none()
    return (
        IntelligenceReport.objects.filter(partnership_id=user.partnership_id)
        .filter(_condition(user))
        .select_related("agency", "submitted_by")
    )


def _with_latest_grading(reports: QuerySet[IntelligenceReport]) -> QuerySet[IntelligenceReport]:
    return reports.prefetch_related(
        Prefetch(
            "gradings",
            queryset=Grading.objects.select_related("graded_by").order_by("-graded_at", "-pk"),
        )
    )


def reports_shared_by(*, user: User) -> QuerySet[IntelligenceReport]:
    """The "My shared intelligence" list: what the user (or, for a lead, their agency) shared."""
    if user.agency_id is None:
        return IntelligenceReport.objects.none()
    condition = Q(submitted_by=user)
    if scope_for(user, Permission.SHARE_INTELLIGENCE) == Scope.AGENCY:
        condition |= Q(agency_id=user.agency_id)
    return _with_latest_grading(
        reports_visible_to(user=user).filter(condition).order_by("-received_at", "-pk")
    )


def reports_for_triage(
    *, user: User, status: str = "", agency_id: int | None = None
) -> QuerySet[IntelligenceReport]:
    """The police triage inbox: newest first, optionally only (un)graded or one agency's."""
    if scope_for(user, Permission.GRADE_INTELLIGENCE) is None:
        return IntelligenceReport.objects.none()
    reports = reports_visible_to(user=user)
    if status in ReportStatus.values:
        reports = reports.filter(status=status)
    if agency_id is not None:
        reports = reports.filter(agency_id=agency_id)
    return _with_latest_grading(reports.order_by("-received_at", "-pk"))


def report_full(report: IntelligenceReport) -> IntelligenceReport:
    """The report with its mentions, links and gradings loaded for display."""
    return (
        _with_latest_grading(IntelligenceReport.objects.filter(pk=report.pk))
        .prefetch_related(*MENTION_RELATED_NAMES, "links")
        .select_related("agency", "submitted_by")
        .get()
    )


def shares_agency_wide(*, user: User) -> bool:
    return scope_for(user, Permission.SHARE_INTELLIGENCE) == Scope.AGENCY


def can_see_grading(*, user: User) -> bool:
    return scope_for(user, Permission.GRADE_INTELLIGENCE) is not None


def unread_responses_count(*, user: User) -> int:
    return Grading.objects.filter(
        report__submitted_by=user, submitter_read_at__isnull=True, corrected_by__isnull=True
    ).count()


def reports_for_export_unchecked(*, partnership: Partnership) -> QuerySet[IntelligenceReport]:
    """Every report of a partnership, for `csehub intel export` run by an operator on the
    server (no signed-in user, so no scope: hence `_unchecked`)."""
    return (
        IntelligenceReport.objects.filter(partnership=partnership)
        .order_by("pk")
        .prefetch_related(*MENTION_RELATED_NAMES, "links")
    )
