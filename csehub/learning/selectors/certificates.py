"""Reads about certificates: the ones a user may download, and the public check of a code."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from csehub.access.permissions import Permission, Scope, scope_for
from csehub.accounts.models import User
from csehub.audit.models import AuditEvent, Verb

from ..certificate_pdf import certificate_completed_on
from ..models import Certificate
from ..services.certificates import (
    CODE_GROUP_LENGTH,
    CODE_GROUPS,
    LOOKUP_REVOKED,
    LOOKUP_UNKNOWN,
    LOOKUP_VALID,
)

# Public checks allowed from one address in the window, counted from the audit trail.
LOOKUPS_PER_ADDRESS = 30
LOOKUP_WINDOW = timedelta(minutes=10)
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")
_CODE_SHAPE = re.compile(rf"^[A-Z0-9]{{{CODE_GROUPS * CODE_GROUP_LENGTH}}}$")


def _base() -> QuerySet[Certificate]:
    return Certificate.objects.select_related(
        "attempt__learner__agency__partnership",
        "attempt__reviewer",
        "attempt__course",
        "attempt__training_record",
    )


def certificates_visible_to(*, user: User) -> QuerySet[Certificate]:
    """A person's own certificates, and their learners' for those who see training compliance
    (a safeguarding lead: their agency's; the partnership: everyone's)."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    visible = Q(attempt__learner=user)
    scope = scope_for(user, Permission.VIEW_TRAINING_COMPLIANCE)
    if scope == Scope.AGENCY and user.agency_id is not None:
        visible |= Q(attempt__learner__agency_id=user.agency_id)
    elif scope == Scope.ALL and user.agency_id is not None:
        visible |= Q(attempt__learner__agency__partnership_id=user.partnership_id)
    return _base().filter(visible)


def certificates_of(*, user: User) -> QuerySet[Certificate]:
    """The user's own certificates, newest first (My training)."""
    return _base().filter(attempt__learner=user).order_by("-issued_at")


def certificate_code_normalise(text: str) -> str | None:
    """A typed code in its stored form ("abcd efgh-jkmn" -> "ABCD-EFGH-JKMN"), or None when
    it cannot be a code at all."""
    compact = _SEPARATORS.sub("", text or "").upper()
    if not _CODE_SHAPE.match(compact):
        return None
    return "-".join(
        compact[i : i + CODE_GROUP_LENGTH] for i in range(0, len(compact), CODE_GROUP_LENGTH)
    )


@dataclass(frozen=True)
class Verification:
    """The answer to a public check: only what the certificate itself tells a reader."""

    result: str  # services.certificates.LOOKUP_*
    certificate: Certificate | None = None
    learner_name: str = ""
    course_title: str = ""
    completed_on: dt.date | None = None

    @property
    def is_valid(self) -> bool:
        return self.result == LOOKUP_VALID


def certificate_verification_unchecked(*, code: str) -> Verification:
    """Check a code for anyone, signed in or not (hence unchecked: no user scope applies)."""
    normalised = certificate_code_normalise(code)
    certificate = _base().filter(code=normalised).first() if normalised else None
    if certificate is None:
        return Verification(result=LOOKUP_UNKNOWN)
    if certificate.is_revoked:
        return Verification(result=LOOKUP_REVOKED, certificate=certificate)
    return Verification(
        result=LOOKUP_VALID,
        certificate=certificate,
        learner_name=certificate.attempt.learner.full_name,
        course_title=certificate.attempt.course.title,
        completed_on=certificate_completed_on(certificate),
    )


def certificate_lookups_recent(*, ip_address: str | None) -> int:
    """How many public checks this address made in the window (throttling guesses)."""
    events = AuditEvent.objects.filter(
        verb=Verb.SEARCHED,
        target_type="certificate",
        at__gte=timezone.now() - LOOKUP_WINDOW,
    )
    if ip_address is None:
        events = events.filter(ip_address__isnull=True)
    else:
        events = events.filter(ip_address=ip_address)
    return events.count()


def certificate_lookups_exhausted(*, ip_address: str | None) -> bool:
    return certificate_lookups_recent(ip_address=ip_address) >= LOOKUPS_PER_ADDRESS
