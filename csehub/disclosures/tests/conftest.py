"""Disclosure tests: a fictional child at the school, and a practitioner who records."""

from __future__ import annotations

import datetime as dt

import pytest

from csehub.disclosures import services
from csehub.testing.factories import TEST_PASSWORD, ChildFactory

CHILDS_WORDS = 'He said "you owe me now" and took my phone.\n  Then he laughed.'


@pytest.fixture
def child(school_practitioner, social_worker):
    return ChildFactory(created_by=school_practitioner, allocated_social_worker=social_worker)


def details(**overrides):
    values = {
        "occurred_on": dt.date(2026, 11, 20),
        "occurred_time": dt.time(10, 15),
        "place": "The library office",
        "who_was_present": "No one else.",
        "childs_words": CHILDS_WORDS,
        "practitioner_response": "I listened, said she was right to tell me, and explained I "
        "would tell the safeguarding lead.",
        "who_was_told": "Dana Lead, at 10:40.",
    }
    values.update(overrides)
    return services.DisclosureDetails(**values)


@pytest.fixture
def signed(school_practitioner, child):
    return services.disclosure_create(
        actor=school_practitioner,
        child=child,
        details=details(),
        sign_with_password=TEST_PASSWORD,
    )
