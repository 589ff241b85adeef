"""Reminders about the panel's disruption actions, sent by the job runner each morning.

For each open action: its owner is told 7 days before the due date and on the day; the day
after, the owner and the partnership's MACE coordinators are told it is overdue (the meeting's
agenda picks it up too). A child abduction warning notice with an expiry date brings the owner
and the coordinators a reminder 28 days before it expires and on the day, while its action is
open or done (served), not once it is dropped.

Each reminder has its own key (`mace_action:<id>:<threshold>`), so it goes once however often
the job runs (deadlines.services.reminder_send_once: audited, emailed after the commit). A run
that missed days sends the threshold that matters now, not every one it passed. The email
names the kind of action, its dates and where to look; never the child, the person it is about
or the action's description, which may name them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from csehub.access.permissions import ROLE_PERMISSIONS, Permission
from csehub.accounts.models import User
from csehub.deadlines.clocks import days_after, days_until
from csehub.deadlines.services import Reminder, reminder_send_once

from ..models import ActionKind, ActionStatus, DisruptionAction

DUE_SOON_DAYS = 7
NOTICE_EXPIRING_DAYS = 28
EXPIRED_LATE_DAYS = 7  # a run that missed the expiry day still says so within a week

DUE_SOON = "due_soon"
DUE_TODAY = "due_today"
OVERDUE = "overdue"
NOTICE_EXPIRING = "notice_expiring"
NOTICE_EXPIRED = "notice_expired"


@dataclass(frozen=True)
class Threshold:
    key: str
    subject: str
    to_coordinators: bool


THRESHOLDS = {
    DUE_SOON: Threshold(DUE_SOON, "CSE Hub: a MACE panel action is due soon", False),
    DUE_TODAY: Threshold(DUE_TODAY, "CSE Hub: a MACE panel action is due today", False),
    OVERDUE: Threshold(OVERDUE, "CSE Hub: a MACE panel action is overdue", True),
    NOTICE_EXPIRING: Threshold(
        NOTICE_EXPIRING, "CSE Hub: a child abduction warning notice expires soon", True
    ),
    NOTICE_EXPIRED: Threshold(
        NOTICE_EXPIRED, "CSE Hub: a child abduction warning notice has reached its expiry", True
    ),
}


def due_threshold(*, due_on: dt.date, today: dt.date) -> str | None:
    """The due-date reminder that matters today, if any."""
    days_left = days_until(due_on, today)
    if days_left < 0:
        return OVERDUE
    if days_left == 0:
        return DUE_TODAY
    if days_left <= DUE_SOON_DAYS:
        return DUE_SOON
    return None


def notice_threshold(*, expires_on: dt.date, today: dt.date) -> str | None:
    """The expiry reminder that matters today for a notice, if any."""
    days_left = days_until(expires_on, today)
    if days_left < -EXPIRED_LATE_DAYS:
        return None  # long past: a first run after years must not announce old expiries
    if days_left <= 0:
        return NOTICE_EXPIRED
    if days_left <= NOTICE_EXPIRING_DAYS:
        return NOTICE_EXPIRING
    return None


def _coordinator_emails(partnership_id: int) -> list[str]:
    runs_panel = [
        role for role, given in ROLE_PERMISSIONS.items() if Permission.RUN_MACE_PANEL in given
    ]
    return list(
        User.objects.filter(partnership_id=partnership_id, role__in=runs_panel, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )


def _recipients(action: DisruptionAction, threshold: Threshold) -> list[str]:
    found = [action.owner.email] if action.owner.is_active and action.owner.email else []
    if threshold.to_coordinators:
        found += _coordinator_emails(action.partnership_id)
    return list(dict.fromkeys(found))


def _body(action: DisruptionAction, threshold: Threshold, today: dt.date) -> str:
    item = action.agreed_at
    base = (getattr(settings, "CSEHUB_SITE_URL", "") or "").rstrip("/")
    return render_to_string(
        "mace/email/action_reminder.txt",
        {
            "threshold": threshold.key,
            "action": action,
            "meeting": item.meeting,
            "days_left": days_until(action.due_on, today),
            "days_to_expiry": days_until(action.expires_on, today) if action.expires_on else None,
            "link": base + reverse("mace:meeting", args=[item.meeting_id]) + f"#item-{item.pk}",
        },
    )


def _send(action: DisruptionAction, key: str, today: dt.date) -> bool:
    threshold = THRESHOLDS[key]
    return reminder_send_once(
        Reminder(
            key=f"mace_action:{action.pk}:{key}",
            partnership_id=action.partnership_id,
            subject=threshold.subject,
            body=_body(action, threshold, today),
            recipients=_recipients(action, threshold),
            target_type="disruption_action",
            target_id=action.pk,
            child_id=action.agreed_at.child_id,
        )
    )


def action_reminders_send(*, today: dt.date) -> int:
    """Send today's reminders about open actions, each once. Returns how many went."""
    due = Q(due_on__lte=days_after(today, DUE_SOON_DAYS))
    expiring = Q(
        kind=ActionKind.ABDUCTION_NOTICE,
        expires_on__lte=days_after(today, NOTICE_EXPIRING_DAYS),
    )
    # A notice served lives on after its action is done: the panel must decide, before it
    # expires, whether to seek another. A dropped action's notice brings nothing.
    actions = (
        DisruptionAction.objects.filter(
            (due & Q(status=ActionStatus.OPEN))
            | (expiring & Q(status__in=(ActionStatus.OPEN, ActionStatus.DONE)))
        )
        .select_related("owner", "agency", "agreed_at__meeting")
        .order_by("pk")
    )
    sent = 0
    for action in actions:
        keys = []
        if action.status == ActionStatus.OPEN:
            keys.append(due_threshold(due_on=action.due_on, today=today))
        if action.kind == ActionKind.ABDUCTION_NOTICE and action.expires_on is not None:
            keys.append(notice_threshold(expires_on=action.expires_on, today=today))
        for key in keys:
            if key is not None and _send(action, key, today):
                sent += 1
    return sent
