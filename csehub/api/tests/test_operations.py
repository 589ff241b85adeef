"""The API's role x operation matrix, with real tokens, and how tokens are checked."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from csehub.access.permissions import ROLE_PERMISSIONS, Permission
from csehub.access.policy import URL_POLICY, Open
from csehub.accounts.models import AgencyType, Role
from csehub.api.operations import PERMISSION_ATTRIBUTE
from csehub.api.services import api_token_issue, api_token_revoke
from csehub.api.v1 import api
from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.concerns.services import risk_assessment_create
from csehub.disclosures.models import Disclosure
from csehub.referrals.models import Destination, Referral
from csehub.taxonomy.services import taxonomy_load
from csehub.testing.factories import AgencyFactory, ChildFactory, ConcernFactory, UserFactory

from .conftest import api_client, post

pytestmark = pytest.mark.django_db


def _operations():
    """(view name, method, path, permission or None) for every operation of API v1."""
    found = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                permission = getattr(operation.view_func, PERMISSION_ATTRIBUTE, None)
                name = f"api-v1:{operation.url_name}"
                for method in operation.methods:
                    found.append((name, method, f"{prefix}{path}", permission))
    return found


OPERATIONS = _operations()


def _token_for(user) -> str:
    _, full = api_token_issue(actor=user, user=user, name="test", days=30)
    return full


def _get(path: str, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client().get(f"/api/v1{path}", headers=headers)


def test_every_api_operation_is_in_the_url_policy_as_an_api_route():
    for name, *_ in OPERATIONS:
        assert URL_POLICY.get(name) is Open.API, name


def _records_of(user):
    """Path parameters naming records the user made (a child, a concern and its assessment, a
    referral, a draft disclosure), so an operation has something real to find."""
    child = ChildFactory(created_by=user)
    concern = ConcernFactory(raised_by=user, child=child)
    assessment = risk_assessment_create(
        actor=user, concern=concern, immediate_danger=False, observations=[]
    )
    front_door = AgencyFactory(
        partnership=user.agency.partnership, agency_type=AgencyType.CHILDRENS_SOCIAL_CARE
    )
    referral = Referral.objects.create(
        partnership=user.agency.partnership,
        concern=concern,
        child=child,
        destination=Destination.CHILDRENS_SOCIAL_CARE,
        to_agency=front_door,
        referred_by=user,
        referring_agency=user.agency,
        what_was_seen="Seen getting into a car with an older man.",
        due_at=timezone.now() + timedelta(days=1),
    )
    disclosure = Disclosure.objects.create(child=child, recorded_by=user, agency=user.agency)
    return {
        "{code}": "safeguard_areas",
        "{child_id}": str(child.pk),
        "{concern_id}": str(concern.pk),
        "{assessment_id}": str(assessment.pk),
        "{referral_id}": str(referral.pk),
        "{disclosure_id}": str(disclosure.pk),
    }


# Where a role holds the permission but the record is out of its scope (the police desk sees
# only what is referred to it) or nothing is loaded (a new partnership has no pathway yet), the
# answer is 404, as for a record that does not exist.
NOT_FOUND_ALLOWED = {
    ("/children/{child_id}", Role.POLICE_REFERRAL_DESK),
    ("/children/{child_id}/chronology", Role.POLICE_REFERRAL_DESK),
    ("/concerns/{concern_id}", Role.POLICE_REFERRAL_DESK),
    ("/concerns/{concern_id}/assessments", Role.POLICE_REFERRAL_DESK),
    ("/assessments/{assessment_id}", Role.POLICE_REFERRAL_DESK),
    *(("/pathway", role) for role in Role),
    *(("/contacts/now", role) for role in Role),
}


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize(
    "operation", [o for o in OPERATIONS if o[1] == "GET"], ids=lambda o: f"{o[1]} {o[2]}"
)
def test_each_role_gets_exactly_the_operations_its_permissions_give(operation, role):
    _, _, path, permission = operation
    if "vocabular" in path:
        taxonomy_load()
    user = UserFactory(role=role, agency=AgencyFactory())
    concrete = path
    if "{" in path:
        for placeholder, value in _records_of(user).items():
            concrete = concrete.replace(placeholder, value)
    assert "{" not in concrete, f"add a record for {path} to _records_of"
    response = _get(concrete, _token_for(user))
    if permission is not None and permission not in ROLE_PERMISSIONS[role]:
        assert response.status_code == 403
        assert AuditEvent.objects.filter(actor=user, outcome=Outcome.DENIED).exists()
    elif (path, role) in NOT_FOUND_ALLOWED:
        assert response.status_code in (200, 404), response.content
    else:
        assert response.status_code == 200, response.content


# A body of the right shape for each write, so the permission check is what answers.
WRITE_BODIES: dict[str, dict] = {
    "/children": {"given_name": "Robin", "age_not_known": True},
    "/children/{child_id}": {"given_name": "Robin", "age_not_known": True},
    "/concerns": {"child_id": "{child_id}"},
    "/concerns/{concern_id}": {},
    "/concerns/{concern_id}/submit": {},
    "/concerns/{concern_id}/assessments": {"immediate_danger": False},
    "/assessments/{assessment_id}/judgement": {
        "judgement_level": "high_risk",
        "judgement_rationale": "Seen with older men twice this week.",
    },
    "/pathway/walk": {},
    "/concerns/{concern_id}/referrals": {
        "destinations": [{"destination": "childrens_social_care"}]
    },
    "/referrals/{referral_id}/receive": {},
    "/referrals/{referral_id}/screen": {},
    "/referrals/{referral_id}/outcome": {"outcome": "assessment", "reason": "Needs assessing."},
    "/disclosures": {"child_id": "{child_id}"},
    "/disclosures/{disclosure_id}": {},
    "/disclosures/{disclosure_id}/sign": {"password": "not-the-password"},
    "/disclosures/{disclosure_id}/addenda": {"text": "Later information."},
}


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize(
    "operation", [o for o in OPERATIONS if o[1] != "GET"], ids=lambda o: f"{o[1]} {o[2]}"
)
def test_each_role_may_write_exactly_what_its_permissions_give(operation, role):
    _, method, path, permission = operation
    assert path in WRITE_BODIES, f"add a body for {method} {path} to WRITE_BODIES"
    user = UserFactory(role=role, agency=AgencyFactory())
    records = _records_of(user)
    concrete = path
    for placeholder, value in records.items():
        concrete = concrete.replace(placeholder, value)
    body = {
        key: int(records[value]) if isinstance(value, str) and value in records else value
        for key, value in WRITE_BODIES[path].items()
    }
    _, token = api_token_issue(actor=user, user=user, name="test", days=30)
    response = Client().generic(
        method,
        f"/api/v1{concrete}",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    if permission is not None and permission not in ROLE_PERMISSIONS[role]:
        assert response.status_code == 403, response.content
        assert AuditEvent.objects.filter(actor=user, outcome=Outcome.DENIED).exists()
    else:
        assert response.status_code != 403, response.content
        assert response.status_code < 500


def test_me_describes_the_token_owner(school_practitioner):
    body = _get("/me", _token_for(school_practitioner)).json()
    assert body["name"] == "Priya Teacher"
    assert body["role"] == Role.PRACTITIONER
    assert Permission.VIEW_GUIDANCE in body["permissions"]
    assert Permission.MANAGE_USERS not in body["permissions"]


def test_a_vocabulary_lists_its_items(school_practitioner):
    taxonomy_load()
    body = _get("/vocabularies/safeguard_areas", _token_for(school_practitioner)).json()
    assert len(body["items"]) == 9
    assert _get("/vocabularies/nothing_here", _token_for(school_practitioner)).status_code == 404


@pytest.mark.parametrize(
    "token",
    ["", "not-a-token", "csehub_0123456789_wrongsecret", "Basic abc"],
)
def test_missing_or_malformed_tokens_are_refused(token):
    assert _get("/me", token or None).status_code == 401


def test_a_token_with_the_wrong_secret_is_refused_and_audited(school_practitioner):
    full = _token_for(school_practitioner)
    forged = full[:-4] + ("aaaa" if not full.endswith("aaaa") else "bbbb")
    assert _get("/me", forged).status_code == 401
    assert AuditEvent.objects.filter(
        verb=Verb.SIGN_IN_FAILED, target_type="api_token", outcome=Outcome.DENIED
    ).exists()


def test_revoked_and_expired_tokens_stop_working(school_practitioner):
    token, full = api_token_issue(
        actor=school_practitioner, user=school_practitioner, name="t", days=1
    )
    assert _get("/me", full).status_code == 200
    api_token_revoke(actor=school_practitioner, token=token)
    assert _get("/me", full).status_code == 401

    token, full = api_token_issue(
        actor=school_practitioner, user=school_practitioner, name="t2", days=1
    )
    token.expires_at = timezone.now() - timedelta(seconds=1)
    token.created_at = token.expires_at - timedelta(days=1)
    token.save()
    assert _get("/me", full).status_code == 401


def test_a_deactivated_users_token_stops_working(school_practitioner):
    full = _token_for(school_practitioner)
    school_practitioner.is_active = False
    school_practitioner.save()
    assert _get("/me", full).status_code == 401


def test_a_token_stops_working_when_its_agency_is_made_inactive(school_practitioner):
    full = _token_for(school_practitioner)
    assert _get("/me", full).status_code == 200
    school_practitioner.agency.is_active = False
    school_practitioner.agency.save()
    assert _get("/me", full).status_code == 401


def test_the_openapi_document_describes_every_operation():
    document = Client().get(reverse("api-v1:openapi-json")).json()
    assert document["info"]["version"] == "1"
    paths = document["paths"]
    for _, method, path, _ in OPERATIONS:
        assert method.lower() in paths[f"/api/v1{path}"]


def test_text_with_a_nul_character_is_refused_by_name_wherever_it_is_sent(
    school_practitioner, fernbridge_pathway
):
    # PostgreSQL cannot store NUL: without the check these fail there as server errors.
    client = api_client(school_practitioner)
    child = ChildFactory(created_by=school_practitioner)
    sent = [
        (
            post(client, "/concerns", {"child_id": child.pk, "what_was_seen": "a\x00b"}),
            ["body", "payload", "what_was_seen"],
        ),
        (
            post(
                client,
                "/children",
                {"given_name": "Ava", "age_not_known": True, "aliases": [{"name": "A\x00"}]},
            ),
            ["body", "payload", "aliases", 0, "name"],
        ),
        (
            post(client, "/pathway/walk", {"answers": {"immediate\x00": "no"}}),
            ["body", "payload", "answers", "immediate\x00"],
        ),
        (client.get("/api/v1/children", {"q": "Ava\x00"}), ["query", "q"]),
        (client.get("/api/v1/vocabularies/warning%00signs"), ["path", "code"]),
    ]
    for response, loc in sent:
        assert response.status_code == 422, (loc, response.content)
        assert response.json()["detail"] == [
            {
                "loc": loc,
                "msg": "Remove the NUL character (\\u0000): text cannot contain it",
                "type": "invalid",
            }
        ]


@pytest.mark.parametrize(
    "raw",
    [
        "csehub_abcd\x00fghij_secret",  # NUL would fail in PostgreSQL's lookup of the prefix
        "csehub_ABCDEFGHIJ_secret",  # prefixes are lower-case hex
        "csehub_0123456789_sec ret",
        "csehub_0123456789_secret\x00",
    ],
)
def test_a_malformed_token_is_refused_before_any_lookup(raw):
    from csehub.api.tokens import token_parse

    assert token_parse(raw) is None
