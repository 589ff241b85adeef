"""Missing episode tests: a fictional child in care, the missing coordinator, and moments in
London time on a frozen clock."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from csehub.accounts.models import Role
from csehub.missing import services
from csehub.testing.factories import ChildFactory, UserFactory

LONDON = ZoneInfo("Europe/London")
# Friday 20 November 2026, in the evening.
NOW = dt.datetime(2026, 11, 20, 21, 0, tzinfo=LONDON)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def missing_coordinator(council):
    return UserFactory(agency=council, role=Role.MISSING_COORDINATOR, full_name="Robin Coordinator")


@pytest.fixture
def child(social_worker, school_practitioner):
    return ChildFactory(
        created_by=school_practitioner,
        allocated_social_worker=social_worker,
        given_name="Tia",
        family_name="Marsh",
        date_of_birth=dt.date(2011, 4, 2),
    )


def episode_details(**overrides) -> services.EpisodeDetails:
    values: dict[str, Any] = {
        "last_seen_at": at(18, 16, 30),
        "last_seen_place": "Northgate shops",
        "last_seen_with": "an older man called Dee",
        "reported_at": at(18, 22, 0),
        "reported_by": "Residential worker at Elm House",
        "police_reference": "MP/2026/0412",
    }
    values.update(overrides)
    return services.EpisodeDetails(**values)


def return_details(**overrides) -> services.ReturnDetails:
    values: dict[str, Any] = {
        "returned_at": at(19, 9, 15),
        "returned_place": "Elm House",
        "found_by": "Came back on her own",
        "returned_with": "",
    }
    values.update(overrides)
    return services.ReturnDetails(**values)
