"""The workbook in a real browser, with an axe scan of every page on the way.

A school practitioner reads part of the workbook, leaves, comes back to the same place in a
second sitting, answers the questions (marked ones give feedback at once) and submits to the
school's safeguarding lead, who returns it once with comments and then confirms completion.
"""

from __future__ import annotations

import re
from typing import cast

import pytest
from playwright.sync_api import Page, expect

from csehub.accounts.models import AgencyType, Role, User
from csehub.learning.models import Attempt, AttemptStatus, Certificate, Course, QuestionKind
from csehub.learning.selectors import workbook as selectors
from csehub.taxonomy import selectors as taxonomy_selectors
from csehub.testing.browser import axe_check, open_page, sign_in
from csehub.testing.factories import AgencyFactory, PartnershipFactory, UserFactory, totp_device_for

from .workbook_setup import workbook_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _heading(page: Page, text: str | re.Pattern[str]) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


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


def _answer(page: Page, question) -> None:
    """Answer one question correctly through the page."""
    if question.kind == QuestionKind.FREE_TEXT:
        page.get_by_role("textbox").fill("A fictional learner's answer, in their own words.")
    elif question.kind == QuestionKind.NAME_N:
        for item in list(taxonomy_selectors.items_for(question.vocabulary))[: question.n]:
            page.get_by_label(item.label, exact=True).check()
    else:
        for choice in question.choices.filter(is_correct=True):
            page.get_by_label(choice.label, exact=True).check()
    page.get_by_role("button", name="Save your answer").click()


def test_a_learner_completes_the_workbook_over_two_sittings_and_is_signed_off(
    browser, live_server, people
):
    learner, lead = people
    course = Course.objects.get()
    sections = selectors.sections_of(course)
    questions = selectors.questions_of(course)

    # First sitting: start, read three sections, leave.
    first = open_page(browser, live_server.url)
    sign_in(first, learner, check=False)
    first.goto("/learning/")
    _heading(first, "Training")
    axe_check(first)
    first.get_by_role("link", name=re.compile("^Start")).click()
    _heading(first, course.title)
    axe_check(first)
    first.get_by_role("button", name="Start the workbook").click()
    for section in sections[:3]:
        _heading(first, section.title)
        axe_check(first)
        first.get_by_role("button", name="Continue", exact=True).click()
    _heading(first, sections[3].title)
    first.get_by_role("link", name="Save and come back later").click()
    _heading(first, "Your workbook")
    axe_check(first)
    first.context.close()

    # Second sitting: back to the fourth section, read the rest, answer the questions.
    page = open_page(browser, live_server.url)
    sign_in(page, learner, check=False)
    page.goto("/learning/")
    page.get_by_role("link", name=re.compile("^Continue")).click()
    _heading(page, "Your workbook")
    page.get_by_role("link", name="Continue where you left off").click()
    _heading(page, sections[3].title)
    for index, section in enumerate(sections[3:], start=3):
        _heading(page, section.title)
        axe_check(page)
        last = index == len(sections) - 1
        page.get_by_role(
            "button", name="Continue to the questions" if last else "Continue", exact=True
        ).click()

    for question in questions:
        expect(page.get_by_role("heading", level=1)).to_contain_text(question.prompt[:40])
        if question.code == "definition_under_16":
            axe_check(page)
            page.get_by_role("button", name="Save your answer").click()
            expect(page.get_by_role("alert")).to_contain_text("Select true or false")
            axe_check(page)
            page.get_by_label("True", exact=True).check()  # the wrong answer
            page.get_by_role("button", name="Save your answer").click()
            feedback = page.locator("#feedback")
            expect(feedback).to_contain_text("Not quite")
            expect(feedback).to_contain_text("16 and 17 year olds")
            axe_check(page)
        elif question.kind == QuestionKind.FREE_TEXT:
            _answer(page, question)
            continue  # free text goes straight on to the next question
        else:
            _answer(page, question)
            expect(page.locator("#feedback")).to_contain_text("Correct")
            if question.kind == QuestionKind.NAME_N:
                axe_check(page)
        page.get_by_role("link", name=re.compile("^(Next question|Check your answers)$")).click()

    _heading(page, "Check your answers and choose a reviewer")
    axe_check(page)
    page.get_by_role("button", name="Submit your workbook").click()
    expect(page.get_by_role("alert")).to_contain_text("Select who will review your workbook")
    axe_check(page)
    page.get_by_label(re.compile("^Dana Lead")).check()
    page.get_by_role("button", name="Submit your workbook").click()
    _heading(page, "Your workbook")
    expect(page.get_by_text("Waiting for review").first).to_be_visible()
    axe_check(page)

    # The lead returns it once, with comments.
    reviewer = open_page(browser, live_server.url)
    sign_in(reviewer, lead, check=False)
    reviewer.goto("/learning/reviews/")
    _heading(reviewer, "Workbooks to review")
    axe_check(reviewer)
    reviewer.get_by_role("link", name="Robin Learner").click()
    _heading(reviewer, "Review Robin Learner's workbook")
    axe_check(reviewer)
    reviewer.get_by_role("button", name="Return to the learner").click()
    expect(reviewer.get_by_role("alert")).to_contain_text("Enter comments")
    axe_check(reviewer)
    reviewer.get_by_label("Comments for the learner").fill("Please add what you would record.")
    reviewer.get_by_role("button", name="Return to the learner").click()
    _heading(reviewer, "Workbooks to review")

    # The learner sees the comments and submits again.
    page.reload()
    expect(page.get_by_text("Please add what you would record.")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Choose a reviewer and submit").click()
    page.get_by_label(re.compile("^Dana Lead")).check()
    page.get_by_role("button", name="Submit your workbook").click()

    # The lead confirms, having discussed the answers.
    reviewer.goto("/learning/reviews/")
    reviewer.get_by_role("link", name="Robin Learner").first.click()
    reviewer.get_by_role("button", name="Confirm completion").click()
    expect(reviewer.get_by_role("alert")).to_contain_text("discussed the answers")
    reviewer.get_by_label("I have discussed the answers with the learner").check()
    reviewer.get_by_role("button", name="Confirm completion").click()
    _heading(reviewer, "Workbooks to review")
    axe_check(reviewer)

    page.reload()
    expect(page.get_by_role("heading", name="Course completed")).to_be_visible()
    axe_check(page)
    attempt = Attempt.objects.get(learner=learner)
    assert attempt.status == AttemptStatus.CONFIRMED
    assert Certificate.objects.filter(attempt=attempt).exists()
    for opened in (page, reviewer):
        opened.context.close()
