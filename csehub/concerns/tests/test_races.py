"""Submitting the same concern twice at once (a double click, or two open tabs).

Real threads and real transactions: each session loads the draft before the other commits, as
an open page does, then both submit. The concern mentions a phone already linked to another
child, so a submission raises an alert and emails the CSE team: once, not twice.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from csehub.audit.models import AuditEvent
from csehub.concerns import services
from csehub.concerns.models import Concern, ConcernPhone, ConcernStatus
from csehub.linking.models import Alert
from csehub.testing.factories import ChildFactory
from csehub.testing.races import Ready, sessions_at_once

pytestmark = pytest.mark.django_db(transaction=True)

SHARED_PHONE = "07700 900123"


def _answers() -> services.ConcernAnswers:
    return services.ConcernAnswers(
        how_known="saw",
        what_was_seen="Picked up from school by an older man in a grey car.",
        observed_on=dt.date.today() - dt.timedelta(days=1),
        involved=services.Involved(phones=[{"number": SHARED_PHONE}]),
    )


@pytest.fixture
def draft(school_practitioner, police_analyst):
    earlier = services.concern_create(
        actor=school_practitioner,
        child=ChildFactory(created_by=school_practitioner, given_name="Wren"),
    )
    services.concern_submit(actor=school_practitioner, concern=earlier, answers=_answers())
    concern = services.concern_create(
        actor=school_practitioner,
        child=ChildFactory(created_by=school_practitioner, given_name="Juniper"),
    )
    mail.outbox.clear()
    return concern


def _submit(actor, pk: int):
    def session(ready: Ready) -> object:
        concern = Concern.objects.get(pk=pk)  # what the page loaded: still a draft
        ready()
        return services.concern_submit(actor=actor, concern=concern, answers=_answers())

    return session


def _submissions(concern: Concern) -> int:
    return sum(
        1
        for event in AuditEvent.objects.filter(target_type="concern", target_id=str(concern.pk))
        if event.detail.get("status") == "submitted"
    )


def test_a_double_submit_submits_once_and_alerts_once(draft, school_practitioner, police_analyst):
    outcomes = sessions_at_once(
        _submit(school_practitioner, draft.pk), _submit(school_practitioner, draft.pk)
    )

    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], ValidationError), repr(errors[0])
    assert "This concern has already been submitted" in str(errors[0])
    assert Concern.objects.get(pk=draft.pk).status == ConcernStatus.SUBMITTED
    assert _submissions(draft) == 1
    assert ConcernPhone.objects.filter(concern=draft).count() == 1
    assert Alert.objects.count() == 1
    assert [m.to for m in mail.outbox] == [[police_analyst.email]]
