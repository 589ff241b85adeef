"""Practice is linked to training: the tool points into the course; the untrained are invited."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from csehub.accounts.models import Role
from csehub.learning.models import Course
from csehub.learning.services.briefing import briefing_session_record
from csehub.learning.services.content import learning_content_load
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import ChildFactory, ConcernFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_tool_links_each_list_of_indicators_into_the_course(taxonomy, school_practitioner):
    learning_content_load()
    concern = ConcernFactory(raised_by=school_practitioner)
    page = (
        signed_in_client(school_practitioner)
        .get(reverse("concerns:assess", args=[concern.pk]))
        .content.decode()
    )
    assert "Learn more in the" in page
    assert reverse("learning:course", args=["cse_awareness_workbook"]) + "#section-" in page


def test_someone_untrained_is_invited_to_the_course_and_can_still_raise_the_concern(
    taxonomy, school_practitioner
):
    child = ChildFactory(created_by=school_practitioner)
    client = signed_in_client(school_practitioner)
    page = client.get(reverse("concerns:create", args=[child.pk])).content.decode()
    assert "You have not completed the CSE awareness course" in page
    assert "Start now" in page
    response = client.post(reverse("concerns:create", args=[child.pk]))
    assert response.status_code == 302


def test_someone_with_current_training_is_not_invited(taxonomy, school_practitioner, school):
    learning_content_load()
    presenter = UserFactory(agency=school, role=Role.SAFEGUARDING_LEAD)
    briefing_session_record(
        actor=presenter,
        course=Course.objects.get(code="awareness_plus_briefing"),
        agency=school,
        held_on=timezone.localdate(),
        location="The staff room",
        attendees=[school_practitioner],
    )
    child = ChildFactory(created_by=school_practitioner)
    page = (
        signed_in_client(school_practitioner)
        .get(reverse("concerns:create", args=[child.pk]))
        .content.decode()
    )
    assert "You have not completed the CSE awareness course" not in page
