"""Fictional training records and certificates for the Fernbridge demo partnership.

Staff who completed the workbook at different times, so the demo shows refreshers in date, due
soon and overdue, issued certificates and one revoked. Every person here is invented. Dates are
counted back from the day the demo is loaded, so "overdue" stays overdue whenever it is loaded.
Loading is idempotent: a person is found by email and gets nothing new once they have a record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from csehub.accounts.models import Agency, Partnership, Role, User

from .models import (
    Attempt,
    AttemptStatus,
    Certificate,
    Course,
    CourseKind,
    TrainingRecord,
    TrainingSource,
)
from .services.certificates import certificate_issue, certificate_revoke
from .services.workbook import refresher_due

ADMIN = "admin@fernbridge.example"


@dataclass(frozen=True)
class DemoCompletion:
    email: str
    full_name: str
    agency: str
    team: str
    job_title: str
    reviewer: str  # a demo user's email
    days_ago: int  # when the reviewer confirmed completion
    revoked_reason: str = ""


# The refresher is three years: about 1,095 days after completion.
COMPLETIONS: list[DemoCompletion] = [
    DemoCompletion(
        "training.jenkins@fernbridge.example",
        "Paula Jenkins",
        "Oakhill Academy",
        "Year 10",
        "Head of Year 10",
        "dsl@fernbridge.example",
        days_ago=120,
    ),
    DemoCompletion(
        "training.adebayo@fernbridge.example",
        "Femi Adebayo",
        "Oakhill Academy",
        "Pastoral",
        "Pastoral support worker",
        "dsl@fernbridge.example",
        days_ago=1060,  # refresher due in about five weeks
    ),
    DemoCompletion(
        "training.kowalski@fernbridge.example",
        "Marta Kowalski",
        "Oakhill Academy",
        "Year 9",
        "Teaching assistant",
        "dsl@fernbridge.example",
        days_ago=1130,  # refresher overdue by about five weeks
    ),
    DemoCompletion(
        "training.hughes@fernbridge.example",
        "Gareth Hughes",
        "Fernbridge Youth Service",
        "Detached youth work",
        "Youth worker",
        "missing@fernbridge.example",
        days_ago=1250,  # overdue by several months
    ),
    DemoCompletion(
        "training.nwosu@fernbridge.example",
        "Ada Nwosu",
        "Fernbridge Community Health",
        "School nursing",
        "School nurse",
        "mace@fernbridge.example",
        days_ago=1075,  # due in about three weeks
    ),
    DemoCompletion(
        "training.lindqvist@fernbridge.example",
        "Erik Lindqvist",
        "Canal Street Hotel",
        "Front of house",
        "Night manager",
        "mace@fernbridge.example",
        days_ago=300,
    ),
    DemoCompletion(
        "training.brooks@fernbridge.example",
        "Hannah Brooks",
        "Fernbridge Homes",
        "Tenancy support",
        "Tenancy support officer",
        "mace@fernbridge.example",
        days_ago=45,
        revoked_reason=(
            "Issued to the wrong member of staff: the completion belonged to a colleague."
        ),
    ),
]

# Staff who have never completed the course, so compliance shows them too.
NOT_YET_TRAINED: list[tuple[str, str, str, str, str]] = [
    ("training.shah@fernbridge.example", "Imran Shah", "Oakhill Academy", "Year 9", "Teacher"),
    (
        "training.moreau@fernbridge.example",
        "Claire Moreau",
        "Fernbridge Youth Service",
        "Detached youth work",
        "Youth worker",
    ),
]


def _person(*, email: str, full_name: str, agency: Agency, team: str, job_title: str) -> User:
    user, _ = User.objects.update_or_create(
        email=email,
        defaults={
            "full_name": full_name,
            "agency": agency,
            "partnership": agency.partnership,
            "role": Role.PRACTITIONER,
            "team": team,
            "job_title": job_title,
            "is_active": True,
            "is_demo": True,
            # They appear in records only: nobody signs in as them.
            "password": make_password(None),
        },
    )
    return user


def _completion(*, spec: DemoCompletion, learner: User, course: Course, today: dt.date) -> None:
    if TrainingRecord.objects.filter(user=learner, course=course).exists():
        return
    completed_on = today - dt.timedelta(days=spec.days_ago)
    at = timezone.make_aware(dt.datetime.combine(completed_on, dt.time(15, 30)))
    reviewer = User.objects.get(email=spec.reviewer)
    attempt = Attempt.objects.create(
        learner=learner,
        course=course,
        course_version=course.version,
        status=AttemptStatus.CONFIRMED,
        started_at=at - dt.timedelta(days=6),
        updated_at=at,
        submitted_at=at - dt.timedelta(days=2),
        reviewer=reviewer,
        confirmed_at=at,
    )
    TrainingRecord.objects.create(
        user=learner,
        course=course,
        completed_on=completed_on,
        source=TrainingSource.WORKBOOK,
        attempt=attempt,
        refresher_due_on=refresher_due(completed_on, course),
        created_at=at,
    )
    certificate = certificate_issue(attempt=attempt, actor=reviewer, notify=False)
    Certificate.objects.filter(pk=certificate.pk).update(issued_at=at)
    if spec.revoked_reason:
        certificate.refresh_from_db()
        certificate_revoke(
            actor=User.objects.get(email=ADMIN),
            certificate=certificate,
            reason=spec.revoked_reason,
        )


@transaction.atomic
def demo_certificates_and_records(partnership: Partnership) -> None:
    """Completions with certificates (one revoked), refreshers due soon and overdue."""
    course = Course.objects.filter(kind=CourseKind.WORKBOOK, is_active=True).first()
    if course is None:
        from .services.content import learning_content_load

        learning_content_load(actor=None)
        course = Course.objects.filter(kind=CourseKind.WORKBOOK, is_active=True).first()
    if course is None:
        return
    agencies = {agency.name: agency for agency in partnership.agencies.all()}
    today = timezone.localdate()
    for spec in COMPLETIONS:
        learner = _person(
            email=spec.email,
            full_name=spec.full_name,
            agency=agencies[spec.agency],
            team=spec.team,
            job_title=spec.job_title,
        )
        _completion(spec=spec, learner=learner, course=course, today=today)
    for email, full_name, agency, team, job_title in NOT_YET_TRAINED:
        _person(
            email=email,
            full_name=full_name,
            agency=agencies[agency],
            team=team,
            job_title=job_title,
        )
