"""Loading the course files into the database.

Codes are the identity of a course, section, question and choice. Reloading updates them in
place, adds new ones and retires those that left the file; nothing is deleted, because learners'
answers point at questions and choices. A file whose content changed must carry a higher version.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from csehub.accounts.models import User
from csehub.audit.models import Verb
from csehub.audit.services import audit_record
from csehub.taxonomy import selectors as taxonomy_selectors

from ..files import CourseFileError, CourseSpec, QuestionSpec, course_files_check
from ..models import Choice, Course, CourseSection, Question


@dataclass(frozen=True)
class CourseLoad:
    code: str
    version: int
    changed: bool


def _version_problem(course: Course | None, spec: CourseSpec) -> str:
    if course is None:
        return ""
    if spec.version < course.version:
        return (
            f"{spec.file_name}: version {spec.version} is lower than the loaded version "
            f"{course.version}; give the file version {course.version + 1} or higher"
        )
    if spec.version == course.version and course.content_digest != spec.digest:
        return (
            f"{spec.file_name}: the file differs from what was loaded but its version is still "
            f"{spec.version}; raise it to {spec.version + 1}"
        )
    return ""


def _choices_load(*, question: Question, spec: QuestionSpec) -> None:
    existing = {choice.code: choice for choice in question.choices.all()}
    wanted = {choice.code for choice in spec.choices}
    for choice_spec in spec.choices:
        choice = existing.get(choice_spec.code) or Choice(question=question, code=choice_spec.code)
        choice.label = choice_spec.label
        choice.is_correct = choice_spec.is_correct
        choice.position = choice_spec.position
        choice.is_retired = False
        choice.full_clean()
        choice.save()
    for code, choice in existing.items():
        if code not in wanted and not choice.is_retired:
            choice.is_retired = True
            choice.save(update_fields=["is_retired"])


def _course_load(*, actor: User | None, spec: CourseSpec, now: datetime.datetime) -> CourseLoad:
    course = Course.objects.filter(code=spec.code).first()
    if problem := _version_problem(course, spec):
        raise CourseFileError([problem])
    if course is not None and course.version == spec.version:
        return CourseLoad(code=spec.code, version=spec.version, changed=False)

    course = course or Course(code=spec.code)
    course.title = spec.title
    course.kind = spec.kind
    course.version = spec.version
    course.summary = spec.summary
    course.refresher_months = spec.refresher_months
    course.pass_mark = spec.pass_mark
    course.position = spec.position
    course.is_active = True
    course.loaded_at = now
    course.content_digest = spec.digest
    course.full_clean()
    course.save()

    sections = {section.code: section for section in course.sections.all()}
    for section_spec in spec.sections:
        section = sections.get(section_spec.code) or CourseSection(
            course=course, code=section_spec.code
        )
        section.title = section_spec.title
        section.position = section_spec.position
        section.blocks = [dict(block) for block in section_spec.blocks]
        section.presenter_notes = section_spec.presenter_notes
        section.is_retired = False
        section.retired_at = None
        section.full_clean()
        section.save()
        sections[section.code] = section
    wanted_sections = {s.code for s in spec.sections}
    for code, section in sections.items():
        if code not in wanted_sections and not section.is_retired:
            section.is_retired = True
            section.retired_at = now
            section.save(update_fields=["is_retired", "retired_at"])

    questions = {question.code: question for question in course.questions.all()}
    for question_spec in spec.questions:
        question = questions.get(question_spec.code) or Question(
            course=course, code=question_spec.code
        )
        question.kind = question_spec.kind
        question.prompt = question_spec.prompt
        question.hint = question_spec.hint
        question.explanation = question_spec.explanation
        question.position = question_spec.position
        question.section = sections[question_spec.section] if question_spec.section else None
        question.n = question_spec.n
        question.must_be_right = question_spec.must_be_right
        question.vocabulary = (
            taxonomy_selectors.vocabulary_by_code(question_spec.vocabulary)
            if question_spec.vocabulary
            else None
        )
        question.is_retired = False
        question.retired_at = None
        question.full_clean()
        question.save()
        _choices_load(question=question, spec=question_spec)
    wanted_questions = {q.code for q in spec.questions}
    for code, question in questions.items():
        if code not in wanted_questions and not question.is_retired:
            question.is_retired = True
            question.retired_at = now
            question.save(update_fields=["is_retired", "retired_at"])

    audit_record(
        actor=actor,
        verb=Verb.LOADED,
        target_type="course",
        target_id=spec.code,
        detail={
            "version": spec.version,
            "sections": len(spec.sections),
            "questions": len(spec.questions),
        },
    )
    return CourseLoad(code=spec.code, version=spec.version, changed=True)


@transaction.atomic
def learning_content_load(
    *, actor: User | None = None, data_dir: Path | str | None = None
) -> list[CourseLoad]:
    """Load every course file in data_dir (the shipped files by default).

    Raises CourseFileError, naming the file and the item, and changes nothing when any file is
    invalid or has changed without a higher version. Needs the vocabularies loaded first.
    Courses with no file are left as they are.
    """
    specs = course_files_check(
        data_dir=Path(data_dir) if data_dir is not None else None,
        vocabulary_codes=taxonomy_selectors.current_codes,
    )
    now = timezone.now()
    return [_course_load(actor=actor, spec=spec, now=now) for spec in specs]
