"""Reads about training records: a person's own, refreshers falling due, and compliance.

A person's standing on a course comes from their latest training record for it (the one whose
refresher falls due last): completed and in date, due soon (within 60 days), overdue (the date
has passed) or never completed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import QuerySet

from csehub.access.permissions import Permission, Scope, scope_for
from csehub.accounts.models import Agency, Role, User

from ..models import Certificate, Course, TrainingRecord

DUE_SOON_DAYS = 60


class TrainingStatus(models.TextChoices):
    COMPLETED = "completed", "Completed"
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    NEVER = "never", "Not completed"


def training_status(*, due_on: dt.date | None, today: dt.date) -> TrainingStatus:
    if due_on is None:
        return TrainingStatus.NEVER
    if due_on < today:
        return TrainingStatus.OVERDUE
    if (due_on - today).days <= DUE_SOON_DAYS:
        return TrainingStatus.DUE_SOON
    return TrainingStatus.COMPLETED


def courses_active() -> QuerySet[Course]:
    return Course.objects.filter(is_active=True).order_by("position", "title")


def _latest_by_person_and_course(
    records: Iterable[TrainingRecord],
) -> dict[tuple[int, int], TrainingRecord]:
    """Each person's latest record per course: the one whose refresher falls due last."""
    latest: dict[tuple[int, int], TrainingRecord] = {}
    for record in records:
        key = (record.user_id, record.course_id)
        current = latest.get(key)
        if current is None or (record.refresher_due_on, record.pk) > (
            current.refresher_due_on,
            current.pk,
        ):
            latest[key] = record
    return latest


# My training -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseStanding:
    course: Course
    latest: TrainingRecord | None
    status: TrainingStatus


def training_records_of(*, user: User) -> QuerySet[TrainingRecord]:
    return (
        TrainingRecord.objects.filter(user=user)
        .select_related("course", "briefing_session", "attempt")
        .order_by("-completed_on", "-pk")
    )


def training_standing_of(*, user: User, today: dt.date) -> list[CourseStanding]:
    """Where the person stands on each active course (My training)."""
    latest = _latest_by_person_and_course(training_records_of(user=user))
    standings = []
    for course in courses_active():
        record = latest.get((user.pk, course.pk))
        standings.append(
            CourseStanding(
                course=course,
                latest=record,
                status=training_status(
                    due_on=record.refresher_due_on if record else None, today=today
                ),
            )
        )
    return standings


# Refresher reminders -----------------------------------------------------------------------


def refresher_records_latest() -> list[TrainingRecord]:
    """The latest record per active person and active course: the ones reminders are about."""
    records = TrainingRecord.objects.filter(
        user__is_active=True, user__is_system_account=False, course__is_active=True
    ).select_related("user__agency__partnership", "course")
    return list(_latest_by_person_and_course(records).values())


# Compliance --------------------------------------------------------------------------------


def compliance_people_visible_to(*, user: User) -> QuerySet[User]:
    """The people whose training the user may see: their agency's, or the partnership's."""
    scope = scope_for(user, Permission.VIEW_TRAINING_COMPLIANCE)
    if user.agency_id is None or scope not in (Scope.AGENCY, Scope.ALL):
        return User.objects.none()
    people = User.objects.filter(is_active=True, is_system_account=False)
    if scope == Scope.AGENCY:
        people = people.filter(agency_id=user.agency_id)
    else:
        people = people.filter(agency__partnership_id=user.partnership_id)
    return people.select_related("agency").order_by("agency__name", "full_name", "pk")


def compliance_agencies_visible_to(*, user: User) -> QuerySet[Agency]:
    ids = compliance_people_visible_to(user=user).values("agency_id")
    return Agency.objects.filter(pk__in=ids).order_by("name")


def compliance_teams_visible_to(*, user: User) -> list[str]:
    teams = (
        compliance_people_visible_to(user=user)
        .exclude(team="")
        .order_by()
        .values_list("team", flat=True)
        .distinct()
    )
    return sorted(set(teams), key=str.lower)


