"""API tests: the personas of the root conftest in the fictional Fernbridge partnership (whose
pathway and contact directory ship with the code), tokens, and a school's partner system."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from csehub.accounts.models import AgencyType, Role, User
from csehub.api.services import api_token_issue, partner_system_create
from csehub.pathways.services import pathway_load
from csehub.taxonomy.services import taxonomy_load
from csehub.testing.factories import (
    TEST_PASSWORD,
    AgencyFactory,
    PartnershipFactory,
    UserFactory,
)


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
    return Client(headers={"Authorization": f"Bearer {token_for(user)}"})


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


@dataclass(frozen=True)
class Persona:
    user: User
    token: str
    ids: dict[str, int | str]  # path parameter -> a real record this persona may see


@pytest.fixture
def records(
    school_practitioner,
    school_dsl,
    front_door,
    police_desk,
    police_analyst,
    taxonomy,
    fernbridge_pathway,
) -> dict[str, Persona]:
    """One fictional child with a submitted concern, a risk assessment, referrals to the front
    door and the police desk, and a signed disclosure with an addendum, all made through the
    API; and for each persona a token and the ids of those records they may see."""
    practitioner = api_client(school_practitioner)
    child = made(
        post(
            practitioner,
            "/children",
            {
                "given_name": "Kayla",
                "family_name": "Fernsby",
                "date_of_birth": "2012-03-04",
                "confirm_new_child": True,
            },
        )
    )
    concern = made(
        post(
            practitioner,
            "/concerns",
            {
                "child_id": child["id"],
                "how_known": "saw",
                "what_was_seen": "Collected from the school gate by an older man in a grey car.",
                "observed_on": "2026-01-12",
                "observed_time": "15:40",
                "vehicles": [{"plate": "YX1? ?BC", "make": "BMW", "colour": "grey"}],
                "submit": True,
            },
        )
    )
    assessment = made(
        post(
            practitioner,
            f"/concerns/{concern['id']}/assessments",
            {
                "immediate_danger": False,
                "indicators": [
                    {
                        "vocabulary": "warning_signs",
                        "code": "sex_in_exchange",
                        "what_was_seen": "Said she gets vapes for going to parties.",
                        "roughly_when": "last_week",
                    }
                ],
            },
        )
    )
    to_front_door, to_police = made(
        post(
            api_client(school_dsl),
            f"/concerns/{concern['id']}/referrals",
            {
                "destinations": [
                    {"destination": "childrens_social_care"},
                    {"destination": "police_cse_desk"},
                ]
            },
        )
    )
    disclosure = made(
        post(
            practitioner,
            "/disclosures",
            {
                "child_id": child["id"],
                "concern_id": concern["id"],
                "occurred_on": "2026-01-13",
                "occurred_time": "10:15",
                "place": "The library office",
                "childs_words": "He said I owe him now.",
                "practitioner_response": "I listened and told her she was right to tell me.",
                "who_was_told": "Dana Lead, at 10:40.",
                "password": TEST_PASSWORD,
            },
        )
    )
    made(
        post(
            api_client(school_dsl),
            f"/disclosures/{disclosure['id']}/addenda",
            {"text": "Mum told."},
        )
    )
    ids: dict[str, int | str] = {
        "child_id": child["id"],
        "concern_id": concern["id"],
        "assessment_id": assessment["id"],
        "referral_id": to_front_door["id"],
        "disclosure_id": disclosure["id"],
        "code": "warning_signs",
    }
    personas = {
        "school_practitioner": (school_practitioner, {}),
        "school_dsl": (school_dsl, {}),
        "front_door": (front_door, {}),
        "police_desk": (police_desk, {"referral_id": to_police["id"]}),
        "police_analyst": (police_analyst, {}),
    }
    return {
        name: Persona(user=user, token=token_for(user), ids={**ids, **own})
        for name, (user, own) in personas.items()
    }


def token_for(user) -> str:
    _, token = api_token_issue(actor=user, user=user, name="tests", days=30)
    return token


def made(response):
    assert response.status_code in (200, 201), response.content
    return response.json()
