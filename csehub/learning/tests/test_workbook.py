"""The workbook services: progress, marking, submitting, returning, confirming."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from csehub.accounts.models import Role
from csehub.learning.models import (
    Attempt,
    AttemptStatus,
    Certificate,
    Course,
    ReviewEvent,
    TrainingRecord,
    TrainingSource,
)
from csehub.learning.selectors import workbook as selectors
from csehub.learning.services import workbook as services
from csehub.taxonomy import selectors as taxonomy_selectors
from csehub.testing.factories import UserFactory

from .workbook_setup import answer_all, submitted_attempt, workbook_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def workbook(db, tmp_path) -> Course:
    return workbook_load(tmp_path)


def test_progress_is_kept_between_sittings(workbook, school_practitioner):
    attempt = services.attempt_start(actor=school_practitioner, course=workbook)
    sections = selectors.sections_of(workbook)
    services.attempt_section_complete(
        actor=school_practitioner, attempt=attempt, section=sections[0], next_code=sections[1].code
    )
    # Second sitting: starting again returns the same attempt, at the section after the first.
    again = services.attempt_start(actor=school_practitioner, course=workbook)
    assert again.pk == attempt.pk
    assert again.last_section_code == sections[1].code
    assert selectors.sections_completed(again) == {sections[0].code}
    assert Attempt.objects.filter(learner=school_practitioner).count() == 1


def test_marked_questions_are_marked_and_free_text_is_left_for_a_person(
    workbook, school_practitioner
):
    attempt = services.attempt_start(actor=school_practitioner, course=workbook)
    under_16 = workbook.questions.get(code="definition_under_16")
    wrong = services.answer_save(
        actor=school_practitioner,
        attempt=attempt,
        question=under_16,
        choices=[under_16.choices.get(code="true")],
    )
    assert wrong.is_correct is False
    right = services.answer_save(
        actor=school_practitioner,
        attempt=attempt,
        question=under_16,
        choices=[under_16.choices.get(code="false")],
    )
    assert right.pk == wrong.pk and right.is_correct is True
    several = workbook.questions.get(code="something_in_exchange")
    partly = services.answer_save(
        actor=school_practitioner,
        attempt=attempt,
        question=several,
        choices=[several.choices.get(code="money_or_gifts")],
    )
    assert partly.is_correct is False
    free = services.answer_save(
        actor=school_practitioner,
        attempt=attempt,
        question=workbook.questions.get(code="what_is_cse"),
        text="  Abuse of a child under 18 through an imbalance of power.  ",
    )
    assert free.is_correct is None and free.text.startswith("Abuse")


def test_name_three_needs_exactly_three_items_from_the_list(workbook, school_practitioner):
    attempt = services.attempt_start(actor=school_practitioner, course=workbook)
    question = workbook.questions.get(code="safeguard_three")
    areas = list(taxonomy_selectors.items_for("safeguard_areas"))
    with pytest.raises(ValidationError):
        services.answer_save(
            actor=school_practitioner, attempt=attempt, question=question, items=areas[:2]
        )
    other = list(taxonomy_selectors.items_for("vipa"))[:3]
    with pytest.raises(ValidationError):
        services.answer_save(
            actor=school_practitioner, attempt=attempt, question=question, items=other
        )
    answer = services.answer_save(
        actor=school_practitioner, attempt=attempt, question=question, items=areas[:3]
    )
    assert answer.is_correct is True and answer.items.count() == 3


def test_submit_needs_every_answer_and_a_reviewer_who_is_not_the_learner(
    workbook, school_practitioner, school_dsl
):
    attempt = services.attempt_start(actor=school_practitioner, course=workbook)
    with pytest.raises(ValidationError, match="Answer every question"):
        services.attempt_submit(actor=school_practitioner, attempt=attempt, reviewer=school_dsl)
    answer_all(learner=school_practitioner, attempt=attempt)
    with pytest.raises(ValidationError, match="cannot review your own"):
        services.attempt_submit(
            actor=school_practitioner, attempt=attempt, reviewer=school_practitioner
        )
    outsider = UserFactory(role=Role.SAFEGUARDING_LEAD)  # another agency's lead
    with pytest.raises(ValidationError, match="from the list"):
        services.attempt_submit(actor=school_practitioner, attempt=attempt, reviewer=outsider)
    services.attempt_submit(actor=school_practitioner, attempt=attempt, reviewer=school_dsl)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.reviewer == school_dsl


def test_reviewers_are_the_agency_leads_or_else_colleagues(school, school_practitioner, school_dsl):
    assert list(selectors.reviewer_candidates_for(learner=school_practitioner)) == [school_dsl]
    # The lead chooses a colleague: never themselves.
    for_lead = list(selectors.reviewer_candidates_for(learner=school_dsl))
    assert school_practitioner in for_lead and school_dsl not in for_lead
    # An agency with no lead: any colleague.
    alone = UserFactory(full_name="Dana Fictional")
    peer = UserFactory(agency=alone.agency, full_name="Evan Fictional")
    assert list(selectors.reviewer_candidates_for(learner=alone)) == [peer]


def test_return_with_comments_then_confirm_creates_the_record_and_certificate(
    workbook, school_practitioner, school_dsl
):
    attempt = submitted_attempt(learner=school_practitioner, reviewer=school_dsl, course=workbook)
    with pytest.raises(ValidationError):
        services.attempt_return(actor=school_dsl, attempt=attempt, comments="   ")
    services.attempt_return(
        actor=school_dsl, attempt=attempt, comments="Say more about what to record."
    )
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.RETURNED
    # The learner changes an answer and submits again.
    services.answer_save(
        actor=school_practitioner,
        attempt=attempt,
        question=workbook.questions.get(code="disclosure_steps"),
        text="Listen, reassure, no leading questions, tell the lead, record their words.",
    )
    services.attempt_submit(actor=school_practitioner, attempt=attempt, reviewer=school_dsl)
    with pytest.raises(ValidationError):
        services.attempt_confirm(actor=school_dsl, attempt=attempt, discussed_with_learner=False)
    record = services.attempt_confirm(
        actor=school_dsl, attempt=attempt, discussed_with_learner=True
    )
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.CONFIRMED and attempt.confirmed_at is not None
    assert record.source == TrainingSource.WORKBOOK and record.user == school_practitioner
    assert record.refresher_due_on == services.refresher_due(record.completed_on, workbook)
    assert (record.refresher_due_on - record.completed_on).days in (1094, 1095, 1096)
    certificate = Certificate.objects.get(attempt=attempt)
    assert len(certificate.code) == 14 and certificate.code.count("-") == 2
    assert [e.kind for e in ReviewEvent.objects.filter(attempt=attempt)] == [
        "returned",
        "confirmed",
    ]
    assert selectors.has_completed_awareness(school_practitioner)


def test_nobody_confirms_their_own_workbook(workbook, school_practitioner, school_dsl):
    attempt = submitted_attempt(learner=school_practitioner, reviewer=school_dsl, course=workbook)
    with pytest.raises(PermissionDenied):
        services.attempt_confirm(
            actor=school_practitioner, attempt=attempt, discussed_with_learner=True
        )
    other_lead = UserFactory(agency=school_dsl.agency, role=Role.SAFEGUARDING_LEAD)
    with pytest.raises(PermissionDenied):
        services.attempt_confirm(actor=other_lead, attempt=attempt, discussed_with_learner=True)
    # And the database refuses an attempt that names its learner as reviewer.
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.filter(pk=attempt.pk).update(reviewer=school_practitioner)
    assert not TrainingRecord.objects.exists()


def test_a_submitted_workbook_cannot_be_changed(workbook, school_practitioner, school_dsl):
    attempt = submitted_attempt(learner=school_practitioner, reviewer=school_dsl, course=workbook)
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.answer_save(
            actor=school_practitioner,
            attempt=attempt,
            question=workbook.questions.get(code="what_is_cse"),
            text="Changed after submitting.",
        )


def test_refresher_months_are_added_to_the_completion_date(workbook):
    assert services.refresher_due(datetime.date(2026, 3, 31), workbook) == datetime.date(
        2029, 3, 31
    )
    workbook.refresher_months = 11
    assert services.refresher_due(datetime.date(2026, 3, 31), workbook) == datetime.date(
        2027, 2, 28
    )


def test_practice_links_indicators_to_the_section_that_teaches_them(workbook):
    found = selectors.course_section_for_indicator("warning_signs", "picked_up_in_cars")
    assert found is not None and found[1].code == "spotting_the_signs"
    found = selectors.course_section_for_indicator("vulnerability_factors", "young_carer")
    assert found is not None and found[1].code == "who_is_vulnerable"
    found = selectors.course_section_for_indicator("grooming_behaviours", "you_owe_me")
    assert found is not None and found[1].code == "grooming"
    assert selectors.course_section_for_indicator("warning_signs", "no_such_item") is None


def test_nobody_has_completed_awareness_until_a_record_exists(workbook, school_practitioner):
    assert not selectors.has_completed_awareness(school_practitioner)
