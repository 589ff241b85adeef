"""Referrals over the API: the school's lead refers, the teams move them on, the loop closes."""

from __future__ import annotations

import pytest

from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.referrals.models import Referral, ReferralState
from csehub.testing.factories import ChildFactory, ConcernFactory

from .conftest import api_client, get, post, problems

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern(school_practitioner, social_worker):
    child = ChildFactory(created_by=school_practitioner, allocated_social_worker=social_worker)
    return ConcernFactory(raised_by=school_practitioner, child=child)


def _refer(lead, concern, *destinations, **extra):
    return post(
        api_client(lead),
        f"/concerns/{concern.pk}/referrals",
        {
            "destinations": [{"destination": d} for d in destinations],
            "request": "Please consider a strategy discussion.",
            "risk_details": [{"kind": "vehicle", "value": "YX1? ?BC", "details": "grey BMW"}],
            **extra,
        },
    )


def test_the_whole_loop_from_referral_to_outcome(
    school_dsl, school_practitioner, concern, council, front_door
):
    made = _refer(school_dsl, concern, "childrens_social_care")
    assert made.status_code == 201, made.content
    [referral] = made.json()
    assert referral["to_agency_id"] == council.pk
    assert referral["what_was_seen"] == concern.what_was_seen
    assert referral["risk_details"] == [
        {"kind": "vehicle", "value": "YX1? ?BC", "details": "grey BMW"}
    ]
    assert referral["state"] == "submitted"

    door = api_client(front_door)
    team = get(door, "/referrals", box="team").json()
    assert [r["id"] for r in team["items"]] == [referral["id"]]

    early = post(
        door, f"/referrals/{referral['id']}/outcome", {"outcome": "assessment", "reason": "x"}
    )
    assert early.status_code == 422
    assert problems(early) == {"body": "Mark the referral as received first"}

    assert post(door, f"/referrals/{referral['id']}/receive").json()["state"] == "received"
    screened = post(door, f"/referrals/{referral['id']}/screen", {"note": "Checked records."})
    assert screened.json()["state"] == "screened"
    decided = post(
        door,
        f"/referrals/{referral['id']}/outcome",
        {"outcome": "strategy_discussion", "reason": "Significant risk of exploitation."},
    )
    assert decided.status_code == 200, decided.content
    assert [t["to_state"] for t in decided.json()["transitions"]] == [
        "submitted",
        "received",
        "screened",
        "outcome_recorded",
    ]

    # The practitioner who raised the concern sees the outcome.
    seen = get(api_client(school_practitioner), f"/referrals/{referral['id']}").json()
    assert seen["outcome"] == "strategy_discussion"
    assert seen["transitions"][-1]["reason"] == "Significant risk of exploitation."


def test_the_police_desk_records_its_reference_and_sees_nothing_else(
    school_dsl, concern, police_desk
):
    made = _refer(school_dsl, concern, "childrens_social_care", "police_cse_desk").json()
    police = next(r for r in made if r["destination"] == "police_cse_desk")
    front = next(r for r in made if r["destination"] == "childrens_social_care")
    desk = api_client(police_desk)

    assert get(desk, f"/referrals/{front['id']}").status_code == 404
    assert AuditEvent.objects.filter(
        actor=police_desk,
        target_type="referral",
        target_id=str(front["id"]),
        outcome=Outcome.DENIED,
    ).exists()
    assert [r["id"] for r in get(desk, "/referrals").json()["items"]] == [police["id"]]

    post(desk, f"/referrals/{police['id']}/receive")
    post(desk, f"/referrals/{police['id']}/screen", {})
    missing = post(
        desk,
        f"/referrals/{police['id']}/outcome",
        {"outcome": "strategy_discussion", "reason": "Flag created."},
    )
    assert missing.status_code == 422
    assert set(problems(missing)) == {"police_reference", "flagged_record_existed"}

    done = post(
        desk,
        f"/referrals/{police['id']}/outcome",
        {
            "outcome": "strategy_discussion",
            "reason": "Flag created.",
            "police_reference": "TS-2026-004512",
            "flagged_record_existed": False,
        },
    )
    assert done.status_code == 200
    assert done.json()["police_reference"] == "TS-2026-004512"


def test_only_a_lead_refers_and_only_the_receiving_team_moves_it_on(
    school_practitioner, school_dsl, concern, front_door, social_worker
):
    response = _refer(school_practitioner, concern, "childrens_social_care")
    assert response.status_code == 403
    assert not Referral.objects.exists()

    [referral] = _refer(school_dsl, concern, "childrens_social_care").json()
    assert post(api_client(school_dsl), f"/referrals/{referral['id']}/receive").status_code == 403
    assert (
        post(api_client(social_worker), f"/referrals/{referral['id']}/receive").status_code == 404
    )
    assert Referral.objects.get().state == ReferralState.SUBMITTED


def test_a_lead_cannot_refer_another_agencys_concern(school_dsl, other_practitioner):
    concern = ConcernFactory(raised_by=other_practitioner)
    response = _refer(school_dsl, concern, "childrens_social_care")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        actor=school_dsl, target_type="concern", outcome=Outcome.DENIED
    ).exists()


def test_a_referral_to_a_social_worker_needs_one_allocated(school_dsl, school_practitioner):
    concern = ConcernFactory(raised_by=school_practitioner)
    response = _refer(school_dsl, concern, "allocated_social_worker")
    assert response.status_code == 422
    assert "destinations" in problems(response)
    assert AuditEvent.objects.filter(verb=Verb.CREATED, target_type="referral").count() == 0
