"""Children over the API: record with the likely-duplicate check, find, change, chronology."""

from __future__ import annotations

import datetime as dt

import pytest

from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.children.models import Child
from csehub.testing.factories import ChildFactory, ConcernFactory

from .conftest import api_client, get, post, problems, put

pytestmark = pytest.mark.django_db

NEW_CHILD = {
    "given_name": "Kayleigh",
    "family_name": "Marrowby",
    "date_of_birth": "2011-04-02",
    "gender": "female",
    "care_status": "child_in_need",
    "home_postcode": "dn156nl",
    "aliases": [{"name": "Kay", "kind": "nickname"}],
}


def test_a_practitioner_records_a_child_and_finds_it_again(school_practitioner):
    client = api_client(school_practitioner)
    response = post(client, "/children", NEW_CHILD)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["home_postcode"] == "DN15 6NL"
    assert body["ethnicity"] == "not_recorded"
    assert body["aliases"] == [{"name": "Kay", "kind": "nickname"}]
    assert AuditEvent.objects.filter(
        actor=school_practitioner, verb=Verb.CREATED, target_type="child", target_id=body["id"]
    ).exists()

    listed = get(client, "/children", q="kay").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]
    assert get(client, f"/children/{body['id']}").json()["family_name"] == "Marrowby"


def test_a_long_list_stops_counting_and_says_so(school_practitioner, monkeypatch):
    from csehub.api import pagination

    monkeypatch.setattr(pagination, "COUNT_UP_TO", 2)
    for family_name in ("Ashby", "Brindle", "Corran"):
        ChildFactory(
            partnership=school_practitioner.partnership,
            created_by=school_practitioner,
            family_name=family_name,
        )
    client = api_client(school_practitioner)

    long = get(client, "/children", limit=1).json()
    short = get(client, "/children", q="Brindle").json()

    assert (long["count"], long["count_is_lower_bound"]) == (2, True)
    assert [child["family_name"] for child in long["items"]] == ["Ashby"]
    assert (short["count"], short["count_is_lower_bound"]) == (1, False)


def test_alias_search_finds_a_child_once_whatever_matches(school_practitioner):
    child = ChildFactory(
        partnership=school_practitioner.partnership,
        created_by=school_practitioner,
        given_name="Kayden",
        family_name="Kayward",
    )
    child.aliases.create(name="Kay", kind="nickname")
    child.aliases.create(name="Kaykay", kind="nickname")

    listed = get(api_client(school_practitioner), "/children", q="kay").json()

    assert [item["id"] for item in listed["items"]] == [child.pk]
    assert listed["count"] == 1


def test_a_likely_duplicate_answers_409_until_the_caller_confirms(school_practitioner):
    existing = ChildFactory(
        created_by=school_practitioner,
        given_name="Kayley",
        family_name="Marrowby",
        date_of_birth=dt.date(2011, 4, 2),
    )
    client = api_client(school_practitioner)

    response = post(client, "/children", NEW_CHILD)

    assert response.status_code == 409
    body = response.json()
    assert [m["id"] for m in body["matches"]] == [existing.pk]
    assert "The same date of birth" in body["matches"][0]["reasons"]
    assert body["matches"][0]["url"] == f"/api/v1/children/{existing.pk}"
    assert "Marrowby" not in response.content.decode()
    assert Child.objects.count() == 1

    confirmed = post(client, "/children", {**NEW_CHILD, "confirm_new_child": True})
    assert confirmed.status_code == 201
    created = AuditEvent.objects.get(verb=Verb.CREATED, target_type="child")
    assert created.detail["duplicates_shown"] == 1


def test_a_duplicate_the_caller_may_not_see_is_only_counted(
    school_practitioner, other_practitioner
):
    ChildFactory(
        created_by=other_practitioner,
        given_name="Kayleigh",
        family_name="Marrowby",
        date_of_birth=dt.date(2011, 4, 2),
    )
    response = post(api_client(school_practitioner), "/children", NEW_CHILD)
    assert response.status_code == 409
    assert response.json()["matches"] == []
    assert response.json()["elsewhere"] == 1


def test_invalid_details_answer_422_naming_each_field(school_practitioner):
    response = post(
        api_client(school_practitioner),
        "/children",
        {"given_name": "Robin", "home_postcode": "ZZ99", "gender": "unknown"},
    )
    assert response.status_code == 422
    assert set(problems(response)) == {"gender"}

    response = post(
        api_client(school_practitioner),
        "/children",
        {"given_name": "Robin", "home_postcode": "ZZ99"},
    )
    assert response.status_code == 422
    assert problems(response) == {
        "home_postcode": "Enter a real postcode, like DN15 6NL",
        "date_of_birth": "Enter a date of birth, an estimated age, or say that neither is known",
    }
    assert not Child.objects.exists()


def test_another_agencys_child_answers_404_and_is_audited(school_practitioner, other_practitioner):
    child = ChildFactory(created_by=school_practitioner)
    response = get(api_client(other_practitioner), f"/children/{child.pk}")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        actor=other_practitioner,
        target_type="child",
        target_id=str(child.pk),
        outcome=Outcome.DENIED,
    ).exists()
    assert get(api_client(other_practitioner), "/children").json()["count"] == 0


def test_only_a_role_that_may_edit_changes_a_child(school_practitioner, school_dsl, social_worker):
    child = ChildFactory(created_by=school_practitioner)
    body = {"given_name": child.given_name, "age_estimate_years": 15}
    assert put(api_client(school_practitioner), f"/children/{child.pk}", body).status_code == 403

    response = put(
        api_client(school_dsl),
        f"/children/{child.pk}",
        {**body, "allocated_social_worker_id": social_worker.pk},
    )
    assert response.status_code == 200, response.content
    assert response.json()["allocated_social_worker_id"] == social_worker.pk

    response = put(
        api_client(school_dsl),
        f"/children/{child.pk}",
        {**body, "allocated_social_worker_id": school_practitioner.pk},
    )
    assert response.status_code == 422
    assert "allocated_social_worker_id" in problems(response)


def test_the_chronology_lists_what_the_caller_may_see(school_practitioner, taxonomy):
    concern = ConcernFactory(raised_by=school_practitioner)
    client = api_client(school_practitioner)

    body = get(client, f"/children/{concern.child_id}/chronology").json()

    assert "concern" in [entry["kind"] for entry in body["items"]]
    assert get(client, f"/children/{concern.child_id}/chronology", kind="referral").json() == {
        "items": [],
        "count": 0,
        "count_is_lower_bound": False,
    }
