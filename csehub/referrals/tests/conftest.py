"""Referral tests: a school concern about a child who has a social worker, and the teams that
receive referrals. Everyone is fictional."""

from __future__ import annotations

import pytest
from django.test import TestCase

from csehub.accounts.models import Role
from csehub.referrals import services
from csehub.referrals.models import Destination
from csehub.testing.factories import ChildFactory, ConcernFactory, UserFactory

CHILD_GIVEN_NAME = "Zarelda"
CHILD_FAMILY_NAME = "Quenby"


@pytest.fixture
def child(school_practitioner, social_worker):
    return ChildFactory(
        created_by=school_practitioner,
        given_name=CHILD_GIVEN_NAME,
        family_name=CHILD_FAMILY_NAME,
        allocated_social_worker=social_worker,
    )


@pytest.fixture
def concern(school_practitioner, child):
    return ConcernFactory(raised_by=school_practitioner, child=child)


@pytest.fixture
def front_door(council):
    return UserFactory(agency=council, role=Role.FRONT_DOOR, full_name="Farah Frontdoor")


@pytest.fixture
def police_desk(police):
    return UserFactory(agency=police, role=Role.POLICE_REFERRAL_DESK, full_name="Pat Desk")


@pytest.fixture
def other_front_door(council):
    return UserFactory(agency=council, role=Role.FRONT_DOOR, full_name="Fenna Colleague")


def content(**overrides):
    values = {
        "what_was_seen": "Seen getting into a grey car with an older man after school.",
        "child_details": "Year 9 pupil.",
        "request": "Please consider a strategy discussion.",
        "risk_details": [services.RiskDetailInput("vehicle", "AB12 C?D", "grey hatchback")],
    }
    values.update(overrides)
    return services.ReferralContent(**values)


def refer(actor, concern, destination, *, agency=None):
    # The team's emails wait for the commit, which the test's own transaction never makes.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.referral_create(
            actor=actor,
            concern=concern,
            addressee=services.Addressee(destination=destination, to_agency=agency),
            content=content(),
            site_url="https://csehub.test",
        )


@pytest.fixture
def csc_referral(school_dsl, concern, council, front_door):
    return refer(school_dsl, concern, Destination.CHILDRENS_SOCIAL_CARE, agency=council)


@pytest.fixture
def police_referral(school_dsl, concern, police, police_desk):
    return refer(school_dsl, concern, Destination.POLICE_CSE_DESK, agency=police)


@pytest.fixture
def info_referral(school_dsl, concern, social_worker):
    return refer(school_dsl, concern, Destination.ALLOCATED_SOCIAL_WORKER)
