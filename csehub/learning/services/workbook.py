"""The self-study workbook: starting, reading, answering, submitting and the reviewer's sign-off.

A learner's attempt moves in_progress -> submitted -> (returned -> submitted)* -> confirmed.
Marked questions are marked as they are saved; free text is read by the named reviewer, who
must never be the learner (checked here and by a database constraint). Neither submitting nor
confirming is allowed below the course's pass mark or with a must-be-right answer wrong
(learning.marking), whatever a form posts. Each step reloads the
attempt under a row lock before checking its state, so a double click confirms (or submits) once.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from csehub.accounts.models import User
from csehub.audit.models import Verb
from csehub.audit.services import audit_record
from csehub.taxonomy.models import Item

from ..models import (
    Answer,
    Attempt,
    AttemptStatus,
    Choice,
    Course,
    CourseKind,
    CourseSection,
    Question,
    QuestionKind,
    ReviewEvent,
    ReviewEventKind,
    SectionProgress,
    TrainingRecord,
    TrainingSource,
)
from ..selectors import workbook as selectors
from .certificates import certificate_issue
from .pledge import pledge_invitations_mark_completed


def _audit(actor: User, attempt: Attempt, verb: Verb, action: str, **detail: object) -> None:
    audit_record(
        actor=actor,
        verb=verb,
        target_type="learning_attempt",
        target_id=attempt.pk,
        detail={"action": action, **detail},
    )


def _lock(attempt: Attempt) -> None:
    """Reload the attempt as stored now, locked until the transaction ends."""
    attempt.refresh_from_db(from_queryset=Attempt.objects.select_for_update())


def _require_learner(actor: User, attempt: Attempt) -> None:
    if attempt.learner_id != actor.pk:
        raise PermissionDenied("Only the learner can change their own workbook")


def _require_editable(attempt: Attempt) -> None:
    if not attempt.is_editable:
        raise ValidationError("This workbook has been submitted and cannot be changed now")


def _touch(attempt: Attempt, **fields: object) -> None:
    for name, value in fields.items():
        setattr(attempt, name, value)
    attempt.updated_at = timezone.now()
    attempt.full_clean()
    attempt.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def attempt_start(*, actor: User, course: Course) -> Attempt:
    """The learner's open attempt at the course, started now if they have none."""
    if course.kind != CourseKind.WORKBOOK or not course.is_active:
        raise ValidationError("This course cannot be taken as a workbook")
    existing = selectors.attempt_open_for(learner=actor, course=course)
    if existing is not None:
        return existing
    first = course.sections.filter(is_retired=False).order_by("position").first()
    attempt = Attempt(
        learner=actor,
        course=course,
        course_version=course.version,
        last_section_code=first.code if first else "",
    )
    attempt.full_clean()
    attempt.save()
    _audit(actor, attempt, Verb.CREATED, "started", course=course.code)
    return attempt


@transaction.atomic
def attempt_position_save(*, actor: User, attempt: Attempt, section: CourseSection) -> Attempt:
    """Remember the section the learner is reading, so they come back to it."""
    _require_learner(actor, attempt)
    if attempt.last_section_code != section.code:
        _touch(attempt, last_section_code=section.code)
    return attempt


@transaction.atomic
def attempt_section_complete(
    *, actor: User, attempt: Attempt, section: CourseSection, next_code: str = ""
) -> SectionProgress:
    """The learner has read a section to the end; they carry on at next_code."""
    _require_learner(actor, attempt)
    if section.course_id != attempt.course_id:
        raise ValidationError("That section belongs to another course")
    progress, created = SectionProgress.objects.get_or_create(attempt=attempt, section=section)
    _touch(attempt, last_section_code=next_code or section.code)
    if created:
        _audit(actor, attempt, Verb.UPDATED, "section_completed", section=section.code)
    return progress


def _mark(question: Question, choices: list[Choice], items: list[Item], text: str) -> bool | None:
    """True or False for a marked question, None for free text (a person reads it)."""
    if question.kind == QuestionKind.FREE_TEXT:
        return None
    if question.kind == QuestionKind.NAME_N:
        return len({item.pk for item in items}) == question.n
    wanted = {c.pk for c in question.choices.filter(is_correct=True, is_retired=False)}
    return {c.pk for c in choices} == wanted


def _check_answer(question: Question, choices: list[Choice], items: list[Item], text: str) -> None:
    """The shape of an answer; forms give the same messages, this is the service's own guard."""
    kind = question.kind
    if kind == QuestionKind.FREE_TEXT and not text.strip():
        raise ValidationError({"text": "Enter your answer"})
    if kind in (QuestionKind.TRUE_FALSE, QuestionKind.SINGLE_CHOICE) and len(choices) != 1:
        raise ValidationError({"choices": "Select one answer"})
    if kind == QuestionKind.MULTIPLE_CHOICE and not choices:
        raise ValidationError({"choices": "Select at least one answer"})
    if any(c.question_id != question.pk or c.is_retired for c in choices):
        raise ValidationError({"choices": "Select one of the answers shown"})
    if kind == QuestionKind.NAME_N:
        if len({i.pk for i in items}) != question.n:
            raise ValidationError({"items": f"Select {question.n}"})
        if any(i.vocabulary_id != question.vocabulary_id or i.is_retired for i in items):
            raise ValidationError({"items": "Select from the list shown"})


