"""The sign-off safeguard in a real browser, with axe: a learner who gets the immediate-danger
question wrong is sent back to read its section, cannot submit below the pass mark, and a
reviewer shown an attempt that fails sees the score and every wrong answer and has no way to
confirm it. Every person is fictional.
"""

from __future__ import annotations

import re
from typing import cast

import pytest
from playwright.sync_api import Page, expect

from csehub.accounts.models import AgencyType, Role, User
from csehub.learning.models import Attempt, AttemptStatus, Certificate, Course
from csehub.learning.services import workbook as services
from csehub.testing.browser import axe_check, open_page, sign_in
from csehub.testing.factories import AgencyFactory, PartnershipFactory, UserFactory, totp_device_for

from .workbook_setup import answer_all, workbook_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(db, tmp_path) -> tuple[User, User]:
    partnership = PartnershipFactory()
    school = AgencyFactory(
        partnership=partnership, name="Larkfield School", agency_type=AgencyType.SCHOOL
    )
    learner = cast(
        User, UserFactory(agency=school, role=Role.PRACTITIONER, full_name="Robin Learner")
    )
    lead = cast(
        User, UserFactory(agency=school, role=Role.SAFEGUARDING_LEAD, full_name="Dana Lead")
    )
    for user in (learner, lead):
        totp_device_for(user)
    workbook_load(tmp_path)
    return learner, lead


def _choose(attempt: Attempt, code: str, choice: str) -> None:
    question = attempt.course.questions.get(code=code)
    services.answer_save(
        actor=attempt.learner,
        attempt=attempt,
        question=question,
        choices=list(question.choices.filter(code=choice)),
    )


def _heading(page: Page, text: str | re.Pattern[str]) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def test_a_wrong_immediate_danger_answer_sends_the_learner_back_and_blocks_submitting(
    browser, live_server, people
):
    learner, _lead = people
    attempt = services.attempt_start(actor=learner, course=Course.objects.get())
    answer_all(learner=learner, attempt=attempt)
    page = open_page(browser, live_server.url)
    sign_in(page, learner, check=False)
    page.goto(f"/learning/attempts/{attempt.pk}/questions/immediate_danger/")
    page.get_by_label("Complete a concern form before doing anything else").check()
    page.get_by_role("button", name="Change your answer").click()
    feedback = page.locator("#feedback")
    expect(feedback).to_contain_text("You need to get this question right")
    expect(feedback).not_to_contain_text("Call 999")
    axe_check(page)
    feedback.get_by_role("link", name=re.compile("^Read .* again")).click()
    _heading(page, "Making a referral and who to contact")
    axe_check(page)

    page.goto(f"/learning/attempts/{attempt.pk}/submit/")
    _heading(page, "Check your answers and choose a reviewer")
    expect(page.get_by_test_id("result")).to_contain_text("Not passed")
    expect(page.get_by_text("You cannot submit your workbook yet")).to_be_visible()
    expect(page.get_by_role("button", name="Submit your workbook")).to_have_count(0)
    axe_check(page)
    page.get_by_role("link", name=re.compile("^Read .*Making a referral.* again")).click()
    page.get_by_role("link", name="go back to the question and change your answer").click()
    page.get_by_label("Call 999").check()
    page.get_by_role("button", name="Change your answer").click()
    expect(page.locator("#feedback")).to_contain_text("Correct")
    page.goto(f"/learning/attempts/{attempt.pk}/submit/")
    expect(page.get_by_test_id("result")).to_contain_text("Passed")
    expect(page.get_by_role("button", name="Submit your workbook")).to_be_visible()
    axe_check(page)


def test_the_reviewer_sees_the_score_and_the_wrong_answers_and_cannot_confirm(
    browser, live_server, people
):
    learner, lead = people
    attempt = services.attempt_start(actor=learner, course=Course.objects.get())
    answer_all(learner=learner, attempt=attempt)
    _choose(attempt, "immediate_danger", "complete_form")
    _choose(attempt, "boys_exploited", "false")
    _choose(attempt, "keep_secret", "promise")
    _choose(attempt, "grooming_first_stage", "loving_relationship")
    # Submitted before the pass mark existed: the service would refuse it now.
    Attempt.objects.filter(pk=attempt.pk).update(
        status=AttemptStatus.SUBMITTED, reviewer=lead, submitted_at=attempt.started_at
    )
    page = open_page(browser, live_server.url)
    sign_in(page, lead, check=False)
    page.goto(f"/learning/reviews/{attempt.pk}/")
    _heading(page, "Review Robin Learner's workbook")
    result = page.get_by_test_id("result")
    expect(result).to_contain_text("9 of 13 (69%)")
    expect(result).to_contain_text("80% (11 of 13)")
    expect(result).to_contain_text("Not passed")
    wrong = page.get_by_test_id("wrong-answers")
    danger = wrong.get_by_role("row", name=re.compile("collected by an adult"))
    expect(danger).to_contain_text("Must be right")
    expect(danger).to_contain_text("Complete a concern form before doing anything else")
    expect(danger).to_contain_text("Call 999")
    expect(wrong.get_by_role("row", name=re.compile("Boys and young men"))).to_contain_text("False")
    expect(page.get_by_role("button", name="Confirm completion")).to_have_count(0)
    axe_check(page)
    page.get_by_label("Comments for the learner").fill("Read the section on referral again.")
    page.get_by_role("button", name="Return to the learner").click()
    _heading(page, "Workbooks to review")
    assert not Certificate.objects.exists()
