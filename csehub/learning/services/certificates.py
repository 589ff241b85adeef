"""Certificates: issued when a reviewer confirms a workbook attempt, revoked by an administrator.

The workbook service (services.workbook.attempt_confirm) calls certificate_issue inside its own
transaction. Only the row is stored: the PDF is drawn from it whenever it is needed
(learning.certificate_pdf), and attached to the emails once the confirmation has committed.
"""

from __future__ import annotations

import logging
import secrets
import smtplib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from csehub.access.permissions import Permission, Scope, scope_for
from csehub.accounts.models import User
from csehub.audit.models import Outcome, Verb
from csehub.audit.services import audit_record

from ..certificate_pdf import certificate_facts, certificate_pdf
from ..models import Attempt, AttemptStatus, Certificate

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud or typed from paper comes out right.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4

# What a public lookup found, as recorded in the audit trail (never the typed code).
LOOKUP_VALID = "valid"
LOOKUP_REVOKED = "revoked"
LOOKUP_UNKNOWN = "unknown"
LOOKUP_THROTTLED = "throttled"


def certificate_code_generate() -> str:
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    )
    return "-".join(groups)


def certificate_filename(certificate: Certificate) -> str:
    return f"certificate-{certificate.code}.pdf"


def _certificate_emails_send(certificate_pk: int) -> None:
    """Email the learner and the reviewer the certificate. Runs after the confirmation commits,
    so nobody is told about a certificate that was rolled back."""
    certificate = Certificate.objects.select_related(
        "attempt__learner__agency__partnership", "attempt__reviewer", "attempt__course"
    ).get(pk=certificate_pk)
    facts = certificate_facts(certificate)
    pdf = certificate_pdf(certificate)
    attempt = certificate.attempt
    recipients: list[tuple[User, str]] = [
        (attempt.learner, "learning/email/certificate_learner.txt")
    ]
    if attempt.reviewer is not None:
        recipients.append((attempt.reviewer, "learning/email/certificate_reviewer.txt"))
    for person, template in recipients:
        message = EmailMessage(
            subject=f"Certificate of completion: {facts.course_title}",
            body=render_to_string(template, {"facts": facts, "person": person}),
            to=[person.email],
        )
        message.attach(certificate_filename(certificate), pdf, "application/pdf")
        try:
            message.send()
        except (OSError, smtplib.SMTPException) as error:
            # The certificate stands and can be downloaded; a lost email must not undo it.
            logger.warning(
                "Certificate %s email to user %s not sent: %s",
                certificate.pk,
                person.pk,
                type(error).__name__,
            )


@transaction.atomic
def certificate_issue(*, attempt: Attempt, actor: User | None, notify: bool = True) -> Certificate:
    """Issue the certificate for a confirmed attempt (once: a second call returns the first).

    The learner and the reviewer are emailed the PDF when the surrounding transaction commits
    (`notify=False` only for demo data, whose people have no real inboxes).
    """
    attempt.refresh_from_db(from_queryset=Attempt.objects.select_for_update())
    existing = Certificate.objects.filter(attempt=attempt).first()
    if existing is not None:
        return existing
    if attempt.status != AttemptStatus.CONFIRMED:
        raise ValidationError("A certificate is only issued once completion is confirmed")
    code = certificate_code_generate()
    while Certificate.objects.filter(code=code).exists():
        code = certificate_code_generate()
    certificate = Certificate(attempt=attempt, code=code)
    certificate.full_clean()
    certificate.save()
    audit_record(
        actor=actor,
        verb=Verb.CREATED,
        target_type="certificate",
        target_id=certificate.pk,
        detail={"attempt": attempt.pk},
        partnership=attempt.learner.partnership_id,
    )
    if notify:
        certificate_pk = certificate.pk
        transaction.on_commit(lambda: _certificate_emails_send(certificate_pk))
    return certificate


@transaction.atomic
def certificate_revoke(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    """Withdraw a certificate: from now on the public check says it has been revoked."""
    if scope_for(actor, Permission.MANAGE_TRAINING) != Scope.ALL:
        raise PermissionDenied
    learner = certificate.attempt.learner
    if actor.agency_id is None or learner.agency_id is None:
        raise PermissionDenied
    if learner.partnership_id != actor.partnership_id:
        raise PermissionDenied
    # Revoked from two pages at once: the second sees the first and is refused.
    certificate.refresh_from_db(from_queryset=Certificate.objects.select_for_update())
    if certificate.is_revoked:
        raise ValidationError("This certificate has already been revoked")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the certificate is being revoked"})
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason
    certificate.full_clean()
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    audit_record(
        actor=actor,
        verb=Verb.UPDATED,
        target_type="certificate",
        target_id=certificate.pk,
        detail={"action": "revoked"},
    )
    return certificate


@transaction.atomic
def certificate_download_record(*, actor: User, certificate: Certificate) -> None:
    audit_record(
        actor=actor, verb=Verb.EXPORTED, target_type="certificate", target_id=certificate.pk
    )


@transaction.atomic
def certificate_lookup_record(
    *, actor: User | None, certificate: Certificate | None, result: str
) -> None:
    """Audit one public check: what it found and, when found, which certificate.

    The code the visitor typed is not kept: a wrong guess is nobody's personal data, and a
    right one is already identified by the certificate's id.
    """
    audit_record(
        actor=actor,
        verb=Verb.SEARCHED,
        target_type="certificate",
        target_id=certificate.pk if certificate is not None else "",
        outcome=Outcome.DENIED if result == LOOKUP_THROTTLED else Outcome.ALLOWED,
        detail={"action": "verify", "result": result},
        # The learner's partnership sees a look-up of its certificate; a code that matched
        # nothing belongs to no partnership.
        partnership=certificate.attempt.learner.partnership_id if certificate else None,
    )
