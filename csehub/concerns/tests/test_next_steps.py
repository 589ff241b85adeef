"""At the end of the tool: what the partnership's pathway says and who to call now."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from csehub.accounts.models import AgencyType, Partnership, Role
from csehub.concerns import services
from csehub.concerns.next_steps import next_steps_for
from csehub.pathways.graph import OutcomeKind
from csehub.pathways.services import pathway_load
from csehub.taxonomy.selectors import item_by_code
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import AgencyFactory, ChildFactory, ConcernFactory, UserFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def fernbridge_teacher(taxonomy):
    pathway_load(slug="fernbridge")
    fernbridge = Partnership.objects.get(slug="fernbridge")
    school = AgencyFactory(
        partnership=fernbridge, name="Fernbridge Academy", agency_type=AgencyType.SCHOOL
    )
    return UserFactory(agency=school, role=Role.PRACTITIONER)


def _assess(user, *, signs=(), danger=False, social_worker=None):
    child = ChildFactory(created_by=user, allocated_social_worker=social_worker)
    concern = ConcernFactory(raised_by=user, child=child)
    return services.risk_assessment_create(
        actor=user,
        concern=concern,
        immediate_danger=danger,
        observations=[
            services.ObservationInput(
                item=item_by_code("warning_signs", code),
                what_was_seen="seen",
                roughly_when="last_week",
            )
            for code in signs
        ],
    )


def test_warning_signs_lead_to_social_care_and_the_police_desk(fernbridge_teacher):
    assessment = _assess(fernbridge_teacher, signs=["sexualised_behaviour"])
    friday_afternoon = dt.datetime(2026, 11, 27, 16, 31, tzinfo=LONDON)
    steps = next_steps_for(assessment=assessment, at=friday_afternoon)
    assert [o.outcome.kind for o in steps.outcomes] == [
        OutcomeKind.REFER_CHILDRENS_SOCIAL_CARE,
        OutcomeKind.REFER_POLICE_CSE_DESK,
    ]
    front_door_call = steps.outcomes[0].calls[0]
    assert not front_door_call.is_open
    assert front_door_call.number == "01632 960999"  # the out-of-hours line after 16:30 on Fridays


def test_immediate_danger_puts_999_first(fernbridge_teacher):
    steps = next_steps_for(
        assessment=_assess(fernbridge_teacher, danger=True),
        at=dt.datetime(2026, 11, 25, 11, 0, tzinfo=LONDON),
    )
    assert steps.outcomes[0].outcome.kind == OutcomeKind.CALL_999
    assert steps.outcomes[-1].outcome.kind == OutcomeKind.AGENCY_LEADS_MONITORS_EARLY_HELP


def test_an_allocated_social_worker_is_informed(fernbridge_teacher):
    social_worker = UserFactory(agency=fernbridge_teacher.agency, role=Role.SOCIAL_WORKER)
    assessment = _assess(fernbridge_teacher, signs=["sex_in_exchange"], social_worker=social_worker)
    steps = next_steps_for(
        assessment=assessment, at=dt.datetime(2026, 11, 25, 11, 0, tzinfo=LONDON)
    )
    assert OutcomeKind.INFORM_ALLOCATED_SOCIAL_WORKER in [o.outcome.kind for o in steps.outcomes]


def test_the_result_page_shows_the_pathway_and_the_number(fernbridge_teacher):
    assessment = _assess(fernbridge_teacher, signs=["sexualised_behaviour"])
    page = (
        signed_in_client(fernbridge_teacher)
        .get(reverse("concerns:assessment", args=[assessment.pk]))
        .content.decode()
    )
    assert "What your partnership's pathway says to do" in page
    assert "Refer to children&#x27;s social care" in page
    assert "01632 960" in page
