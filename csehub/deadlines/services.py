"""Sending a reminder once, after commit, with an audit event.

Apps schedule their reminders as tasks on the job runner (django-tasks with its database
backend, decision 0019), to run when they fall due; the task re-reads the record and, if the
reminder is still needed, calls `reminder_send_once`.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from csehub.audit.models import Verb
from csehub.audit.services import audit_record

from .models import SentReminder

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    key: str  # unique for this reminder: "<record type>:<id>:<kind>"
    partnership_id: int
    subject: str
    body: str  # never a child's or suspect's details: where to look, not who
    recipients: list[str]
    target_type: str
    target_id: int
    child_id: int | None = None  # the child the reminder is about, for the audit trail


def reminder_send_once(reminder: Reminder) -> bool:
    """Record the reminder and email it after the commit. False when it was sent before (or
    there is no one to send it to): nothing is sent again."""
    if not reminder.recipients:
        return False
    try:
        with transaction.atomic():
            SentReminder.objects.create(
                partnership_id=reminder.partnership_id,
                key=reminder.key,
                recipients=len(reminder.recipients),
            )
            audit_record(
                actor=None,
                verb=Verb.REMINDED,
                target_type=reminder.target_type,
                target_id=reminder.target_id,
                partnership=reminder.partnership_id,
                child=reminder.child_id,
                detail={"reminder": reminder.key.rsplit(":", 1)[-1]},
            )
            transaction.on_commit(lambda: _send(reminder))
    except IntegrityError:
        return False  # sent already, by this worker or another
    return True


def _send(reminder: Reminder) -> None:
    try:
        send_mail(reminder.subject, reminder.body, None, reminder.recipients)
    except (smtplib.SMTPException, OSError) as error:
        # The reminder stays recorded and the work list still shows the clock.
        logger.warning("reminder %s not sent: %s", reminder.key, type(error).__name__)
