"""The workbook and review pages, as a learner and a reviewer see them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csehub.audit.models import AuditEvent, Outcome
from csehub.learning.models import (
    Answer,
    Attempt,
    AttemptStatus,
    Certificate,
    Course,
    TrainingRecord,
)
from csehub.learning.services import workbook as services
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import UserFactory

from .workbook_setup import answer_all, submitted_attempt, workbook_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def workbook(db, tmp_path) -> Course:
    return workbook_load(tmp_path)


def _start(client, workbook) -> Attempt:
    response = client.post(reverse("learning:course", args=[workbook.code]))
    assert response.status_code == 302
    return Attempt.objects.get()


def test_the_learner_starts_and_comes_back_where_they_left_off(workbook, school_practitioner):
    client = signed_in_client(school_practitioner)
    page = client.get(reverse("learning:index"))
    assert "Child sexual exploitation awareness workbook" in page.content.decode()
    attempt = _start(client, workbook)
    first = reverse("learning:section", args=[attempt.pk, "what_is_cse"])
    response = client.post(first)
    assert response["Location"] == reverse("learning:section", args=[attempt.pk, "how_it_happens"])
    client.get(reverse("learning:section", args=[attempt.pk, "grooming"]))
    # A new sitting: a fresh client signed in as the same learner.
    later = signed_in_client(school_practitioner)
    response = later.post(reverse("learning:course", args=[workbook.code]))
    assert response["Location"] == reverse("learning:section", args=[attempt.pk, "grooming"])
    overview = later.get(reverse("learning:attempt", args=[attempt.pk])).content.decode()
    assert "Completed" in overview and "In progress" in overview
    assert "0 of 18 answered" in overview


def test_a_section_shows_the_partnership_directory_and_taxonomy_links(
    workbook, school_practitioner
):
    client = signed_in_client(school_practitioner)
    attempt = _start(client, workbook)
    html = client.get(reverse("learning:section", args=[attempt.pk, "spotting_the_signs"]))
    body = html.content.decode()
    assert (
        reverse("taxonomy:guidance-item", args=["safeguard_areas", "unexplained_gifts_or_money"])
        in body
    )
    referral = client.get(reverse("learning:section", args=[attempt.pk, "making_a_referral"]))
    # No directory is loaded for the test partnership: the page says so rather than inventing one.
    assert "has not loaded its contact directory" in referral.content.decode()
    language = client.get(reverse("learning:section", args=[attempt.pk, "supporting_the_child"]))
    assert reverse("language:try") in language.content.decode()


def test_a_marked_question_gives_feedback_once_the_answer_is_saved(workbook, school_practitioner):
    client = signed_in_client(school_practitioner)
    attempt = _start(client, workbook)
    url = reverse("learning:question", args=[attempt.pk, "definition_under_16"])
    before = client.get(url).content.decode()
    assert "Not quite" not in before
    response = client.post(url, {"answer": "true"})
    assert response.status_code == 302
    after = client.get(url).content.decode()
    assert "Not quite" in after
    assert "including 16 and 17" in after
    assert Answer.objects.get(question__code="definition_under_16").is_correct is False


def test_errors_are_specific_and_keep_what_was_entered(workbook, school_practitioner):
    client = signed_in_client(school_practitioner)
    attempt = _start(client, workbook)
    tf = client.post(reverse("learning:question", args=[attempt.pk, "definition_under_16"]), {})
    assert tf.status_code == 200
    assert "Select true or false" in tf.content.decode()
    assert "There is a problem" in tf.content.decode()
    three = client.post(
        reverse("learning:question", args=[attempt.pk, "safeguard_three"]),
        {"answer": ["sexual_health_and_behaviour", "alcohol_and_drug_misuse"]},
    )
    body = three.content.decode()
    assert "Select 3: you have selected 2" in body
    assert 'value="alcohol_and_drug_misuse" checked' in body
    assert not Answer.objects.exists()


def test_submitting_names_a_reviewer_who_is_not_the_learner(
    workbook, school_practitioner, school_dsl
):
    attempt = services.attempt_start(actor=school_practitioner, course=workbook)

    answer_all(learner=school_practitioner, attempt=attempt)
    client = signed_in_client(school_practitioner)
    url = reverse("learning:submit", args=[attempt.pk])
    page = client.get(url).content.decode()
    assert school_dsl.full_name in page and f'value="{school_practitioner.pk}"' not in page
    missing = client.post(url, {})
    assert "Select who will review your workbook" in missing.content.decode()
    own = client.post(url, {"reviewer": school_practitioner.pk})
    assert "Select a reviewer from the list" in own.content.decode()
    response = client.post(url, {"reviewer": school_dsl.pk})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED


def test_the_reviewer_returns_with_comments_then_confirms(
    workbook, school_practitioner, school_dsl
):
    attempt = submitted_attempt(learner=school_practitioner, reviewer=school_dsl, course=workbook)
    reviewer = signed_in_client(school_dsl)
    assert (
        school_practitioner.full_name
        in reviewer.get(reverse("learning:review-queue")).content.decode()
    )
    url = reverse("learning:review", args=[attempt.pk])
    page = reviewer.get(url).content.decode()
    assert "A fictional learner&#x27;s answer" in page and "For the reviewer to read" in page
    no_comments = reviewer.post(url, {"decision": "return"})
    assert "Enter comments so the learner knows what to change" in no_comments.content.decode()
    reviewer.post(url, {"decision": "return", "comments": "Add what you would record."})
    learner = signed_in_client(school_practitioner)
    overview = learner.get(reverse("learning:attempt", args=[attempt.pk])).content.decode()
    assert "Add what you would record." in overview and "Returned to you" in overview
    learner.post(reverse("learning:submit", args=[attempt.pk]), {"reviewer": school_dsl.pk})
    not_discussed = reviewer.post(url, {"decision": "confirm"})
    assert "discussed the answers with the learner" in not_discussed.content.decode()
    done = reviewer.post(url, {"decision": "confirm", "discussed_with_learner": "on"})
    assert done.status_code == 302
    assert TrainingRecord.objects.filter(user=school_practitioner).count() == 1
    assert Certificate.objects.filter(attempt=attempt).exists()


def test_a_practitioner_cannot_open_another_learners_attempt(
    workbook, school_practitioner, school_dsl
):
    attempt = services.attempt_start(actor=school_dsl, course=workbook)
    client = signed_in_client(school_practitioner)
    for url in (
        reverse("learning:attempt", args=[attempt.pk]),
        reverse("learning:section", args=[attempt.pk, "what_is_cse"]),
        reverse("learning:question", args=[attempt.pk, "what_is_cse"]),
        reverse("learning:submit", args=[attempt.pk]),
        reverse("learning:review", args=[attempt.pk]),
    ):
        assert client.get(url).status_code == 404
    assert (
        AuditEvent.objects.filter(
            actor=school_practitioner,
            outcome=Outcome.DENIED,
            target_type="learning_attempt",
            target_id=str(attempt.pk),
        ).count()
        == 5
    )


def test_a_colleague_not_named_as_reviewer_cannot_review(workbook, school_practitioner, school_dsl):
    attempt = submitted_attempt(learner=school_practitioner, reviewer=school_dsl, course=workbook)
    other = UserFactory(agency=school_dsl.agency)
    client = signed_in_client(other)
    assert client.get(reverse("learning:review", args=[attempt.pk])).status_code == 404
    response = client.post(
        reverse("learning:review", args=[attempt.pk]),
        {"decision": "confirm", "discussed_with_learner": "on"},
    )
    assert response.status_code == 404
    assert not TrainingRecord.objects.exists()
