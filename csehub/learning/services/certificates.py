"""Certificates: issued when a reviewer confirms a workbook attempt.

The certificates engineer extends certificate_issue with the PDF and the emails; the workbook
service (services.workbook.attempt_confirm) calls it inside its own transaction.
"""

from __future__ import annotations

import secrets

from django.db import transaction

from csehub.accounts.models import User
from csehub.audit.models import Verb
from csehub.audit.services import audit_record

from ..models import Attempt, Certificate

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud or typed from paper comes out right.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4


def certificate_code_generate() -> str:
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    )
    return "-".join(groups)


@transaction.atomic
def certificate_issue(*, attempt: Attempt, actor: User) -> Certificate:
    """Issue the certificate for a confirmed attempt (once: a second call returns the first)."""
    existing = Certificate.objects.filter(attempt=attempt).first()
    if existing is not None:
        return existing
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
    )
    return certificate
