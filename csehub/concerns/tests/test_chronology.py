"""The child's chronology (time order, filters, print view) and risk over time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from csehub.children.chronology import chronology_for
from csehub.concerns import services
from csehub.concerns.chronology import risk_over_time
from csehub.concerns.models import RiskLevel
from csehub.taxonomy.selectors import item_by_code
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import ChildFactory, ConcernFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(school_practitioner):
    return ChildFactory(created_by=school_practitioner, given_name="Maya", family_name="Stone")


def _concern(user, child, days_ago, text):
    return ConcernFactory(
        raised_by=user,
        child=child,
        what_was_seen=text,
        observed_on=timezone.localdate() - dt.timedelta(days=days_ago),
    )


def test_entries_are_in_time_order_and_filter_by_kind_and_period(
    taxonomy, school_practitioner, child
):
    _concern(school_practitioner, child, 200, "Older concern")
    newer = _concern(school_practitioner, child, 5, "Newer concern")
    services.risk_assessment_create(
        actor=school_practitioner,
        concern=newer,
        immediate_danger=False,
        observations=[
            services.ObservationInput(
                item=item_by_code("warning_signs", "sexualised_behaviour"),
                what_was_seen="Talked about things beyond her age",
                roughly_when="last_6_months",
            )
        ],
    )
    entries = chronology_for(child=child, user=school_practitioner)
    assert [e.kind for e in entries] == ["concern", "indicator", "concern", "assessment"]
    assert entries[0].summary == "Older concern"
    assert entries == sorted(entries, key=lambda e: e.at)

    only_concerns = chronology_for(child=child, user=school_practitioner, kinds=["concern"])
    assert [e.summary for e in only_concerns] == ["Older concern", "Newer concern"]
    recent = chronology_for(
        child=child, user=school_practitioner, start=timezone.localdate() - dt.timedelta(days=30)
    )
    assert "Older concern" not in [e.summary for e in recent]

    client = signed_in_client(school_practitioner)
    page = client.get(
        reverse("children:detail", args=[child.pk]), {"kind": "concern"}
    ).content.decode()
    assert "Newer concern" in page and "Talked about things beyond her age" not in page
    printable = client.get(reverse("children:chronology-print", args=[child.pk])).content.decode()
    assert "Chronology: Maya Stone" in printable and "Older concern" in printable


def test_the_chronology_shows_only_what_the_user_may_see(
    school_practitioner, other_practitioner, front_door, child
):
    _concern(school_practitioner, child, 3, "What our school saw")
    _concern(other_practitioner, child, 2, "What the other school saw")
    mine = [e.summary for e in chronology_for(child=child, user=school_practitioner)]
    assert mine == ["What our school saw"]
    everything = [e.summary for e in chronology_for(child=child, user=front_door)]
    assert everything == ["What our school saw", "What the other school saw"]


def test_risk_over_time_shows_levels_and_new_continuing_and_no_longer_seen(
    taxonomy, school_practitioner, child
):
    gifts = item_by_code("warning_signs", "sexualised_behaviour")
    exchange = item_by_code("warning_signs", "sex_in_exchange")
    care = item_by_code("vulnerability_factors", "care_leaver")
    first = services.risk_assessment_create(
        actor=school_practitioner,
        concern=_concern(school_practitioner, child, 60, "First"),
        immediate_danger=False,
        observations=[
            services.ObservationInput(item=gifts, what_was_seen="x", roughly_when="last_month"),
            services.ObservationInput(item=care, what_was_seen="y", roughly_when="over_a_year"),
        ],
    )
    second = services.risk_assessment_create(
        actor=school_practitioner,
        concern=_concern(school_practitioner, child, 2, "Second"),
        immediate_danger=False,
        observations=[
            services.ObservationInput(item=gifts, what_was_seen="x", roughly_when="last_week"),
            services.ObservationInput(item=exchange, what_was_seen="z", roughly_when="last_week"),
        ],
    )
    points = risk_over_time([first, second])
    assert points[0].assessment.computed_level == RiskLevel.EMERGING_RISK
    assert points[1].assessment.computed_level == RiskLevel.HIGH_RISK
    assert points[1].new == [exchange]
    assert points[1].continuing == [gifts]
    assert points[1].no_longer_seen == [care]

    page = (
        signed_in_client(school_practitioner)
        .get(reverse("children:detail", args=[child.pk]))
        .content.decode()
    )
    assert "Risk over time" in page
    assert "No longer recorded:</strong> Care leaver" in page
