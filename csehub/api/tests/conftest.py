"""API tests: the personas of the root conftest in the fictional Fernbridge partnership (whose
pathway and contact directory ship with the code), tokens, and a school's partner system."""

from __future__ import annotations

import pytest
from django.test import Client

from csehub.accounts.models import AgencyType, Role
from csehub.api.services import api_token_issue, partner_system_create
from csehub.pathways.services import pathway_load
from csehub.taxonomy.services import taxonomy_load
from csehub.testing.factories import AgencyFactory, PartnershipFactory, UserFactory


@pytest.fixture
def partnership(db):
    return PartnershipFactory(
        slug="fernbridge", name="Fernbridge Safeguarding Children Partnership"
    )


@pytest.fixture
def taxonomy(db):
    taxonomy_load(actor=None)


@pytest.fixture
def fernbridge_pathway(partnership):
    return pathway_load(slug="fernbridge")


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


@pytest.fixture
def school_system(school, partnership_admin):
    """The school's management information system, acting as its safeguarding lead would."""
    return partner_system_create(
        actor=partnership_admin,
        name="Elmfield Academy MIS",
        email="mis@elmfield.example",
        agency=school,
        role=Role.SAFEGUARDING_LEAD,
    )


def api_client(user) -> Client:
    """A Django test client that sends a fresh bearer token for `user` with every request."""
    _, token = api_token_issue(actor=user, user=user, name="tests", days=30)
    return Client(headers={"Authorization": f"Bearer {token}"})


def post(client: Client, path: str, body: dict | None = None):
    return client.post(f"/api/v1{path}", body or {}, content_type="application/json")


def put(client: Client, path: str, body: dict):
    return client.put(f"/api/v1{path}", body, content_type="application/json")


def get(client: Client, path: str, **params):
    return client.get(f"/api/v1{path}", params)


def problems(response) -> dict[str, str]:
    """A 422's problems as {"field.path": message}, the field path after body/payload."""
    found = {}
    for problem in response.json()["detail"]:
        loc = [str(part) for part in problem["loc"]]
        found[".".join(loc[2:]) or "body"] = problem["msg"]
    return found
