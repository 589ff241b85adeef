"""Reminders about the panel's actions and notices, as their owners and the MACE coordinator
would notice them: each threshold emailed once however often the morning job runs, nothing
for a closed action, and never the name of the child or of the person the action is about."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from csehub.accounts.models import Role
from csehub.audit.models import AuditEvent, Verb
from csehub.deadlines import daily
from csehub.deadlines.clocks import LONDON
from csehub.deadlines.models import SentReminder
from csehub.mace import services
from csehub.mace.daily import action_reminders
from csehub.mace.models import ActionKind, ActionStatus, MeetingKind
from csehub.mace.services.reminders import action_reminders_send
from csehub.testing.factories import ChildFactory, UserFactory

pytestmark = pytest.mark.django_db

NAMES = ("Eve", "Hart", "Dee", "Dorrington")


@pytest.fixture
def coordinator(council):
    return UserFactory(agency=council, role=Role.MACE_COORDINATOR, full_name="Dan Chair")


@pytest.fixture
def item(coordinator, social_worker, school_dsl):
    panel = services.panel_create(actor=coordinator, name="Testshire MACE panel")
    meeting = services.meeting_create(
        actor=coordinator, panel=panel, kind=MeetingKind.CASE, held_on=dt.date(2026, 11, 2)
    )
    child = ChildFactory(created_by=school_dsl, given_name="Eve", family_name="Hart")
    return services.agenda_item_add(
        actor=coordinator, meeting=meeting, title="Eve Hart", child=child
    )


def _agree(coordinator, item, owner, **details):
    values = {
        "kind": ActionKind.SCHOOL_SAFETY_PLAN,
        "description": "A safety plan for Eve Hart, away from Dee Dorrington",
        "owner": owner,
        "agency": owner.agency,
        "due_on": dt.date(2026, 12, 14),
    }
    values.update(details)
    return services.action_agree(
        actor=coordinator, item=item, details=services.ActionDetails(**values)
    )


def _run(today, capture, times=1):
    for _ in range(times):
        with capture(execute=True):
            action_reminders_send(today=today)


def _sent():
    return [(m.subject, sorted(m.to)) for m in mail.outbox]


def test_the_owner_is_reminded_a_week_before_and_on_the_day_once_each(
    coordinator, item, social_worker, django_capture_on_commit_callbacks
):
    action = _agree(coordinator, item, social_worker)
    _run(dt.date(2026, 12, 6), django_capture_on_commit_callbacks)  # 8 days before: nothing
    assert mail.outbox == []

    _run(dt.date(2026, 12, 7), django_capture_on_commit_callbacks, times=2)  # the job, twice
    assert _sent() == [("CSE Hub: a MACE panel action is due soon", [social_worker.email])]
    body = mail.outbox[0].body
    assert "due on 14 December 2026, in 7 days" in body
    assert "Kind of action: School safety plan" in body
    assert "the case meeting of 2 November 2026" in body
    assert f"/mace/panel/meetings/{item.meeting_id}/#item-{item.pk}" in body
    assert not any(name in body for name in NAMES)

    _run(dt.date(2026, 12, 10), django_capture_on_commit_callbacks)  # between: nothing new
    _run(dt.date(2026, 12, 14), django_capture_on_commit_callbacks, times=2)
    assert [subject for subject, _ in _sent()][1:] == ["CSE Hub: a MACE panel action is due today"]
    assert list(SentReminder.objects.order_by("pk").values_list("key", flat=True)) == [
        f"mace_action:{action.pk}:due_soon",
        f"mace_action:{action.pk}:due_today",
    ]
    events = AuditEvent.objects.filter(verb=Verb.REMINDED).order_by("pk")
    assert [e.detail for e in events] == [{"reminder": "due_soon"}, {"reminder": "due_today"}]
    assert {(e.target_type, e.target_id, e.child_id) for e in events} == {
        ("disruption_action", str(action.pk), item.child_id)
    }


def test_an_overdue_action_is_escalated_to_the_coordinators_once_the_day_after(
    coordinator, item, social_worker, council, django_capture_on_commit_callbacks
):
    UserFactory(agency=council, role=Role.MACE_COORDINATOR, is_active=False)  # has left
    _agree(coordinator, item, social_worker, due_on=dt.date(2026, 12, 14))
    _run(dt.date(2026, 12, 15), django_capture_on_commit_callbacks, times=2)
    _run(dt.date(2026, 12, 16), django_capture_on_commit_callbacks)
    assert _sent() == [
        (
            "CSE Hub: a MACE panel action is overdue",
            sorted([social_worker.email, coordinator.email]),
        )
    ]
    body = mail.outbox[0].body
    assert "was due on 14 December 2026 and is still open" in body
    assert "Owner: Sam Worker (Testshire Children's Services)" in body
    assert not any(name in body for name in NAMES)


def test_a_notice_brings_reminders_28_days_before_it_expires_and_on_the_day(
    coordinator, item, social_worker, django_capture_on_commit_callbacks
):
    _agree(
        coordinator,
        item,
        social_worker,
        kind=ActionKind.ABDUCTION_NOTICE,
        description="Serve a child abduction warning notice on Dee Dorrington about Eve",
        due_on=dt.date(2027, 3, 1),  # reviewed later: no due reminders in this test
        served_on=dt.date(2026, 11, 3),
        expires_on=dt.date(2027, 1, 11),
    )
    _run(dt.date(2026, 12, 13), django_capture_on_commit_callbacks)  # 29 days before
    assert mail.outbox == []
    _run(dt.date(2026, 12, 14), django_capture_on_commit_callbacks, times=2)
    _run(dt.date(2027, 1, 11), django_capture_on_commit_callbacks, times=2)
    recipients = sorted([social_worker.email, coordinator.email])
    assert _sent() == [
        ("CSE Hub: a child abduction warning notice expires soon", recipients),
        ("CSE Hub: a child abduction warning notice has reached its expiry", recipients),
    ]
    soon, expired = (m.body for m in mail.outbox)
    assert "expires on 11 January 2027, in 28 days" in soon
    assert "Notice served: 3 November 2026" in soon
    assert "Kind of action: Child abduction warning notice" in soon
    assert "expires today, 11 January 2027" in expired
    assert not any(name in body for body in (soon, expired) for name in NAMES)


def test_closed_actions_bring_nothing_but_a_served_notice_still_expires(
    coordinator, item, social_worker, django_capture_on_commit_callbacks
):
    for status in (ActionStatus.DONE, ActionStatus.DROPPED):
        action = _agree(
            coordinator,
            item,
            social_worker,
            kind=ActionKind.ABDUCTION_NOTICE,
            served_on=dt.date(2026, 11, 3),
            expires_on=dt.date(2026, 12, 20),
        )
        services.action_close(actor=coordinator, action=action, status=status)
    plan = _agree(coordinator, item, social_worker)
    services.action_close(actor=coordinator, action=plan, status=ActionStatus.DONE)
    for day in (dt.date(2026, 12, 7), dt.date(2026, 12, 14), dt.date(2026, 12, 20)):
        _run(day, django_capture_on_commit_callbacks)
    # The done notice (served) still expires, so the panel hears of it; the dropped notice and
    # the done safety plan bring nothing, due dates included.
    assert [subject for subject, _ in _sent()] == [
        "CSE Hub: a child abduction warning notice expires soon",
        "CSE Hub: a child abduction warning notice has reached its expiry",
    ]
    assert SentReminder.objects.count() == 2


def test_a_notice_long_expired_is_not_announced(
    coordinator, item, social_worker, django_capture_on_commit_callbacks
):
    _agree(
        coordinator,
        item,
        social_worker,
        kind=ActionKind.ABDUCTION_NOTICE,
        due_on=dt.date(2027, 3, 1),
        served_on=dt.date(2026, 1, 3),
        expires_on=dt.date(2026, 11, 20),
    )
    _run(dt.date(2026, 12, 7), django_capture_on_commit_callbacks)
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_job_runner_sends_them_each_morning_without_anyone_asking(
    coordinator, item, social_worker
):
    assert action_reminders in list(daily._jobs)
    _agree(coordinator, item, social_worker, due_on=dt.date(2026, 12, 14))
    with time_machine.travel(dt.datetime(2026, 12, 7, 6, 0, tzinfo=LONDON), tick=False):
        call_command("worker", "--batch", verbosity=0)  # queues the 07:00 run
    assert mail.outbox == []
    with time_machine.travel(dt.datetime(2026, 12, 7, 7, 5, tzinfo=LONDON), tick=False):
        call_command("worker", "--batch", verbosity=0)
        call_command("worker", "--batch", verbosity=0)
    assert _sent() == [("CSE Hub: a MACE panel action is due soon", [social_worker.email])]
