"""Telling people about referrals: a notification in the app and an email.

Emails never carry a child's name or any detail of the referral: they say that something is
waiting and link to it, so the content stays behind sign-in (and in the audit trail). They go
out after the transaction commits, so a step that is rolled back (or refused) emails nobody.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from csehub.accounts.models import User
from csehub.audit.models import Verb
from csehub.audit.services import audit_record
from csehub.concerns.models import Concern

from ..models import Notification, NotificationVerb, Referral

logger = logging.getLogger(__name__)

EMAIL_SUBJECTS: dict[str, str] = {
    NotificationVerb.REFERRAL_RECEIVED: "CSE Hub: a referral has been sent to your team",
    NotificationVerb.REFERRAL_PROGRESS: "CSE Hub: a referral you made has moved on",
    NotificationVerb.REFERRAL_OUTCOME: "CSE Hub: an outcome has been recorded on a referral",
    NotificationVerb.REFERRAL_REQUESTED: "CSE Hub: you have been asked to consider a referral",
}


def notification_url(notification: Notification) -> str:
    if notification.referral_id is not None:
        return reverse("referrals:detail", kwargs={"pk": notification.referral_id})
    return reverse("referrals:create", kwargs={"concern_pk": notification.concern_id})


def _site_url(site_url: str) -> str:
    return (site_url or getattr(settings, "CSEHUB_SITE_URL", "") or "").rstrip("/")


def _email_all(notifications: list[Notification], site_url: str) -> None:
    messages = []
    for notification in notifications:
        if not notification.recipient.email:
            continue
        body = render_to_string(
            "referrals/email/notification.txt",
            {
                "notification": notification,
                "link": _site_url(site_url) + notification_url(notification),
            },
        )
        messages.append(
            (EMAIL_SUBJECTS[notification.verb], body, None, [notification.recipient.email])
        )
    if not messages:
        return
    try:
        send_mass_mail(messages, fail_silently=False)
    except (OSError, smtplib.SMTPException) as error:
        # The in-app notification stands; a mail outage must not undo the referral.
        logger.warning("Notification emails not sent: %s", type(error).__name__)


@transaction.atomic
def notifications_send(
    *,
    recipients: Iterable[User],
    verb: NotificationVerb,
    referral: Referral | None = None,
    concern: Concern | None = None,
    exclude: User | None = None,
    site_url: str = "",
) -> list[Notification]:
    """One notification per recipient (the actor excluded), and an email to each once the
    transaction commits: nobody is emailed about a step that was rolled back."""
    created: list[Notification] = []
    seen: set[int] = set()
    for recipient in recipients:
        if recipient.pk in seen or (exclude is not None and recipient.pk == exclude.pk):
            continue
        seen.add(recipient.pk)
        notification = Notification(
            recipient=recipient, verb=verb, referral=referral, concern=concern
        )
        # Whom and what it is about are objects the caller holds: not looked up again.
        notification.full_clean(exclude=["recipient", "referral", "concern"])
        notification.save()
        created.append(notification)
    if created:
        transaction.on_commit(lambda: _email_all(created, site_url))
    return created


@transaction.atomic
def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise PermissionDenied("A notification can only be opened by the person it was sent to")
    # Opened in two tabs at once: one "read" in the audit trail, not two.
    notification.refresh_from_db(from_queryset=Notification.objects.select_for_update())
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        audit_record(
            actor=actor,
            verb=Verb.VIEWED,
            target_type="notification",
            target_id=notification.pk,
        )
    return notification
