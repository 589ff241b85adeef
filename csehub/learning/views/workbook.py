"""The learner's pages: courses and attempts, the task list, sections, questions and submitting."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from csehub.access.lookups import object_for_user_or_404
from csehub.access.request import request_user
from csehub.govuk_forms import service_errors_onto
from csehub.taxonomy import selectors as taxonomy_selectors

from ..forms import QuestionForm, SubmitForm, question_initial
from ..marking import answer_text
from ..models import Answer, Attempt, AttemptStatus, CourseKind, Question, QuestionKind
from ..selectors import content as content_selectors
from ..selectors import workbook as selectors
from ..services import workbook as services

TARGET = "learning_attempt"


def _own_attempt(request: HttpRequest, attempt_id: int) -> Attempt:
    user = request_user(request)
    # Training is not a record about a child: denied looks are audited, the learner's own are not.
    return object_for_user_or_404(
        user=user,
        visible=selectors.attempts_of_learner(user=user),
        pk=attempt_id,
        target_type=TARGET,
        audit_view=False,
    )


@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    courses = []
    for course in selectors.courses_available().filter(kind=CourseKind.WORKBOOK):
        courses.append(
            {"course": course, "open": selectors.attempt_open_for(learner=user, course=course)}
        )
    return render(
        request,
        "learning/index.html",
        {
            "courses": courses,
            "attempts": list(selectors.attempts_of_learner(user=user)),
            "to_review": selectors.review_queue(user=user).count(),
            "completed": selectors.has_completed_awareness(user),
        },
    )


@require_http_methods(["GET", "POST"])
def course(request: HttpRequest, course_code: str) -> HttpResponse:
    user = request_user(request)
    workbook = selectors.workbook_by_code(course_code)
    if workbook is None:
        raise Http404
    if request.method == "POST":
        attempt = services.attempt_start(actor=user, course=workbook)
        return redirect(_resume_url(attempt))
    return render(
        request,
        "learning/course.html",
        {
            "course": workbook,
            "sections": selectors.sections_of(workbook),
            "question_count": len(selectors.questions_of(workbook)),
            "open": selectors.attempt_open_for(learner=user, course=workbook),
        },
    )


def _resume_url(attempt: Attempt) -> str:
    """Where the learner left off: the last section they were on, or the overview."""
    if attempt.is_editable and attempt.last_section_code:
        codes = {s.code for s in selectors.sections_of(attempt.course)}
        if attempt.last_section_code in codes:
            return reverse("learning:section", args=[attempt.pk, attempt.last_section_code])
    return reverse("learning:attempt", args=[attempt.pk])


def _tasks(attempt: Attempt) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    sections = selectors.sections_of(attempt.course)
    done = selectors.sections_completed(attempt)
    rows = []
    for section in sections:
        if section.code in done:
            status = "completed"
        elif section.code == attempt.last_section_code:
            status = "in_progress"
        else:
            status = "not_started"
        rows.append(
            {
                "title": section.title,
                "href": reverse("learning:section", args=[attempt.pk, section.code]),
                "status": status,
            }
        )
    questions = selectors.questions_of(attempt.course)
    answered = selectors.answers_of(attempt)
    unanswered = [q for q in questions if q.pk not in answered]
    first = unanswered[0] if unanswered else (questions[0] if questions else None)
    question_row = {
        "title": "Answer the questions",
        "href": reverse("learning:question", args=[attempt.pk, first.code]) if first else "",
        "status": (
            "completed"
            if questions and not unanswered
            else ("in_progress" if answered else "not_started")
        ),
        "hint": f"{len(questions) - len(unanswered)} of {len(questions)} answered",
    }
    rows_extra = {"questions": question_row, "ready": bool(questions) and not unanswered}
    return rows, rows_extra


@require_http_methods(["GET"])
def attempt_overview(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    sections, extra = _tasks(attempt)
    return render(
        request,
        "learning/attempt.html",
        {
            "attempt": attempt,
            "sections": sections,
            "questions": extra["questions"],
            "ready": extra["ready"],
            "resume_url": _resume_url(attempt),
            "events": list(attempt.review_events.select_related("reviewer")),
            "answer_rows": _answer_rows(attempt) if not attempt.is_editable else [],
            "certificate": getattr(attempt, "certificate", None)
            if attempt.status == AttemptStatus.CONFIRMED
            else None,
        },
    )


@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, attempt_id: int, section_code: str) -> HttpResponse:
    user = request_user(request)
    attempt = _own_attempt(request, attempt_id)
    sections = selectors.sections_of(attempt.course)
    codes = [s.code for s in sections]
    if section_code not in codes:
        raise Http404
    index = codes.index(section_code)
    current = sections[index]
    previous = sections[index - 1] if index > 0 else None
    following = sections[index + 1] if index + 1 < len(sections) else None
    if request.method == "POST":
        if attempt.is_editable:
            services.attempt_section_complete(
                actor=user,
                attempt=attempt,
                section=current,
                next_code=following.code if following else current.code,
            )
        if following is not None:
            return redirect("learning:section", attempt.pk, following.code)
        questions = selectors.questions_of(attempt.course)
        if questions and attempt.is_editable:
            return redirect("learning:question", attempt.pk, questions[0].code)
        return redirect("learning:attempt", attempt.pk)
    if attempt.is_editable:
        services.attempt_position_save(actor=user, attempt=attempt, section=current)
    # Sent back here by a must-be-right answer: offer the way back to that question.
    reread = next(
        (
            q
            for q in selectors.questions_of(attempt.course)
            if q.code == request.GET.get("reread") and q.section_id == current.pk
        ),
        None,
    )
    partnership = user.partnership
    return render(
        request,
        "learning/section.html",
        {
            "attempt": attempt,
            "section": current,
            "blocks": content_selectors.section_blocks(current, partnership=partnership),
            "number": index + 1,
            "total": len(sections),
            "previous": previous,
            "following": following,
            "completed": current.code in selectors.sections_completed(attempt),
            "reread": reread if attempt.is_editable else None,
        },
    )


def _vocabulary_items(question: Question) -> list[Any]:
    if question.kind != QuestionKind.NAME_N or question.vocabulary is None:
        return []
    return list(taxonomy_selectors.items_for(question.vocabulary))


def _chosen_for(question: Question, form: QuestionForm) -> dict[str, Any]:
    """The service's arguments from the form's cleaned answer."""
    value = form.cleaned_data["answer"]
    if question.kind == QuestionKind.FREE_TEXT:
        return {"text": value}
    codes = [value] if isinstance(value, str) else list(value)
    if question.kind == QuestionKind.NAME_N:
        return {"items": [i for i in _vocabulary_items(question) if i.code in codes]}
    return {"choices": [c for c in question.choices.all() if c.code in codes]}


def _feedback(question: Question, answer: Answer | None) -> dict[str, Any] | None:
    if answer is None or not question.is_marked:
        return None
    correct = [c.label for c in question.choices.all() if c.is_correct and not c.is_retired]
    return {
        "is_correct": answer.is_correct,
        "correct": correct,
        # A must-be-right answer that is wrong sends the learner back to read its section.
        "reread": question.section if question.must_be_right and not answer.is_correct else None,
    }


@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, attempt_id: int, question_code: str) -> HttpResponse:
    user = request_user(request)
    attempt = _own_attempt(request, attempt_id)
    if not attempt.is_editable:
        return redirect("learning:attempt", attempt.pk)
    questions = selectors.questions_of(attempt.course)
    codes = [q.code for q in questions]
    if question_code not in codes:
        raise Http404
    index = codes.index(question_code)
    current = questions[index]
    following = questions[index + 1] if index + 1 < len(questions) else None
    previous = questions[index - 1] if index > 0 else None
    next_url = (
        reverse("learning:question", args=[attempt.pk, following.code])
        if following
        else reverse("learning:submit", args=[attempt.pk])
    )
    answers = selectors.answers_of(attempt)
    answer = answers.get(current.pk)
    items = _vocabulary_items(current)
    if request.method == "POST":
        form = QuestionForm(request.POST, question=current, items=items)
        if form.is_valid():
            try:
                services.answer_save(
                    actor=user, attempt=attempt, question=current, **_chosen_for(current, form)
                )
            except ValidationError as error:
                service_errors_onto(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                if current.is_marked:
                    # Back to the same question, now with the feedback under the answer.
                    return redirect(
                        reverse("learning:question", args=[attempt.pk, current.code]) + "#feedback"
                    )
                messages.success(request, "Your answer has been saved for your reviewer to read.")
                return redirect(next_url)
    else:
        form = QuestionForm(
            initial=question_initial(current, answer), question=current, items=items
        )
    return render(
        request,
        "learning/question.html",
        {
            "attempt": attempt,
            "question": current,
            "form": form,
            "number": index + 1,
            "total": len(questions),
            "previous": previous,
            "next_url": next_url,
            "is_last": following is None,
            "feedback": _feedback(current, answer) if request.method == "GET" else None,
        },
    )


def _answer_rows(attempt: Attempt) -> list[dict[str, Any]]:
    answers = selectors.answers_of(attempt)
    rows = []
    for question in selectors.questions_of(attempt.course):
        answer = answers.get(question.pk)
        rows.append(
            {
                "question": question,
                "answer": answer,
                "text": answer_text(question, answer),
                "marked": question.is_marked,
                "is_correct": answer.is_correct if answer else None,
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    user = request_user(request)
    attempt = _own_attempt(request, attempt_id)
    if not attempt.is_editable:
        return redirect("learning:attempt", attempt.pk)
    candidates = selectors.reviewer_candidates_for(learner=user)
    initial = {"reviewer": attempt.reviewer_id} if attempt.reviewer_id else {}
    form = SubmitForm(
        request.POST if request.method == "POST" else None, candidates=candidates, initial=initial
    )
    unanswered = selectors.questions_unanswered(attempt=attempt)
    if request.method == "POST" and form.is_valid():
        try:
            services.attempt_submit(
                actor=user, attempt=attempt, reviewer=form.cleaned_data["reviewer"]
            )
        except ValidationError as error:
            service_errors_onto(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Your workbook has been sent to {form.cleaned_data['reviewer'].full_name} "
                "to review.",
            )
            return redirect("learning:attempt", attempt.pk)
    return render(
        request,
        "learning/submit.html",
        {
            "attempt": attempt,
            "form": form,
            "has_candidates": candidates.exists(),
            "unanswered": unanswered,
            "answer_rows": _answer_rows(attempt),
            "result": selectors.attempt_result(attempt),
        },
    )
