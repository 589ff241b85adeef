"""The demo children and concerns load, at several levels, and loading twice doubles nothing."""

from __future__ import annotations

import pytest

from csehub.children.models import Child
from csehub.concerns.models import Concern, ConcernVehicle, RiskAssessment, RiskLevel
from csehub.operations.demo import demo_load

pytestmark = pytest.mark.django_db


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
