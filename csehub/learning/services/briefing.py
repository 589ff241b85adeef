"""Recording a briefing session: who attended, and a training record for each of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from csehub.access.permissions import Permission, has_permission
from csehub.accounts.models import Agency, User
from csehub.audit.models import Verb
from csehub.audit.services import audit_record

from ..models import (
    BriefingAttendance,
    BriefingSession,
    Course,
    CourseKind,
    TrainingRecord,
    TrainingSource,
)
from ..selectors.briefing import briefing_attendee_candidates, briefing_session_agencies_for
from .workbook import refresher_due


@transaction.atomic
def briefing_session_record(
    *,
    actor: User,
    course: Course,
    agency: Agency,
    held_on: dt.date,
    location: str,
    attendees: Sequence[User],
) -> BriefingSession:
    """Record a session the actor presented, and a training record for each attendee.

    Attending counts as completing the briefing on the day it was held, so the refresher falls
    due the course's refresher period after that day.
    """
    if not has_permission(actor, Permission.PRESENT_BRIEFING):
        raise PermissionDenied("You cannot record briefing sessions")
    errors: dict[str, str] = {}
    if course.kind != CourseKind.BRIEFING or not course.is_active:
        errors["course"] = "Choose a briefing that is in use"
    if not briefing_session_agencies_for(user=actor).filter(pk=agency.pk).exists():
        errors["agency"] = "Choose an agency you can record briefings for"
    if held_on > timezone.localdate():
        errors["held_on"] = "The date of the briefing must be today or in the past"
    location = location.strip()
    if not location:
        errors["location"] = "Enter where the briefing was held"
    people = {person.pk: person for person in attendees}
    if not people:
        errors["attendees"] = "Select at least one person who attended"
    allowed = set(
        briefing_attendee_candidates(
            user=actor, agency_ids={p.agency_id for p in people.values() if p.agency_id}
        ).values_list("pk", flat=True)
    )
    if set(people) - allowed:
        errors["attendees"] = "Select only people in the partnership's agencies"
    if errors:
        raise ValidationError(errors)

    session = BriefingSession(
        course=course, presenter=actor, agency=agency, held_on=held_on, location=location
    )
    session.full_clean()
    session.save()
    refresher_due_on = refresher_due(held_on, course)
    for person in people.values():
        attendance = BriefingAttendance(session=session, attendee=person)
        attendance.full_clean()
        attendance.save()
        record = TrainingRecord(
            user=person,
            course=course,
            completed_on=held_on,
            source=TrainingSource.BRIEFING_ATTENDANCE,
            briefing_session=session,
            refresher_due_on=refresher_due_on,
        )
        record.full_clean()
        record.save()
        audit_record(
            actor=actor,
            verb=Verb.CREATED,
            target_type="training_record",
            target_id=record.pk,
            detail={"action": "briefing_attendance", "session": session.pk, "user": person.pk},
        )
    audit_record(
        actor=actor,
        verb=Verb.CREATED,
        target_type="briefing_session",
        target_id=session.pk,
        detail={
            "course": course.code,
            "agency": agency.pk,
            "attendees": sorted(people),
        },
    )
    return session
