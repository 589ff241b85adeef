"""Notification emails go out only once the step they announce has been committed.

Real transactions (not the test's usual wrapping one), so "after commit" means a real commit.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from csehub.referrals import services
from csehub.referrals.models import (
    Destination,
    Notification,
    NotificationVerb,
    Referral,
    ReferralState,
)

from .conftest import content, refer

pytestmark = pytest.mark.django_db(transaction=True)


class _Abandoned(Exception):
    """Something later in the same transaction failed, so everything in it is undone."""


@pytest.fixture
def referral(school_dsl, concern, council, front_door):
    made = refer(school_dsl, concern, Destination.CHILDRENS_SOCIAL_CARE, agency=council)
    mail.outbox.clear()
    return made


def test_no_email_when_the_step_is_rolled_back(referral, front_door):
    with pytest.raises(_Abandoned), transaction.atomic():
        services.referral_receive(actor=front_door, referral=referral)
        raise _Abandoned

    assert mail.outbox == []
    assert not Notification.objects.filter(verb=NotificationVerb.REFERRAL_PROGRESS).exists()
    assert Referral.objects.get(pk=referral.pk).state == ReferralState.SUBMITTED


def test_the_email_goes_once_the_step_is_committed(referral, front_door, school_dsl):
    with transaction.atomic():
        services.referral_receive(actor=front_door, referral=referral)
        assert mail.outbox == []  # not yet: the step could still be undone

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [school_dsl.email, referral.concern.raised_by.email]
    )


def test_a_new_referral_tells_the_team_only_once_it_is_committed(
    school_dsl, concern, council, front_door
):
    def send() -> None:
        services.referral_create(
            actor=school_dsl,
            concern=concern,
            addressee=services.Addressee(Destination.CHILDRENS_SOCIAL_CARE, council),
            content=content(),
        )

    with pytest.raises(_Abandoned), transaction.atomic():
        send()
        raise _Abandoned
    assert mail.outbox == []

    send()
    assert [m.to for m in mail.outbox] == [[front_door.email]]
