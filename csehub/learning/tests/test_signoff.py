"""The sign-off safeguard (issue 12): the pass mark and the must-be-right questions.

The case from the issue: a certificate was issued for a workbook with most marked answers wrong,
including "complete a concern form" when a child is in immediate danger and "false" to "boys
can be victims". Every person here is fictional.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from csehub.learning.models import (
    Attempt,
    AttemptStatus,
    Certificate,
    Course,
    TrainingRecord,
)
from csehub.learning.selectors import workbook as selectors
from csehub.learning.services import workbook as services
from csehub.testing.clients import signed_in_client

from .workbook_setup import answer_all, workbook_load

pytestmark = pytest.mark.django_db

# The wrong answers in the issue's workbook, by question code and choice code.
WRONG = {
    "immediate_danger": ["complete_form"],
    "boys_exploited": ["false"],
    "definition_under_16": ["true"],
    "consensual_looking": ["true"],
    "under_13_consent": ["cse_is_offence"],
    "grooming_first_stage": ["loving_relationship"],
    "keep_secret": ["promise"],
    "abduction_notice": ["warn_child"],
    "victim_blaming_language": ["putting_herself_at_risk"],
}


@pytest.fixture
def workbook(db, tmp_path) -> Course:
    return workbook_load(tmp_path)


def _answer(attempt: Attempt, code: str, choices: list[str]) -> None:
    question = attempt.course.questions.get(code=code)
    services.answer_save(
        actor=attempt.learner,
        attempt=attempt,
        question=question,
        choices=list(question.choices.filter(code__in=choices)),
    )


def _answered(workbook: Course, learner, wrong: dict[str, list[str]]) -> Attempt:
    attempt = services.attempt_start(actor=learner, course=workbook)
    answer_all(learner=learner, attempt=attempt)
    for code, choices in wrong.items():
        _answer(attempt, code, choices)
    return attempt


def _forced_to_review(attempt: Attempt, reviewer) -> Attempt:
    """As if submitted before the pass mark existed: the service would refuse it now."""
    Attempt.objects.filter(pk=attempt.pk).update(
        status=AttemptStatus.SUBMITTED, reviewer=reviewer, submitted_at=attempt.started_at
    )
    attempt.refresh_from_db()
    return attempt


def test_the_workbook_file_sets_a_pass_mark_and_the_questions_that_must_be_right(workbook):
    assert workbook.pass_mark == 80
    assert set(workbook.questions.filter(must_be_right=True).values_list("code", flat=True)) == {
        "immediate_danger",
        "consensual_looking",
        "under_13_consent",
    }


def test_the_issues_workbook_scores_below_the_pass_mark(workbook, school_practitioner):
    attempt = _answered(workbook, school_practitioner, WRONG)
    result = selectors.attempt_result(attempt)
    assert (result.right, result.marked) == (4, 13)
    assert result.needed == 11 and not result.meets_pass_mark and not result.passed
    by_code = {wrong.question.code: wrong for wrong in result.wrong}
    assert by_code["immediate_danger"].given == "Complete a concern form before doing anything else"
    assert by_code["immediate_danger"].right == "Call 999"
    assert by_code["boys_exploited"].given == "False" and by_code["boys_exploited"].right == "True"
    assert [s.code for s in result.sections_to_reread] == [
        "what_is_cse",
        "the_law",
        "making_a_referral",
    ]


def test_the_learner_cannot_submit_below_the_pass_mark(workbook, school_practitioner, school_dsl):
    wrong = {
        "boys_exploited": ["false"],
        "definition_under_16": ["true"],
        "keep_secret": ["promise"],
    }
    attempt = _answered(workbook, school_practitioner, wrong)
    with pytest.raises(ValidationError, match="10 of 13 marked answers are right"):
        services.attempt_submit(actor=school_practitioner, attempt=attempt, reviewer=school_dsl)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS


def test_a_wrong_immediate_danger_answer_stops_submission_even_with_a_high_score(
    workbook, school_practitioner, school_dsl
):
    attempt = _answered(workbook, school_practitioner, {"immediate_danger": ["email_lead"]})
    result = selectors.attempt_result(attempt)
    assert result.meets_pass_mark and not result.passed
    with pytest.raises(ValidationError, match='read "Making a referral and who to contact" again'):
        services.attempt_submit(actor=school_practitioner, attempt=attempt, reviewer=school_dsl)
    # Put right, it goes.
    _answer(attempt, "immediate_danger", ["call_999"])
    services.attempt_submit(actor=school_practitioner, attempt=attempt, reviewer=school_dsl)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED


def test_no_certificate_is_issued_for_the_issues_workbook(
    workbook, school_practitioner, school_dsl
):
    attempt = _forced_to_review(_answered(workbook, school_practitioner, WRONG), school_dsl)
    with pytest.raises(ValidationError, match="must be answered correctly"):
        services.attempt_confirm(actor=school_dsl, attempt=attempt, discussed_with_learner=True)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    assert not Certificate.objects.exists() and not TrainingRecord.objects.exists()
    # The reviewer can still send it back with what to read again.
    services.attempt_return(
        actor=school_dsl, attempt=attempt, comments="Read the sections on referral and the law."
    )
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.RETURNED


def test_the_reviewer_sees_the_score_and_every_wrong_answer_and_cannot_confirm(
    workbook, school_practitioner, school_dsl
):
    attempt = _forced_to_review(_answered(workbook, school_practitioner, WRONG), school_dsl)
    client = signed_in_client(school_dsl)
    url = reverse("learning:review", args=[attempt.pk])
    page = client.get(url).content.decode()
    assert "4 of 13 (30%)" in page
    assert "80% (11 of 13)" in page
    assert "Not passed" in page and "You cannot confirm completion" in page
    assert "Complete a concern form before doing anything else" in page
    assert "Call 999" in page
    assert page.count("Must be right") == 3
    assert 'value="confirm"' not in page
    # Posting a confirmation anyway is refused by the service.
    response = client.post(
        url, {"decision": "confirm", "discussed_with_learner": "on", "comments": ""}
    )
    assert response.status_code == 200
    assert "must be answered correctly" in response.content.decode()
    assert not Certificate.objects.exists()


def test_a_wrong_must_be_right_answer_sends_the_learner_back_to_its_section(
    workbook, school_practitioner
):
    client = signed_in_client(school_practitioner)
    attempt = services.attempt_start(actor=school_practitioner, course=workbook)
    url = reverse("learning:question", args=[attempt.pk, "immediate_danger"])
    client.post(url, {"answer": "complete_form"})
    page = client.get(url).content.decode()
    assert "You need to get this question right to complete the course" in page
    reread = reverse("learning:section", args=[attempt.pk, "making_a_referral"])
    assert f"{reread}?reread=immediate_danger" in page
    # The right answer is not given away: the learner reads the section again.
    assert "The right answer: Call 999" not in page
    section = client.get(f"{reread}?reread=immediate_danger").content.decode()
    assert "go back to the question and change your answer" in section
    assert url in section
