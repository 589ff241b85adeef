"""Children and concerns tests share the taxonomy and a few more personas."""

from __future__ import annotations

import pytest

from csehub.accounts.models import AgencyType, Role
from csehub.taxonomy.services import taxonomy_load
from csehub.testing.factories import AgencyFactory, UserFactory


@pytest.fixture
def taxonomy(db):
    taxonomy_load(actor=None)


@pytest.fixture
def other_school(partnership):
    return AgencyFactory(
        partnership=partnership, name="Brookside High School", agency_type=AgencyType.SCHOOL
    )


@pytest.fixture
def other_practitioner(other_school):
    return UserFactory(agency=other_school, role=Role.PRACTITIONER, full_name="Owen Other")


@pytest.fixture
def front_door(council):
    return UserFactory(agency=council, role=Role.FRONT_DOOR, full_name="Farah Frontdoor")


@pytest.fixture
def police_desk(police):
    return UserFactory(agency=police, role=Role.POLICE_REFERRAL_DESK, full_name="Pat Desk")
