"""The demo partnership's workbook learners, one in every state, made through the services.

Fictional people only. Idempotent: a learner who already has an attempt is left as they are.
The certificates engineer's demo_certificates_and_records adds older completions and refreshers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from csehub.accounts.models import Partnership, Role, User

from .models import Attempt, Course, CourseKind
from .selectors import workbook as selectors
from .services import workbook as services
from .services.content import learning_content_load

DSL = "dsl@fernbridge.example"  # Tom Brennan, Oakhill Academy's safeguarding lead


@dataclass(frozen=True)
class DemoLearner:
    email: str
    full_name: str
    agency: str
    job_title: str
    state: str  # in_progress | submitted | returned | confirmed
    reviewer: str = ""  # a demo user's email, in the learner's agency


LEARNERS: list[DemoLearner] = [
    DemoLearner(
        "learning.patel@fernbridge.example",
        "Priya Patel",
        "Oakhill Academy",
        "Learning mentor",
        "in_progress",
    ),
    DemoLearner(
        "learning.fletcher@fernbridge.example",
        "Owen Fletcher",
        "Oakhill Academy",
        "Science teacher",
        "submitted",
        DSL,
    ),
    DemoLearner(
        "learning.murray@fernbridge.example",
        "Leah Murray",
        "Fernbridge Youth Service",
        "Youth worker",
        "returned",
        "missing@fernbridge.example",  # the youth service has no lead: a colleague reviews
    ),
    DemoLearner(
        "learning.bennett@fernbridge.example",
        "Joel Bennett",
        "Oakhill Academy",
        "Attendance officer",
        "confirmed",
        DSL,
    ),
]

RETURN_COMMENTS = (
    "Thank you. When we talked you described the signs well; please add to your answer on a "
    "disclosure what you would write down and who you would tell."
)


def _learner(spec: DemoLearner, partnership: Partnership) -> User:
    agency = partnership.agencies.get(name=spec.agency)
    user, _ = User.objects.update_or_create(
        email=spec.email,
        defaults={
            "full_name": spec.full_name,
            "agency": agency,
            "partnership": partnership,
            "role": Role.PRACTITIONER,
            "job_title": spec.job_title,
            "is_active": True,
            "is_demo": True,
            # They appear in the demo's workbooks only: nobody signs in as them.
            "password": make_password(None),
        },
    )
    return user


def _answer_everything(learner: User, attempt: Attempt) -> None:
    from csehub.taxonomy import selectors as taxonomy_selectors

    for question in selectors.questions_of(attempt.course):
        if question.kind == "free_text":
            services.answer_save(
                actor=learner,
                attempt=attempt,
                question=question,
                text="I would listen, stay calm and tell my safeguarding lead the same day.",
            )
        elif question.kind == "name_n" and question.vocabulary is not None:
            items = list(taxonomy_selectors.items_for(question.vocabulary))[: question.n]
            services.answer_save(actor=learner, attempt=attempt, question=question, items=items)
        else:
            services.answer_save(
                actor=learner,
                attempt=attempt,
                question=question,
                choices=list(question.choices.filter(is_correct=True, is_retired=False)),
            )


def _read_sections(learner: User, attempt: Attempt, count: int) -> None:
    sections = selectors.sections_of(attempt.course)
    for index, section in enumerate(sections[:count]):
        following = sections[index + 1].code if index + 1 < len(sections) else section.code
        services.attempt_section_complete(
            actor=learner, attempt=attempt, section=section, next_code=following
        )


@transaction.atomic
def demo_learning(partnership: Partnership) -> None:
    learning_content_load(actor=None)
    course = Course.objects.filter(
        code="cse_awareness_workbook", kind=CourseKind.WORKBOOK, is_active=True
    ).first()
    if course is None:
        return
    for spec in LEARNERS:
        learner = _learner(spec, partnership)
        if Attempt.objects.filter(learner=learner, course=course).exists():
            continue
        attempt = services.attempt_start(actor=learner, course=course)
        if spec.state == "in_progress":
            _read_sections(learner, attempt, 3)
            continue
        _read_sections(learner, attempt, len(selectors.sections_of(course)))
        _answer_everything(learner, attempt)
        reviewer = User.objects.get(email=spec.reviewer)
        services.attempt_submit(actor=learner, attempt=attempt, reviewer=reviewer)
        if spec.state == "returned":
            services.attempt_return(
                actor=reviewer,
                attempt=attempt,
                comments=RETURN_COMMENTS,
                discussed_with_learner=True,
            )
        elif spec.state == "confirmed":
            services.attempt_confirm(actor=reviewer, attempt=attempt, discussed_with_learner=True)
