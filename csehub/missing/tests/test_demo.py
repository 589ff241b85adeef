"""The demo gives the missing coordinator real work: an interview overdue, one due, a child
still missing, a child going missing more often, and what a child said to pass on."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csehub.accounts.models import User
from csehub.missing.models import InterviewStatus, MissingEpisode, ReturnInterview
from csehub.operations.demo import demo_load
from csehub.testing.clients import signed_in_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_database")]


def test_the_demo_coordinator_has_a_work_list_with_something_in_every_part():
    demo_load()
    coordinator = User.objects.get(email="missing@fernbridge.example")
    text = signed_in_client(coordinator).get(reverse("missing:work-list")).content.decode()
    interviews = text[text.index("Return interviews to arrange") : text.index("Still missing</h2>")]
    assert interviews.index("Kira Thorne") < interviews.index("Leah Carver")  # overdue first
    assert "Overdue" in interviews
    still = text[text.index("Still missing</h2>") : text.index("Going missing more often</h2>")]
    assert "Jayden Mills" in still
    assert "Kira Thorne" in text[text.index("Going missing more often</h2>") :]
    assert set(ReturnInterview.objects.values_list("status", flat=True)) == set(
        InterviewStatus.values
    )


def test_loading_the_demo_again_adds_no_episodes():
    demo_load()
    count = MissingEpisode.objects.count()
    demo_load()
    assert MissingEpisode.objects.count() == count > 0
