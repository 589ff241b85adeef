"""Reminders about return interviews, run by the job runner when they fall due.

When a return is recorded, two tasks are queued after the commit: a reminder 24 hours before
the interview is due, and an escalation when it becomes overdue. Each re-reads the interview
and sends only if it is still not offered; each is sent at most once (deadlines.services).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from csehub.accounts.models import Role, User
from csehub.deadlines.services import Reminder, reminder_send_once

from .models import InterviewStatus, ReturnInterview

DUE_SOON = "due_soon"
OVERDUE = "overdue"
WARN_BEFORE = dt.timedelta(hours=24)

SUBJECTS = {
    DUE_SOON: "CSE Hub: a return interview is due within 24 hours",
    OVERDUE: "CSE Hub: a return interview is overdue",
}


def interview_reminders_enqueue(interview: ReturnInterview) -> None:
    """Queue the interview's reminder and escalation (call after the commit)."""
    interview_reminder.using(run_after=interview.due_by - WARN_BEFORE).enqueue(
        interview.pk, DUE_SOON
    )
    interview_reminder.using(run_after=interview.due_by).enqueue(interview.pk, OVERDUE)


@task()
def interview_reminder(interview_id: int, kind: str) -> str:
    """Remind the missing coordinators, if the interview has still not been offered."""
    interview = ReturnInterview.objects.select_related("episode").filter(pk=interview_id).first()
    now = timezone.now()
    if interview is None or interview.status != InterviewStatus.DUE:
        return "not needed"
    if (kind == OVERDUE and now <= interview.due_by) or (
        kind == DUE_SOON and now < interview.due_by - WARN_BEFORE
    ):
        return "not yet"  # run before its time (by hand, say): nothing is due yet
    recipients = list(
        User.objects.filter(
            role=Role.MISSING_COORDINATOR,
            is_active=True,
            agency__partnership_id=interview.partnership_id,
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    base = (getattr(settings, "CSEHUB_SITE_URL", "") or "").rstrip("/")
    body = render_to_string(
        "missing/email/interview_reminder.txt",
        {
            "overdue": kind == OVERDUE,
            "due_by": timezone.localtime(interview.due_by),
            "link": base + reverse("missing:detail", kwargs={"pk": interview.episode_id}),
        },
    )
    sent = reminder_send_once(
        Reminder(
            key=f"return_interview:{interview.pk}:{kind}",
            partnership_id=interview.partnership_id,
            subject=SUBJECTS[kind],
            body=body,
            recipients=recipients,
            target_type="return_interview",
            target_id=interview.pk,
            child_id=interview.episode.child_id,
        )
    )
    return "sent" if sent else "sent before"
