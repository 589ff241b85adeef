"""Test set-up for certificates and training records: a course, confirmed attempts, records.

Built directly (not through the workbook service) so these tests exercise certificates and
records alone. Every person is fictional.
"""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from pypdf import PdfReader

from csehub.accounts.models import User
from csehub.learning.models import (
    Attempt,
    AttemptStatus,
    Certificate,
    Course,
    CourseKind,
    TrainingRecord,
    TrainingSource,
)
from csehub.learning.services.certificates import certificate_issue


def course_make(
    code: str = "cse_awareness_test", title: str = "CSE awareness workbook (test)"
) -> Course:
    course, _ = Course.objects.get_or_create(
        code=code,
        defaults={
            "title": title,
            "kind": CourseKind.WORKBOOK,
            "version": 1,
            "summary": "A fictional course for tests.",
            "refresher_months": 36,
            "loaded_at": timezone.now(),
        },
    )
    return course


def record_make(
    *,
    learner: User,
    reviewer: User,
    course: Course,
    completed_on: dt.date,
    due_on: dt.date | None = None,
) -> TrainingRecord:
    """A confirmed attempt and its training record, without a certificate."""
    at = timezone.make_aware(dt.datetime.combine(completed_on, dt.time(11, 0)))
    attempt = Attempt.objects.create(
        learner=learner,
        course=course,
        course_version=course.version,
        status=AttemptStatus.CONFIRMED,
        started_at=at,
        submitted_at=at,
        reviewer=reviewer,
        confirmed_at=at,
    )
    return TrainingRecord.objects.create(
        user=learner,
        course=course,
        completed_on=completed_on,
        source=TrainingSource.WORKBOOK,
        attempt=attempt,
        refresher_due_on=due_on
        or completed_on.replace(year=completed_on.year + course.refresher_months // 12),
    )


def certificate_make(
    *,
    learner: User,
    reviewer: User,
    course: Course | None = None,
    completed_on: dt.date = dt.date(2026, 3, 27),
) -> Certificate:
    record = record_make(
        learner=learner,
        reviewer=reviewer,
        course=course or course_make(),
        completed_on=completed_on,
    )
    assert record.attempt is not None
    return certificate_issue(attempt=record.attempt, actor=reviewer)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)
