"""Test set-up for the workbook: the shipped workbook file loaded on its own, and helpers that
answer every question. Every person is fictional."""

from __future__ import annotations

import shutil
from pathlib import Path

from csehub.accounts.models import User
from csehub.learning.files import DEFAULT_DATA_DIR
from csehub.learning.models import Attempt, Course, Question, QuestionKind
from csehub.learning.selectors import workbook as selectors
from csehub.learning.services import workbook as services
from csehub.learning.services.content import learning_content_load
from csehub.taxonomy import selectors as taxonomy_selectors
from csehub.taxonomy.services import taxonomy_load

WORKBOOK = "cse_awareness_workbook"


def workbook_load(tmp_path: Path) -> Course:
    """Load the vocabularies and only the shipped workbook file (not other courses)."""
    taxonomy_load(actor=None)
    directory = tmp_path / "courses"
    directory.mkdir(exist_ok=True)
    shutil.copy(DEFAULT_DATA_DIR / f"{WORKBOOK}.yaml", directory / f"{WORKBOOK}.yaml")
    learning_content_load(actor=None, data_dir=directory)
    return Course.objects.get(code=WORKBOOK)


def answer_right(*, learner: User, attempt: Attempt, question: Question) -> None:
    """Answer one question correctly (free text with a sensible sentence)."""
    if question.kind == QuestionKind.FREE_TEXT:
        services.answer_save(
            actor=learner,
            attempt=attempt,
            question=question,
            text="A fictional learner's answer in their own words.",
        )
    elif question.kind == QuestionKind.NAME_N:
        assert question.vocabulary is not None and question.n is not None
        items = list(taxonomy_selectors.items_for(question.vocabulary))[: question.n]
        services.answer_save(actor=learner, attempt=attempt, question=question, items=items)
    else:
        services.answer_save(
            actor=learner,
            attempt=attempt,
            question=question,
            choices=list(question.choices.filter(is_correct=True)),
        )


def answer_all(*, learner: User, attempt: Attempt) -> None:
    for question in selectors.questions_of(attempt.course):
        answer_right(learner=learner, attempt=attempt, question=question)


def submitted_attempt(*, learner: User, reviewer: User, course: Course) -> Attempt:
    attempt = services.attempt_start(actor=learner, course=course)
    answer_all(learner=learner, attempt=attempt)
    return services.attempt_submit(actor=learner, attempt=attempt, reviewer=reviewer)
