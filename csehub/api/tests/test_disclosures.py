"""Disclosures over the API: drafts, signing with the password re-entered, addenda."""

from __future__ import annotations

import pytest

from csehub.audit.models import AuditEvent, Outcome
from csehub.disclosures.models import Disclosure, DisclosureStatus
from csehub.testing.factories import TEST_PASSWORD, ChildFactory

from .conftest import api_client, get, post, problems, put

pytestmark = pytest.mark.django_db

CHILDS_WORDS = 'He said "you owe me now" and took my phone.'


def _body(child_id: int, **overrides):
    body = {
        "child_id": child_id,
        "occurred_on": "2026-11-20",
        "occurred_time": "10:15",
        "place": "The library office",
        "who_was_present": "No one else.",
        "childs_words": CHILDS_WORDS,
        "practitioner_response": "I listened and said she was right to tell me.",
        "who_was_told": "Dana Lead, at 10:40.",
    }
    body.update(overrides)
    return body


def test_a_practitioner_records_and_signs_then_adds_an_addendum(school_practitioner, school_dsl):
    child = ChildFactory(created_by=school_practitioner)
    client = api_client(school_practitioner)

    signed = post(client, "/disclosures", _body(child.pk, password=TEST_PASSWORD))

    assert signed.status_code == 201, signed.content
    body = signed.json()
    assert body["status"] == "signed"
    assert body["childs_words"] == CHILDS_WORDS
    # Signed means read-only: the draft operations no longer find it.
    assert put(client, f"/disclosures/{body['id']}", _body(child.pk)).status_code == 404

    added = post(
        api_client(school_dsl), f"/disclosures/{body['id']}/addenda", {"text": "Mum told at 16:00."}
    )
    assert added.status_code == 201, added.content
    again = get(client, f"/disclosures/{body['id']}").json()
    assert again["childs_words"] == CHILDS_WORDS
    assert [(a["author"], a["text"]) for a in again["addenda"]] == [
        ("Dana Lead", "Mum told at 16:00.")
    ]


def test_a_wrong_password_saves_nothing_and_says_so(school_practitioner):
    child = ChildFactory(created_by=school_practitioner)
    response = post(
        api_client(school_practitioner), "/disclosures", _body(child.pk, password="not-it")
    )
    assert response.status_code == 422
    assert problems(response)["password"].startswith("The password is not right")
    assert not Disclosure.objects.exists()


def test_a_draft_is_signed_later_by_its_author(school_practitioner):
    child = ChildFactory(created_by=school_practitioner)
    client = api_client(school_practitioner)
    draft = post(client, "/disclosures", _body(child.pk, place="")).json()
    assert draft["status"] == "draft"

    incomplete = post(client, f"/disclosures/{draft['id']}/sign", {"password": TEST_PASSWORD})
    assert incomplete.status_code == 422
    assert problems(incomplete) == {"place": "Enter where the child told you"}

    put(client, f"/disclosures/{draft['id']}", _body(child.pk))
    signed = post(client, f"/disclosures/{draft['id']}/sign", {"password": TEST_PASSWORD})
    assert signed.status_code == 200, signed.content
    assert Disclosure.objects.get().status == DisclosureStatus.SIGNED


def test_a_partner_system_records_drafts_but_cannot_sign(school, partnership_admin):
    from csehub.accounts.models import Role
    from csehub.api.services import partner_system_create

    system = partner_system_create(
        actor=partnership_admin,
        name="Elmfield pastoral system",
        email="pastoral@elmfield.example",
        agency=school,
        role=Role.PRACTITIONER,
    )
    child = ChildFactory(created_by=system)
    client = api_client(system)

    refused = post(client, "/disclosures", _body(child.pk, password="anything"))
    assert refused.status_code == 403
    assert "partner-system account cannot sign" in refused.json()["detail"]
    assert not Disclosure.objects.exists()
    assert AuditEvent.objects.filter(
        actor=system, target_type="disclosure", outcome=Outcome.DENIED
    ).exists()

    draft = post(client, "/disclosures", _body(child.pk))
    assert draft.status_code == 201
    sign = post(client, f"/disclosures/{draft.json()['id']}/sign", {"password": "anything"})
    assert sign.status_code == 403
    assert Disclosure.objects.get().status == DisclosureStatus.DRAFT


def test_another_agency_cannot_see_a_schools_disclosure(school_practitioner, other_practitioner):
    child = ChildFactory(created_by=school_practitioner)
    made = post(
        api_client(school_practitioner), "/disclosures", _body(child.pk, password=TEST_PASSWORD)
    ).json()
    response = get(api_client(other_practitioner), f"/disclosures/{made['id']}")
    assert response.status_code == 404
    assert get(api_client(other_practitioner), "/disclosures").json()["count"] == 0
