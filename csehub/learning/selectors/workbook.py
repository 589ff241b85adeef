"""Reads for the workbook: courses, a learner's own attempts, a reviewer's queue, and the links
between practice and training. Attempts are scoped: learners see their own, reviewers the ones
that name them (REVIEW_TRAINING, scope OWN)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from csehub.accounts.models import Role, User
from csehub.taxonomy.models import Item

from ..marking import AttemptResult, attempt_result_of
from ..models import (
    OPEN_ATTEMPT_STATUSES,
    Answer,
    Attempt,
    AttemptStatus,
    Course,
    CourseKind,
    CourseSection,
    Question,
    TrainingRecord,
)


def courses_available() -> QuerySet[Course]:
    return Course.objects.filter(is_active=True).order_by("position", "title")


def workbook_by_code(code: str) -> Course | None:
    return courses_available().filter(kind=CourseKind.WORKBOOK, code=code).first()


def sections_of(course: Course) -> list[CourseSection]:
    return list(course.sections.filter(is_retired=False).order_by("position"))


def questions_of(course: Course) -> list[Question]:
    return list(
        course.questions.filter(is_retired=False)
        .select_related("vocabulary", "section")
        .prefetch_related("choices")
        .order_by("position")
    )


def attempts_of_learner(*, user: User) -> QuerySet[Attempt]:
    """The user's own attempts: the only ones a learner can open."""
    return (
        Attempt.objects.filter(learner=user)
        .select_related("course", "reviewer", "learner")
        .order_by("-started_at")
    )


def attempt_open_for(*, learner: User, course: Course) -> Attempt | None:
    return (
        Attempt.objects.filter(learner=learner, course=course, status__in=OPEN_ATTEMPT_STATUSES)
        .order_by("-started_at")
        .first()
    )


def attempts_to_review(*, user: User) -> QuerySet[Attempt]:
    """Attempts that name the user as reviewer, never their own."""
    return (
        Attempt.objects.filter(reviewer=user)
        .exclude(learner=user)
        .select_related("course", "learner", "learner__agency", "reviewer")
        .order_by("submitted_at")
    )


def review_queue(*, user: User) -> QuerySet[Attempt]:
    return attempts_to_review(user=user).filter(status=AttemptStatus.SUBMITTED)


def reviews_done(*, user: User) -> QuerySet[Attempt]:
    return (
        attempts_to_review(user=user)
        .filter(status__in=[AttemptStatus.RETURNED, AttemptStatus.CONFIRMED])
        .order_by("-updated_at")
    )


def reviewer_candidates_for(*, learner: User) -> QuerySet[User]:
    """Who may sign off the learner's workbook: their agency's safeguarding leads; when the
    learner is a lead or the agency has none, any colleague in their agency. Never the learner."""
    if learner.agency_id is None:
        return User.objects.none()
    colleagues = (
        User.objects.filter(agency_id=learner.agency_id, is_active=True, is_system_account=False)
        .exclude(pk=learner.pk)
        .order_by("full_name")
    )
    leads = colleagues.filter(role=Role.SAFEGUARDING_LEAD)
    if learner.role == Role.SAFEGUARDING_LEAD or not leads.exists():
        return colleagues
    return leads


def answers_of(attempt: Attempt) -> dict[int, Answer]:
    """The attempt's answers by question id, with what was chosen or picked."""
    answers = Answer.objects.filter(attempt=attempt).prefetch_related(
        Prefetch("choices"), Prefetch("items")
    )
    return {answer.question_id: answer for answer in answers}


def questions_unanswered(*, attempt: Attempt) -> list[Question]:
    answered = set(Answer.objects.filter(attempt=attempt).values_list("question_id", flat=True))
    return [q for q in questions_of(attempt.course) if q.pk not in answered]


def attempt_result(attempt: Attempt) -> AttemptResult:
    """The attempt's score against its course's pass mark and must-be-right questions."""
    return attempt_result_of(
        questions=questions_of(attempt.course),
        answers=answers_of(attempt),
        pass_mark=attempt.course.pass_mark,
    )


def sections_completed(attempt: Attempt) -> set[str]:
    return set(attempt.progress.values_list("section__code", flat=True))


@dataclass(frozen=True)
class TaskRow:
    title: str
    url: str
    status: str  # "completed", "in_progress", "not_started", "cannot_start"


def has_completed_awareness(user: User) -> bool:
    """Whether the user holds a current (not lapsed) record of any awareness course.

    Pages use this to invite someone to take the course; it never blocks anything."""
    if not isinstance(user, User):
        return False
    today = timezone.localdate()
    return TrainingRecord.objects.filter(
        user=user, course__is_active=True, refresher_due_on__gt=today
    ).exists()


def course_sections_by_vocabulary() -> dict[str, tuple[Course, CourseSection]]:
    """For each vocabulary, the first workbook section that teaches it (or its parent list).

    Data-driven: a section teaches a vocabulary when it shows it in a taxonomy_list block, so
    the mapping follows the course file. One pass, for pages that link many indicators."""
    sections = CourseSection.objects.filter(
        Q(course__kind=CourseKind.WORKBOOK, course__is_active=True), is_retired=False
    ).select_related("course")
    ordered = sorted(sections, key=lambda s: (s.course.position, s.position))
    taught: dict[str, tuple[Course, CourseSection]] = {}
    for section in ordered:
        for block in section.blocks:
            if block.get("type") == "taxonomy_list":
                taught.setdefault(str(block.get("vocabulary")), (section.course, section))
    # A vocabulary grouped under another's items (warning signs under SAFEGUARD areas, say)
    # is taught where its parent list is, unless a section shows it directly.
    parents = (
        Item.objects.filter(parent__isnull=False)
        .exclude(parent__vocabulary=F("vocabulary"))
        .values_list("vocabulary__code", "parent__vocabulary__code")
        .distinct()
        .order_by("vocabulary__code", "parent__vocabulary__code")
    )
    for vocabulary_code, parent_code in parents:
        if vocabulary_code not in taught and parent_code in taught:
            taught[vocabulary_code] = taught[parent_code]
    return taught


def course_section_for_indicator(
    vocabulary_code: str, item_code: str
) -> tuple[Course, CourseSection] | None:
    """The workbook section that teaches an indicator's vocabulary, or None."""
    if not Item.objects.filter(vocabulary__code=vocabulary_code, code=item_code).exists():
        return None
    return course_sections_by_vocabulary().get(vocabulary_code)
