"""Concerns and the risk identification tool over the API, as a school's partner system."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.concerns.models import Concern, ConcernStatus, RiskAssessment
from csehub.testing.factories import ChildFactory, ConcernFactory

from .conftest import api_client, get, post, problems, put

pytestmark = pytest.mark.django_db


def _concern_body(child_id: int, **overrides):
    body = {
        "child_id": child_id,
        "how_known": "saw",
        "what_was_seen": "Collected from the school gate by an older man in a grey car.",
        "observed_on": str(timezone.localdate()),
        "observed_time": "15:40",
        "where": "School gate, Mill Lane",
        "persons": [
            {"ref": "p9", "name": "Daniel Example", "nickname": "Danny D", "age_estimate": 25}
        ],
        "vehicles": [{"plate": "YX1? ?BC", "make": "BMW", "colour": "grey"}],
        "phones": [{"number": "07700 900123"}],
        "online": [{"platform": "snapchat", "username": "@danny_d22"}],
        "locations": [{"name": "Riverside Park", "postcode": "dn156nl"}],
        "submit": True,
    }
    body.update(overrides)
    return body


def test_a_partner_system_raises_a_concern_and_gets_a_rating_with_reasons(
    school_system, taxonomy, fernbridge_pathway
):
    child = ChildFactory(created_by=school_system)
    client = api_client(school_system)

    raised = post(client, "/concerns", _concern_body(child.pk))

    assert raised.status_code == 201, raised.content
    concern = raised.json()
    assert concern["status"] == "submitted"
    assert concern["persons"][0] == {
        "ref": "p1",
        "name": "Daniel Example",
        "nickname": "Danny D",
        "age_estimate": 25,
        "description": "",
    }
    assert concern["vehicles"][0]["plate"] == "YX1? ?BC"
    assert concern["locations"][0]["postcode"] == "DN15 6NL"
    assert concern["online"][0]["username"] == "@danny_d22"

    assessed = post(
        client,
        f"/concerns/{concern['id']}/assessments",
        {
            "immediate_danger": False,
            "indicators": [
                {
                    "vocabulary": "warning_signs",
                    "code": "sex_in_exchange",
                    "what_was_seen": "Said she gets vapes for going to parties at his flat.",
                    "roughly_when": "last_week",
                },
                {
                    "vocabulary": "vulnerability_factors",
                    "code": "looked_after_child",
                    "what_was_seen": "Lives in a children's home.",
                    "roughly_when": "last_month",
                },
            ],
        },
    )

    assert assessed.status_code == 201, assessed.content
    rating = assessed.json()
    assert rating["computed_level"] == "high_risk"
    assert rating["level"] == "high_risk"
    assert {r["indicator"] for r in rating["reasons"]} == {
        "warning_signs.sex_in_exchange",
        "vulnerability_factors.looked_after_child",
    }
    assert all(r["explanation"] for r in rating["reasons"])
    assert any("does not mean the child is safe" in note for note in rating["notes"])
    assert rating["observations"][0]["guidance_url"].startswith("/guidance/")
    kinds = [o["kind"] for o in rating["next_steps"]["outcomes"]]
    assert "refer_childrens_social_care" in kinds
    front_door = next(o for o in rating["next_steps"]["outcomes"] if o["contacts"])
    assert front_door["contacts"][0]["number"]
    assert AuditEvent.objects.filter(
        actor=school_system, verb=Verb.CREATED, target_type="risk_assessment"
    ).exists()

    again = get(client, f"/assessments/{rating['id']}").json()
    assert again["computed_level"] == "high_risk"
    listed = get(client, f"/concerns/{concern['id']}/assessments").json()
    assert [a["id"] for a in listed["items"]] == [rating["id"]]


def test_another_agency_gets_404_for_a_schools_concern_and_it_is_audited(
    school_system, other_practitioner
):
    concern = ConcernFactory(raised_by=school_system)
    response = get(api_client(other_practitioner), f"/concerns/{concern.pk}")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        actor=other_practitioner,
        target_type="concern",
        target_id=str(concern.pk),
        outcome=Outcome.DENIED,
    ).exists()
    assert get(api_client(other_practitioner), "/concerns").json()["count"] == 0


def test_submitting_without_the_essentials_names_each_field_and_saves_nothing(school_practitioner):
    child = ChildFactory(created_by=school_practitioner)
    response = post(
        api_client(school_practitioner),
        "/concerns",
        _concern_body(child.pk, how_known=None, what_was_seen="", observed_on=None),
    )
    assert response.status_code == 422
    assert problems(response) == {
        "what_was_seen": "Enter what you saw or were told",
        "observed_on": "Enter the date it happened",
        "how_known": "Select how you know about it",
    }
    assert not Concern.objects.exists()


def test_a_draft_is_kept_changed_and_submitted_by_its_author(school_practitioner, school_dsl):
    child = ChildFactory(created_by=school_practitioner)
    client = api_client(school_practitioner)
    draft = post(client, "/concerns", {"child_id": child.pk, "what_was_seen": "Not sure yet."})
    assert draft.status_code == 201
    draft_id = draft.json()["id"]
    assert draft.json()["status"] == "draft"
    # A draft is its author's alone, even for the school's safeguarding lead.
    assert get(api_client(school_dsl), f"/concerns/{draft_id}").status_code == 404

    changed = put(client, f"/concerns/{draft_id}", _concern_body(child.pk, submit=False))
    assert changed.status_code == 200
    assert len(changed.json()["phones"]) == 1

    submitted = post(client, f"/concerns/{draft_id}/submit")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["phones"][0]["number"] == "07700 900123"
    assert Concern.objects.get().status == ConcernStatus.SUBMITTED
    assert put(client, f"/concerns/{draft_id}", _concern_body(child.pk)).status_code == 404


def test_a_bad_mention_is_named_by_its_place_in_the_list(school_practitioner):
    child = ChildFactory(created_by=school_practitioner)
    response = post(
        api_client(school_practitioner),
        "/concerns",
        _concern_body(child.pk, locations=[{"name": "Park"}, {"postcode": "ZZ99"}]),
    )
    assert response.status_code == 422
    assert problems(response) == {"locations.1.postcode": "Enter a real postcode, like DN15 6NL"}


def test_unknown_indicator_codes_and_drafts_are_refused(school_practitioner, taxonomy):
    concern = ConcernFactory(raised_by=school_practitioner)
    client = api_client(school_practitioner)
    response = post(
        client,
        f"/concerns/{concern.pk}/assessments",
        {
            "immediate_danger": False,
            "indicators": [
                {
                    "vocabulary": "warning_signs",
                    "code": "no_such_sign",
                    "what_was_seen": "Something.",
                    "roughly_when": "last_week",
                }
            ],
        },
    )
    assert response.status_code == 422
    assert "indicators.0.code" in problems(response)

    draft = ConcernFactory(
        raised_by=school_practitioner, status=ConcernStatus.DRAFT, submitted_at=None
    )
    response = post(client, f"/concerns/{draft.pk}/assessments", {"immediate_danger": False})
    assert response.status_code == 422
    assert problems(response) == {
        "body": "Submit the concern before using the risk identification tool"
    }
    assert not RiskAssessment.objects.exists()


def test_a_professional_judgement_stands_beside_the_computed_level(
    school_practitioner, school_dsl, taxonomy
):
    concern = ConcernFactory(raised_by=school_practitioner, observed_on=dt.date(2026, 11, 2))
    client = api_client(school_practitioner)
    rating = post(client, f"/concerns/{concern.pk}/assessments", {"immediate_danger": True}).json()
    assert rating["computed_level"] == "no_indicators_recorded"
    assert rating["notes"][0] == "The child is in immediate danger: call 999 first."

    judged = post(
        api_client(school_dsl),
        f"/assessments/{rating['id']}/judgement",
        {
            "judgement_level": "significant_risk",
            "judgement_rationale": "Known to be going missing.",
        },
    )
    assert judged.status_code == 200, judged.content
    body = judged.json()
    assert body["computed_level"] == "no_indicators_recorded"
    assert body["level"] == "significant_risk"
    assert body["judgement"]["by"] == "Dana Lead"

    missing = post(
        api_client(school_dsl),
        f"/assessments/{rating['id']}/judgement",
        {"judgement_level": "significant_risk", "judgement_rationale": ""},
    )
    assert missing.status_code == 422
    assert "judgement_rationale" in problems(missing)


def test_roles_without_the_permission_cannot_raise_concerns(police_analyst, school_practitioner):
    child = ChildFactory(created_by=school_practitioner)
    response = post(api_client(police_analyst), "/concerns", _concern_body(child.pk))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(actor=police_analyst, outcome=Outcome.DENIED).exists()


def test_submitting_a_stored_draft_is_judged_by_the_service_not_the_input_schema(
    school_practitioner,
):
    # Saved on the pages with a date the API would refuse as input: the answer says why the
    # draft cannot be submitted yet, rather than failing on the way to the service.
    draft = ConcernFactory(
        raised_by=school_practitioner,
        status=ConcernStatus.DRAFT,
        submitted_at=None,
        observed_on=timezone.localdate() + dt.timedelta(days=3),
    )
    response = post(api_client(school_practitioner), f"/concerns/{draft.pk}/submit")
    assert response.status_code == 422, response.content
    assert problems(response) == {
        "observed_on": "The date it happened must be today or in the past"
    }
