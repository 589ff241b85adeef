"""Training records: refresher reminders, and the audit of who looked at compliance.

The records themselves are written where training happens (services.workbook on confirmation,
services.briefing on attendance); this module only reads them to remind people in time.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from csehub.accounts.models import User
from csehub.audit.models import Verb
from csehub.audit.services import audit_record

from ..models import RefresherReminder, TrainingRecord
from ..selectors.records import refresher_records_latest

logger = logging.getLogger(__name__)

# Days before the refresher date at which a reminder goes out (0: on the day, or once overdue).
REMINDER_THRESHOLDS = (60, 30, 0)


def reminder_threshold_for(*, due_on: dt.date, today: dt.date) -> int | None:
    """The nearest threshold reached: a run that missed a few days sends the one that matters
    now rather than every one it passed."""
    days_left = (due_on - today).days
    reached = [days for days in REMINDER_THRESHOLDS if days_left <= days]
    return min(reached) if reached else None


def _reminder_email(*, record: TrainingRecord, today: dt.date) -> None:
    person = record.user
    partnership = person.partnership
    site = (getattr(settings, "CSEHUB_SITE_URL", "") or "").rstrip("/")
    due = record.refresher_due_on
    send_mail(
        subject=f"Training refresher due: {record.course.title}",
        message=render_to_string(
            "learning/email/refresher_reminder.txt",
            {
                "person": person,
                "course": record.course,
                "due_text": f"{due.day} {due:%B %Y}",
                "days_left": (due - today).days,
                "link": site + reverse("learning:my-training"),
                "partnership_name": partnership.name if partnership else "CSE Hub",
            },
        ),
        from_email=None,
        recipient_list=[person.email],
    )


@transaction.atomic
def _reminder_record(*, record: TrainingRecord, days_before: int) -> RefresherReminder | None:
    """The row that says this reminder has gone; None when a run has already made it."""
    if RefresherReminder.objects.filter(record=record, days_before=days_before).exists():
        return None
    reminder = RefresherReminder(record=record, days_before=days_before)
    reminder.full_clean()
    try:
        with transaction.atomic():
            reminder.save()
    except IntegrityError:
        return None  # another run got there first
    audit_record(
        actor=None,
        verb=Verb.CREATED,
        target_type="refresher_reminder",
        target_id=reminder.pk,
        detail={"record": record.pk, "days_before": days_before},
        partnership=record.user.partnership_id,
    )
    return reminder


@transaction.atomic
def _reminder_withdraw(*, reminder: RefresherReminder) -> None:
    """The email could not be sent: remove the row so tomorrow's run tries again."""
    audit_record(
        actor=None,
        verb=Verb.DEACTIVATED,
        target_type="refresher_reminder",
        target_id=reminder.pk,
        detail={"record": reminder.record_id, "action": "withdrawn", "reason": "not_sent"},
        partnership=reminder.record.user.partnership_id,
    )
    reminder.delete()


def _reminder_deliver(*, reminder: RefresherReminder, today: dt.date) -> bool:
    try:
        _reminder_email(record=reminder.record, today=today)
    except (OSError, smtplib.SMTPException) as error:
        logger.warning(
            "Refresher reminder for record %s not sent: %s",
            reminder.record_id,
            type(error).__name__,
        )
        _reminder_withdraw(reminder=reminder)
        return False
    return True


def _reminder_send_once(*, record: TrainingRecord, days_before: int, today: dt.date) -> bool:
    """Record the reminder, then email it once the row has committed: a second run finds the
    row and sends nothing, and nobody is emailed about a row that was rolled back."""
    delivered: list[bool] = []
    with transaction.atomic():
        reminder = _reminder_record(record=record, days_before=days_before)
        if reminder is None:
            return False
        transaction.on_commit(
            lambda: delivered.append(_reminder_deliver(reminder=reminder, today=today))
        )
    # Inside a caller's transaction the email waits for that commit: count it as going.
    return all(delivered)


def refresher_reminders_send(*, today: dt.date | None = None) -> int:
    """Email everyone whose refresher falls due in 60, 30 or 0 days (or has passed), once per
    threshold. Meant for a daily cron job (`csehub learning remind`). Returns how many went."""
    today = today or timezone.localdate()
    sent = 0
    for record in refresher_records_latest():
        days_before = reminder_threshold_for(due_on=record.refresher_due_on, today=today)
        if days_before is None:
            continue
        if _reminder_send_once(record=record, days_before=days_before, today=today):
            sent += 1
    return sent


@transaction.atomic
def compliance_view_record(*, actor: User, filter_names: list[str]) -> None:
    audit_record(
        actor=actor,
        verb=Verb.VIEWED,
        target_type="training_compliance",
        detail={"filters": sorted(filter_names)},
    )


@transaction.atomic
def compliance_export_record(*, actor: User, filter_names: list[str], row_count: int) -> None:
    audit_record(
        actor=actor,
        verb=Verb.EXPORTED,
        target_type="training_compliance",
        detail={"filters": sorted(filter_names), "rows": row_count},
    )
