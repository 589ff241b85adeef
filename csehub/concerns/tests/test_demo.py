"""The demo children and concerns load, at several levels, and loading twice doubles nothing."""

from __future__ import annotations

import pytest

from csehub.children.models import Child
from csehub.concerns.models import Concern, ConcernVehicle, RiskAssessment, RiskLevel
from csehub.operations.demo import demo_load

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_database")]


def test_the_demo_loads_once_with_several_levels():
    demo_load()
    counts = (Child.objects.count(), Concern.objects.count(), RiskAssessment.objects.count())
    assert counts[0] >= 4
    levels = set(RiskAssessment.objects.values_list("computed_level", flat=True))
    assert {RiskLevel.HIGH_RISK, RiskLevel.NO_INDICATORS_RECORDED} <= levels
    assert RiskAssessment.objects.exclude(judgement_level="").exists()
    assert ConcernVehicle.objects.filter(plate__contains="?").exists()

    demo_load()
    assert (
        Child.objects.count(),
        Concern.objects.count(),
        RiskAssessment.objects.count(),
    ) == counts


def test_every_page_renders_for_the_demo_front_door():
    from django.urls import reverse

    from csehub.accounts.models import User
    from csehub.testing.clients import signed_in_client

    demo_load()
    client = signed_in_client(User.objects.get(email="frontdoor@fernbridge.example"))
    child = Child.objects.get(given_name="Kira")
    concern = child.concerns.order_by("pk").last()
    assessment = concern.assessments.get()
    urls = [
        reverse("children:list"),
        reverse("children:list") + "?q=kiki",
        reverse("children:create"),
        reverse("children:detail", args=[child.pk]),
        reverse("children:detail", args=[child.pk]) + "?kind=indicator&period=91",
        reverse("children:edit", args=[child.pk]),
        reverse("children:chronology-print", args=[child.pk]),
        reverse("concerns:list"),
        reverse("concerns:create", args=[child.pk]),
        reverse("concerns:detail", args=[concern.pk]),
        reverse("concerns:assess", args=[concern.pk]),
        reverse("concerns:assessment", args=[assessment.pk]),
        reverse("concerns:judgement", args=[assessment.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "Risk over time" in page and "FB6? ?KX" not in page  # plates stay on the concern
    assert "FB6? ?KX" in client.get(reverse("concerns:detail", args=[concern.pk])).content.decode()
