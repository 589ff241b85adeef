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
def _reminder_send_once(*, record: TrainingRecord, days_before: int, today: dt.date) -> bool:
    """Record the reminder, then send it: a second run finds the row and sends nothing."""
    if RefresherReminder.objects.filter(record=record, days_before=days_before).exists():
        return False
    reminder = RefresherReminder(record=record, days_before=days_before)
    reminder.full_clean()
    try:
        with transaction.atomic():
            reminder.save()
    except IntegrityError:
        return False  # another run got there first
    # A failed send raises, which rolls the row back so tomorrow's run tries again.
    _reminder_email(record=record, today=today)
    audit_record(
        actor=None,
        verb=Verb.CREATED,
        target_type="refresher_reminder",
        target_id=reminder.pk,
        detail={"record": record.pk, "days_before": days_before},
    )
    return True


def refresher_reminders_send(*, today: dt.date | None = None) -> int:
    """Email everyone whose refresher falls due in 60, 30 or 0 days (or has passed), once per
    threshold. Meant for a daily cron job (`csehub learning remind`). Returns how many went."""
    today = today or timezone.localdate()
    sent = 0
    for record in refresher_records_latest():
        days_before = reminder_threshold_for(due_on=record.refresher_due_on, today=today)
        if days_before is None:
            continue
        try:
            if _reminder_send_once(record=record, days_before=days_before, today=today):
                sent += 1
        except (OSError, smtplib.SMTPException) as error:
            logger.warning(
                "Refresher reminder for record %s not sent: %s", record.pk, type(error).__name__
            )
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
