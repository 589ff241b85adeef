"""The email that tells the CSE team about a new alert: where to look, never who or what.

Sent after the alert's transaction commits, to the partnership's police analysts: one email for
all the alerts one transaction raised. A mail server that refuses it is logged by error type
only; the alerts themselves stay on the alerts page.
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
    """One email per partnership, to its analysts, naming each of its alerts: a concern that
    links a phone, a car and a place to further children sends one email, not three."""
    by_partnership: dict[int, list[Alert]] = {}
    for alert in alerts:
        by_partnership.setdefault(alert.partnership_id, []).append(alert)
    for partnership_id, theirs in by_partnership.items():
        recipients = list(
            User.objects.filter(
                role=Role.POLICE_ANALYST, is_active=True, agency__partnership_id=partnership_id
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if recipients:
            _send(theirs, recipients)


def _with_article(kind: str) -> str:
    """ "a phone", "an online account"."""
    return f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind}"


def _send(alerts: list[Alert], recipients: list[str]) -> None:
    base = (getattr(settings, "CSEHUB_SITE_URL", "") or "").rstrip("/")
    body = render_to_string(
        "linking/email/alert.txt",
        {
            "link": base + reverse("linking:alerts"),
            "alerts": [
                {
                    "what": _with_article(alert.entity.get_entity_type_display().lower()),
                    "children": alert.children_linked,
                    "mace": alert.kind == AlertKind.LINKS_MACE_PERSON,
                }
                for alert in alerts
            ],
        },
    )
    subject = (
        SUBJECTS[AlertKind(alerts[0].kind)]
        if len(alerts) == 1
        else f"CSE Hub: {len(alerts)} new links to check"
    )
    try:
        send_mail(subject, body, None, recipients)
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("Could not email a linking alert: %s", type(error).__name__)
