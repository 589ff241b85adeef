"""The demo partnership has workbook learners in every state, and loading twice adds nothing."""

from __future__ import annotations

import pytest

from csehub.learning.demo import demo_learning
from csehub.learning.models import Attempt, AttemptStatus, Certificate
from csehub.operations.demo import demo_load

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_database")]


def test_demo_learners_are_in_every_state_and_loading_again_adds_nothing():
    partnership = demo_load()
    demo_learners = Attempt.objects.filter(learner__email__startswith="learning.")
    assert set(demo_learners.values_list("status", flat=True)) == set(AttemptStatus.values)
    confirmed = demo_learners.get(status=AttemptStatus.CONFIRMED)
    assert Certificate.objects.filter(attempt=confirmed).exists()
    for attempt in demo_learners.exclude(status=AttemptStatus.IN_PROGRESS):
        assert attempt.reviewer_id != attempt.learner_id
    before = Attempt.objects.count()
    demo_learning(partnership)
    assert Attempt.objects.count() == before