@transaction.atomic
def answer_save(
    *,
    actor: User,
    attempt: Attempt,
    question: Question,
    text: str = "",
    choices: Iterable[Choice] = (),
    items: Iterable[Item] = (),
) -> Answer:
    """Save (or change) the learner's answer and mark it when it can be marked."""
    _lock(attempt)
    _require_learner(actor, attempt)
    _require_editable(attempt)
    if question.course_id != attempt.course_id or question.is_retired:
        raise ValidationError("That question is not part of this workbook")
    chosen = list(choices)
    picked = list(items)
    text = text.strip() if question.kind == QuestionKind.FREE_TEXT else ""
    _check_answer(question, chosen, picked, text)
    answer = Answer.objects.filter(attempt=attempt, question=question).first() or Answer(
        attempt=attempt, question=question
    )
    answer.text = text
    answer.is_correct = _mark(question, chosen, picked, text)
    answer.answered_at = timezone.now()
    answer.full_clean()
    answer.save()
    answer.choices.set(chosen)
    answer.items.set(picked)
    _touch(attempt)
    _audit(actor, attempt, Verb.UPDATED, "answered", question=question.code)
    return answer


@transaction.atomic
def attempt_submit(*, actor: User, attempt: Attempt, reviewer: User) -> Attempt:
    """Send the workbook to a reviewer: every question answered, and not to oneself."""
    _lock(attempt)
    _require_learner(actor, attempt)
    _require_editable(attempt)
    if reviewer.pk == actor.pk:
        raise ValidationError({"reviewer": "You cannot review your own workbook"})
    if not selectors.reviewer_candidates_for(learner=actor).filter(pk=reviewer.pk).exists():
        raise ValidationError({"reviewer": "Select a reviewer from the list"})
    unanswered = selectors.questions_unanswered(attempt=attempt)
    if unanswered:
        raise ValidationError(
            f"Answer every question before you submit: {len(unanswered)} still to answer"
        )
    _require_passed(attempt)
    resubmitted = attempt.status == AttemptStatus.RETURNED
    _touch(
        attempt,
        status=AttemptStatus.SUBMITTED,
        submitted_at=timezone.now(),
        reviewer=reviewer,
    )
    _audit(
        actor,
        attempt,
        Verb.UPDATED,
        "resubmitted" if resubmitted else "submitted",
        reviewer=reviewer.pk,
    )
    return attempt


def _require_passed(attempt: Attempt) -> None:
    """The course's pass mark reached and every must-be-right answer right."""
    result = selectors.attempt_result(attempt)
    if not result.passed:
        raise ValidationError(result.problems())


def _require_reviewer(actor: User, attempt: Attempt) -> None:
    if attempt.learner_id == actor.pk:
        raise PermissionDenied("Nobody can review or confirm their own workbook")
    if attempt.reviewer_id != actor.pk:
        raise PermissionDenied("Only the named reviewer can review this workbook")
    if attempt.status != AttemptStatus.SUBMITTED:
        raise ValidationError("This workbook is not waiting for review")


@transaction.atomic
def attempt_return(
    *, actor: User, attempt: Attempt, comments: str, discussed_with_learner: bool = False
) -> ReviewEvent:
    """Send the workbook back to the learner with comments, so they can change answers."""
    _lock(attempt)
    _require_reviewer(actor, attempt)
    comments = comments.strip()
    if not comments:
        raise ValidationError({"comments": "Enter comments for the learner"})
    event = ReviewEvent(
        attempt=attempt,
        reviewer=actor,
        kind=ReviewEventKind.RETURNED,
        discussed_with_learner=discussed_with_learner,
        comments=comments,
    )
    event.full_clean()
    event.save()
    _touch(attempt, status=AttemptStatus.RETURNED)
    _audit(actor, attempt, Verb.UPDATED, "returned")
    return event


def refresher_due(completed_on: datetime.date, course: Course) -> datetime.date:
    """completed_on plus the course's refresher months (the 31st falls back to the month end)."""
    months = completed_on.month - 1 + course.refresher_months
    year, month = completed_on.year + months // 12, months % 12 + 1
    for day in (completed_on.day, 30, 29, 28):
        try:
            return completed_on.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


@transaction.atomic
def attempt_confirm(
    *, actor: User, attempt: Attempt, discussed_with_learner: bool, comments: str = ""
) -> TrainingRecord:
    """Confirm completion: record it, work out the refresher date and issue the certificate."""
    _lock(attempt)
    _require_reviewer(actor, attempt)
    # Checked again, not only at submission: an attempt submitted before the pass mark existed,
    # or under an older course file, must not slip through.
    _require_passed(attempt)
    if not discussed_with_learner:
        raise ValidationError(
            {
                "discussed_with_learner": (
                    "Confirm that you have discussed the answers with the learner"
                )
            }
        )
    now = timezone.now()
    event = ReviewEvent(
        attempt=attempt,
        reviewer=actor,
        kind=ReviewEventKind.CONFIRMED,
        discussed_with_learner=True,
        comments=comments.strip(),
        at=now,
    )
    event.full_clean()
    event.save()
    _touch(attempt, status=AttemptStatus.CONFIRMED, confirmed_at=now)
    completed_on = timezone.localdate(now)
    record = TrainingRecord(
        user=attempt.learner,
        course=attempt.course,
        completed_on=completed_on,
        source=TrainingSource.WORKBOOK,
        attempt=attempt,
        refresher_due_on=refresher_due(completed_on, attempt.course),
    )
    record.full_clean()
    record.save()
    _audit(actor, attempt, Verb.UPDATED, "confirmed", training_record=record.pk)
    certificate_issue(attempt=attempt, actor=actor)
    pledge_invitations_mark_completed(user=attempt.learner)
    return record
