"""The risk tool counts a child's recorded missing episodes as a recent warning sign, with a
link to the episode, for those who may see the episodes."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from csehub.concerns import services as concern_services
from csehub.concerns.models import RiskLevel
from csehub.missing import services
from csehub.taxonomy.selectors import item_by_code
from csehub.taxonomy.services import taxonomy_load
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import ConcernFactory

from .conftest import NOW, at, episode_details, return_details

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def episode(missing_coordinator, child):
    taxonomy_load(actor=None)
    return services.missing_episode_record(
        actor=missing_coordinator, child=child, details=episode_details(), returned=return_details()
    )


def _assess(actor, concern, ticked=()):
    return concern_services.risk_assessment_create(
        actor=actor,
        concern=concern,
        immediate_danger=False,
        observations=[
            concern_services.ObservationInput(
                item=item_by_code("warning_signs", code), what_was_seen="Seen.", roughly_when=when
            )
            for code, when in ticked
        ],
    )


def test_the_episode_counts_as_a_recent_sign_with_a_link(social_worker, child, episode):
    concern = ConcernFactory(raised_by=social_worker, child=child)
    tool = signed_in_client(social_worker).get(reverse("concerns:assess", args=[concern.pk]))
    text = tool.content.decode()
    assert "Already recorded in CSE Hub" in text
    assert reverse("missing:detail", args=[episode.pk]) in text

    assessment = _assess(social_worker, concern)
    counted = assessment.observations.get()
    assert counted.item.code == "missing_from_home_or_care"
    assert counted.seen_on == at(18, 0).date()
    assert counted.recorded_url == reverse("missing:detail", args=[episode.pk])
    assert "Recorded missing 1 time in the last year" in counted.what_was_seen
    assert assessment.points > 0
    assert assessment.computed_level != RiskLevel.NO_INDICATORS_RECORDED
    page = signed_in_client(social_worker).get(reverse("concerns:assessment", args=[assessment.pk]))
    assert "Counted from CSE Hub's records" in page.content.decode()


def test_a_sign_ticked_by_hand_is_not_counted_twice(social_worker, child, episode):
    concern = ConcernFactory(raised_by=social_worker, child=child)
    assessment = _assess(social_worker, concern, [("missing_from_home_or_care", "last_week")])
    counted = assessment.observations.get()
    assert counted.what_was_seen == "Seen."
    assert counted.recorded_url == ""


def test_someone_who_cannot_see_episodes_gets_no_count_from_them(
    school_practitioner, child, episode
):
    concern = ConcernFactory(raised_by=school_practitioner, child=child)
    tool = signed_in_client(school_practitioner).get(reverse("concerns:assess", args=[concern.pk]))
    assert "Already recorded in CSE Hub" not in tool.content.decode()
    assessment = _assess(school_practitioner, concern)
    assert not assessment.observations.exists()
    assert assessment.computed_level == RiskLevel.NO_INDICATORS_RECORDED


def test_an_episode_over_a_year_old_is_not_counted(social_worker, child, missing_coordinator):
    taxonomy_load(actor=None)
    services.missing_episode_record(
        actor=missing_coordinator,
        child=child,
        details=episode_details(
            last_seen_at=at(1, 10, month=10).replace(year=2025),
            reported_at=at(1, 12, month=10).replace(year=2025),
        ),
    )
    concern = ConcernFactory(raised_by=social_worker, child=child)
    assert not _assess(social_worker, concern).observations.exists()
