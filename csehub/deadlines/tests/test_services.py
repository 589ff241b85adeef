"""A reminder is sent once: its key is recorded, and a second attempt sends nothing."""

from __future__ import annotations

import pytest
from django.core import mail

from csehub.audit.models import AuditEvent
from csehub.deadlines.models import SentReminder
from csehub.deadlines.services import Reminder, reminder_send_once

pytestmark = pytest.mark.django_db


def _reminder(partnership, recipients):
    return Reminder(
        key="return_interview:7:overdue",
        partnership_id=partnership.pk,
        subject="CSE Hub: a return interview is overdue",
        body="See the episode.",
        recipients=recipients,
        target_type="return_interview",
        target_id=7,
    )


def test_a_reminder_is_sent_after_commit_and_only_once(
    partnership, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert reminder_send_once(_reminder(partnership, ["robin@council.test"]))
    with django_capture_on_commit_callbacks(execute=True):
        assert not reminder_send_once(_reminder(partnership, ["robin@council.test"]))
    assert [m.to for m in mail.outbox] == [["robin@council.test"]]
    assert SentReminder.objects.get().recipients == 1
    event = AuditEvent.objects.get(verb="reminded")
    assert (event.target_type, event.target_id, event.detail) == (
        "return_interview",
        "7",
        {"reminder": "overdue"},
    )


def test_a_reminder_with_no_one_to_send_to_is_not_recorded(partnership):
    assert not reminder_send_once(_reminder(partnership, []))
    assert not SentReminder.objects.exists()
