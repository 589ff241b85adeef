"""Named personas shared by every app's tests. All people and agencies are fictional."""

from __future__ import annotations

import pytest

from csehub.accounts.models import AgencyType, Role, User
from csehub.testing.factories import AgencyFactory, PartnershipFactory, UserFactory

# Browser tests: the `browser` and `page` fixtures (Playwright driving Debian's chromium).
pytest_plugins = ["csehub.testing.browser"]


@pytest.fixture
def partnership():
    return PartnershipFactory()


@pytest.fixture
def school(partnership):
    return AgencyFactory(
        partnership=partnership, name="Elmfield Academy", agency_type=AgencyType.SCHOOL
    )


@pytest.fixture
def police(partnership):
    return AgencyFactory(
        partnership=partnership, name="Testshire Police", agency_type=AgencyType.POLICE
    )


@pytest.fixture
def council(partnership):
    return AgencyFactory(
        partnership=partnership,
        name="Testshire Children's Services",
        agency_type=AgencyType.CHILDRENS_SOCIAL_CARE,
    )


def _persona(agency, role: Role, name: str) -> User:
    return UserFactory(agency=agency, role=role, full_name=name)


@pytest.fixture
def school_practitioner(school):
    return _persona(school, Role.PRACTITIONER, "Priya Teacher")


@pytest.fixture
def school_dsl(school):
    return _persona(school, Role.SAFEGUARDING_LEAD, "Dana Lead")


@pytest.fixture
def social_worker(council):
    return _persona(council, Role.SOCIAL_WORKER, "Sam Worker")


@pytest.fixture
def police_analyst(police):
    return _persona(police, Role.POLICE_ANALYST, "Alex Analyst")


@pytest.fixture
def partnership_admin(council):
    return _persona(council, Role.PARTNERSHIP_ADMIN, "Morgan Admin")


@pytest.fixture
def ig_officer(council):
    return _persona(council, Role.INFORMATION_GOVERNANCE, "Jordan Governance")


@pytest.fixture
def demo_database(db, settings):
    """A database made in demo mode, with the demo settings: the only place the demo loads."""
    from csehub.operations.models import Installation, InstallationMode

    settings.CSEHUB_DEMO_MODE = True
    Installation.objects.update_or_create(pk=1, defaults={"mode": InstallationMode.DEMO})
