"""The email that tells the CSE team about a new alert: where to look, never who or what.

Sent after the alert's transaction commits, to the partnership's police analysts. A mail server
that refuses it is logged by error type only; the alert itself stays on the alerts page.
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from csehub.accounts.models import Role, User

from .models import Alert, AlertKind

logger = logging.getLogger(__name__)

SUBJECTS = {
    AlertKind.LINKS_SECOND_CHILD: "CSE Hub: a new link to a second child",
    AlertKind.LINKS_MACE_PERSON: "CSE Hub: a new link to a person on the MACE list",
}


def alert_email_on_commit(alert: Alert) -> None:
    alerts_email_on_commit([alert])


def alerts_email_on_commit(alerts: list[Alert]) -> None:
    if alerts:
        transaction.on_commit(lambda: alerts_email_send(alerts))


def alerts_email_send(alerts: list[Alert]) -> None:
    """One email per alert, to the analysts of its partnership (looked up once for them all)."""
    recipients: dict[int, list[str]] = {}
    for alert in alerts:
        if alert.partnership_id not in recipients:
            recipients[alert.partnership_id] = list(
                User.objects.filter(
                    role=Role.POLICE_ANALYST,
                    is_active=True,
                    agency__partnership_id=alert.partnership_id,
                )
                .exclude(email="")
                .values_list("email", flat=True)
            )
        if recipients[alert.partnership_id]:
            _send(alert, recipients[alert.partnership_id])


def _send(alert: Alert, recipients: list[str]) -> None:
    base = (getattr(settings, "CSEHUB_SITE_URL", "") or "").rstrip("/")
    body = render_to_string(
        "linking/email/alert.txt",
        {
            "link": base + reverse("linking:alerts"),
            "kind": alert.entity.get_entity_type_display().lower(),
            "children": alert.children_linked,
            "mace": alert.kind == AlertKind.LINKS_MACE_PERSON,
        },
    )
    try:
        send_mail(SUBJECTS[AlertKind(alert.kind)], body, None, recipients)
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("Could not email a linking alert: %s", type(error).__name__)
