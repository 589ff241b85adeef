"""Reads of the audit trail, scoped to the information governance officer asking."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from django.db.models import QuerySet
from django.utils import timezone

from csehub.access.permissions import Permission, scope_for
from csehub.accounts.models import User

from .models import AuditEvent


@dataclass(frozen=True)
class AuditFilters:
    """What the audit log search asks for. Empty values mean "any"."""

    user: int | None = None  # the actor's id
    email: str = ""  # the actor's email address, when typed rather than chosen
    record_type: str = ""
    record_id: str = ""
    verb: str = ""
    outcome: str = ""
    date_from: dt.date | None = None  # inclusive, in the partnership's local time
    date_to: dt.date | None = None  # inclusive
    until: int | None = None  # the newest row included, so paging does not shift

    def names_used(self) -> list[str]:
        """The filters that were set, by name: what the audit event about a search records."""
        return [f.name for f in fields(self) if f.name != "until" and getattr(self, f.name)]


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_events_visible_to(*, user: User, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Events newest first that the user may see and that match the filters.

    Information governance sees its own partnership's trail: what its people did, and the
    events about it that have no actor (a failed sign-in to one of its accounts, an import).
    """
    if scope_for(user, Permission.VIEW_AUDIT_LOG) is None:
        return AuditEvent.objects.none()
    events = AuditEvent.objects.filter(partnership_id=user.partnership_id)
    if filters.user is not None:
        events = events.filter(actor_id=filters.user)
    if filters.email:
        events = events.filter(actor__email__iexact=filters.email)
    if filters.record_type:
        events = events.filter(target_type=filters.record_type)
    if filters.record_id:
        events = events.filter(target_id=filters.record_id)
    if filters.verb:
        events = events.filter(verb=filters.verb)
    if filters.outcome:
        events = events.filter(outcome=filters.outcome)
    if filters.date_from:
        events = events.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to:
        events = events.filter(at__lt=_start_of(filters.date_to + dt.timedelta(days=1)))
    if filters.until is not None:
        events = events.filter(id__lte=filters.until)
    return events.order_by("-id")


def audit_latest_id() -> int:
    """The newest row's id (0 for an empty trail): where a search's pages stop."""
    latest = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    return latest or 0


def audit_record_types() -> list[str]:
    """The kinds of record the trail mentions, for the search form's list. Codes only."""
    return list(
        AuditEvent.objects.exclude(target_type="")
        .order_by("target_type")
        .values_list("target_type", flat=True)
        .distinct()
    )
