"""The demo partnership has referrals in every state, some overdue, and a signed disclosure."""

from __future__ import annotations

import pytest

from csehub.accounts.models import Partnership
from csehub.disclosures.models import Addendum, Disclosure
from csehub.operations.demo import demo_load
from csehub.referrals.demo import demo_referrals_and_disclosures
from csehub.referrals.models import Referral, ReferralOutcome, ReferralState

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_database")]


def test_the_demo_has_referrals_in_every_state_and_a_signed_disclosure():
    demo_load()
    referrals = list(Referral.objects.all())
    assert {r.state for r in referrals} == set(ReferralState.values)
    assert {r.outcome for r in referrals if r.outcome} == set(ReferralOutcome.values)
    assert any(r.is_overdue for r in referrals)
    assert any(r.is_open and not r.is_overdue for r in referrals)
    disclosure = Disclosure.objects.get()
    assert disclosure.is_signed
    assert Addendum.objects.filter(disclosure=disclosure).count() == 1


def test_loading_the_demo_again_doubles_nothing():
    demo_load()
    counts = (Referral.objects.count(), Disclosure.objects.count(), Addendum.objects.count())
    demo_referrals_and_disclosures(Partnership.objects.get(slug="fernbridge"))
    assert (
        Referral.objects.count(),
        Disclosure.objects.count(),
        Addendum.objects.count(),
    ) == counts