@dataclass(frozen=True)
class ComplianceFilters:
    course: Course | None = None  # None: any active course counts
    agency: Agency | None = None
    team: str = ""
    role: str = ""
    status: str = ""

    def names_used(self) -> list[str]:
        return [
            name for name in ("course", "agency", "team", "role", "status") if getattr(self, name)
        ]


@dataclass(frozen=True)
class ComplianceRow:
    person: User
    course: Course | None
    completed_on: dt.date | None
    due_on: dt.date | None
    status: TrainingStatus
    certificate: Certificate | None

    @property
    def role_label(self) -> str:
        return Role(self.person.role).label if self.person.role in Role.values else ""


@dataclass
class ComplianceCounts:
    label: str
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def completed(self) -> int:
        return self.counts[TrainingStatus.COMPLETED]

    @property
    def due_soon(self) -> int:
        return self.counts[TrainingStatus.DUE_SOON]

    @property
    def overdue(self) -> int:
        return self.counts[TrainingStatus.OVERDUE]

    @property
    def never(self) -> int:
        return self.counts[TrainingStatus.NEVER]


def compliance_rows(
    *, user: User, filters: ComplianceFilters, today: dt.date
) -> list[ComplianceRow]:
    """One row per person in the user's scope: where they stand on the course (or on any)."""
    people = compliance_people_visible_to(user=user)
    if filters.agency is not None:
        people = people.filter(agency=filters.agency)
    if filters.team:
        people = people.filter(team=filters.team)
    if filters.role:
        people = people.filter(role=filters.role)
    people_list = list(people)
    courses = [filters.course] if filters.course else list(courses_active())
    course_ids = [course.pk for course in courses]
    records = TrainingRecord.objects.filter(
        user__in=[person.pk for person in people_list], course_id__in=course_ids
    ).select_related("course")
    best: dict[int, TrainingRecord] = {}
    for record in _latest_by_person_and_course(records).values():
        current = best.get(record.user_id)
        if current is None or record.refresher_due_on > current.refresher_due_on:
            best[record.user_id] = record
    certificates: dict[tuple[int, int], Certificate] = {}
    for certificate in (
        Certificate.objects.filter(
            attempt__learner__in=[person.pk for person in people_list],
            attempt__course_id__in=course_ids,
            revoked_at__isnull=True,
        )
        .select_related("attempt")
        .order_by("issued_at")
    ):
        certificates[(certificate.attempt.learner_id, certificate.attempt.course_id)] = certificate
    rows = []
    for person in people_list:
        latest = best.get(person.pk)
        status = training_status(due_on=latest.refresher_due_on if latest else None, today=today)
        if filters.status and status != filters.status:
            continue
        rows.append(
            ComplianceRow(
                person=person,
                course=latest.course if latest else None,
                completed_on=latest.completed_on if latest else None,
                due_on=latest.refresher_due_on if latest else None,
                status=status,
                certificate=certificates.get((person.pk, latest.course_id)) if latest else None,
            )
        )
    return rows


def compliance_totals(rows: list[ComplianceRow]) -> ComplianceCounts:
    totals = ComplianceCounts(label="Everyone")
    totals.counts.update(row.status for row in rows)
    return totals


def compliance_by(rows: list[ComplianceRow], *, group: str) -> list[ComplianceCounts]:
    """Counts per agency, team or role, in name order."""
    groups: dict[str, ComplianceCounts] = {}
    for row in rows:
        if group == "agency":
            label = row.person.agency.name if row.person.agency else "No agency"
        elif group == "team":
            label = row.person.team or "No team recorded"
        else:
            label = row.role_label
        groups.setdefault(label, ComplianceCounts(label=label)).counts[row.status] += 1
    return [groups[label] for label in sorted(groups, key=str.lower)]
