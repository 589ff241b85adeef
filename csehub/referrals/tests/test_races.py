"""Two members of the receiving team (or one double click) moving the same referral at once.

Real threads and real transactions: each session loads the referral before the other commits,
as two open pages do, then both press the same button.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from csehub.referrals import services
from csehub.referrals.models import (
    Destination,
    Notification,
    NotificationVerb,
    Referral,
    ReferralOutcome,
    ReferralState,
    ReferralTransition,
)
from csehub.testing.factories import ConcernFactory
from csehub.testing.races import Ready, sessions_at_once

from .conftest import refer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def referral(school_dsl, child, council, front_door):
    # The lead raised the concern and referred it, so one person hears of each step.
    concern = ConcernFactory(raised_by=school_dsl, child=child)
    made = refer(school_dsl, concern, Destination.CHILDRENS_SOCIAL_CARE, agency=council)
    mail.outbox.clear()
    return made


def _receive(actor, pk: int):
    def session(ready: Ready) -> object:
        referral = Referral.objects.get(pk=pk)  # what the page loaded
        ready()
        return services.referral_receive(
            actor=actor, referral=referral, site_url="https://csehub.test"
        )

    return session


def _record_outcome(actor, pk: int):
    def session(ready: Ready) -> object:
        referral = Referral.objects.get(pk=pk)
        ready()
        return services.referral_outcome_record(
            actor=actor,
            referral=referral,
            outcome=ReferralOutcome.ASSESSMENT,
            reason="A social worker will assess.",
            site_url="https://csehub.test",
        )

    return session


def _one_won(outcomes: list[object], message: str) -> None:
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], ValidationError), repr(errors[0])
    assert message in str(errors[0])


def test_two_people_receiving_at_once_make_one_step_and_one_email(
    referral, front_door, other_front_door, school_dsl
):
    outcomes = sessions_at_once(
        _receive(front_door, referral.pk), _receive(other_front_door, referral.pk)
    )

    _one_won(outcomes, "This referral has already been received")
    received = ReferralTransition.objects.filter(referral=referral, to_state=ReferralState.RECEIVED)
    assert received.count() == 1
    assert Referral.objects.get(pk=referral.pk).state == ReferralState.RECEIVED
    assert Notification.objects.filter(verb=NotificationVerb.REFERRAL_PROGRESS).count() == 1
    assert [m.to for m in mail.outbox] == [[school_dsl.email]]


def test_a_double_click_on_the_outcome_records_it_once(referral, front_door, school_dsl):
    services.referral_receive(actor=front_door, referral=referral)
    services.referral_screen(actor=front_door, referral=referral)
    mail.outbox.clear()

    outcomes = sessions_at_once(
        _record_outcome(front_door, referral.pk), _record_outcome(front_door, referral.pk)
    )

    _one_won(outcomes, "An outcome has already been recorded on this referral")
    assert (
        ReferralTransition.objects.filter(
            referral=referral, to_state=ReferralState.OUTCOME_RECORDED
        ).count()
        == 1
    )
    assert Notification.objects.filter(verb=NotificationVerb.REFERRAL_OUTCOME).count() == 1
    assert [m.to for m in mail.outbox] == [[school_dsl.email]]
