"""Return interview reminders run by themselves: queued when the return is recorded, sent by
the job runner (`csehub db_worker`) when they fall due, once, and not at all once the interview
has been offered."""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from csehub.audit.models import AuditEvent
from csehub.deadlines.models import SentReminder
from csehub.missing import services

from .conftest import NOW, at, episode_details, return_details

pytestmark = pytest.mark.django_db(transaction=True)


def _worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)


@pytest.fixture
def interview(missing_coordinator, child):
    with time_machine.travel(NOW, tick=False):
        episode = services.missing_episode_record(
            actor=missing_coordinator,
            child=child,
            details=episode_details(),
            returned=return_details(returned_at=at(20, 9)),  # due Monday 23rd, 09:00
        )
    return episode.interview


def test_the_return_queues_a_reminder_and_an_escalation(interview):
    assert sorted(DBTaskResult.objects.values_list("run_after", flat=True)) == [
        at(22, 9),
        at(23, 9),
    ]


def test_reminders_are_sent_when_due_once_and_without_the_childs_name(
    interview, missing_coordinator, social_worker
):
    with time_machine.travel(at(21, 12), tick=False):  # nothing due yet
        _worker()
    assert mail.outbox == []

    with time_machine.travel(at(22, 10), tick=False):  # within 24 hours of the deadline
        _worker()
        _worker()  # a second pass finds nothing more to do
    assert [m.subject for m in mail.outbox] == [
        "CSE Hub: a return interview is due within 24 hours"
    ]
    message = mail.outbox[0]
    assert message.to == [missing_coordinator.email]  # not the social worker
    assert "23 November 2026, 09:00" in message.body
    assert f"/missing/{interview.episode_id}/" in message.body
    assert "Tia" not in message.body and "Marsh" not in message.body

    with time_machine.travel(at(23, 9, 30), tick=False):  # overdue
        _worker()
    assert [m.subject for m in mail.outbox][1:] == ["CSE Hub: a return interview is overdue"]
    assert SentReminder.objects.count() == 2
    events = AuditEvent.objects.filter(verb="reminded").order_by("pk")
    assert [e.detail for e in events] == [{"reminder": "due_soon"}, {"reminder": "overdue"}]
    assert {e.child_id for e in events} == {interview.episode.child_id}


def test_no_escalation_once_the_interview_is_offered(interview, missing_coordinator):
    with time_machine.travel(at(21, 10), tick=False):
        services.interview_offer(
            actor=missing_coordinator, interview=interview, offered_at=at(21, 9)
        )
    with time_machine.travel(at(24, 9), tick=False):
        _worker()
    assert mail.outbox == []
    assert not SentReminder.objects.exists()
