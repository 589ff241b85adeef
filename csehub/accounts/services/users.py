"""Adding and changing users, inviting them, and the steps an administrator takes for them.

Each change leaves an audit event holding ids and the names of changed fields, never values.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime
from functools import partial

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from csehub.audit.models import Verb
from csehub.audit.services import audit_record

from ..models import Agency, Role, User

logger = logging.getLogger(__name__)

DUPLICATE_EMAIL = "There is already a user with this email address. Enter a different email address"
OWN_DEACTIVATION = "You cannot make your own account inactive. Ask another administrator to do it"
OWN_ROLE = "You cannot remove your own administrator role. Ask another administrator to do it"
AGENCY_OUTSIDE = "Select an agency from the list"
AGENCY_INACTIVE = "This agency is inactive. Select an active agency"

# The fields an administrator edits, in the order the form shows them.
EDITABLE_FIELDS = ("full_name", "email", "agency", "role", "team", "job_title")


class InvitationNotSent(Exception):
    """The email with the set-password link could not be handed to the mail server."""


def _normalise_email(email: str) -> str:
    return email.strip().lower()


def _check_email_free(*, email: str, exclude_pk: int | None = None) -> None:
    clash = User.objects.filter(email__iexact=email)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"email": DUPLICATE_EMAIL})


def _check_agency(*, actor: User, agency: Agency, current: Agency | None = None) -> None:
    partnership = actor.partnership
    if partnership is None or agency.partnership_id != partnership.pk:
        raise ValidationError({"agency": AGENCY_OUTSIDE})
    if not agency.is_active and (current is None or current.pk != agency.pk):
        raise ValidationError({"agency": AGENCY_INACTIVE})


def _check_in_scope(*, actor: User, user: User) -> None:
    partnership = actor.partnership
    if partnership is None or user.partnership is None or user.partnership.pk != partnership.pk:
        raise PermissionError("An administrator manages the users of their own partnership only.")


@transaction.atomic
def user_create(
    *,
    actor: User,
    full_name: str,
    email: str,
    agency: Agency,
    role: Role | str,
    team: str = "",
    job_title: str = "",
    site_url: str,
) -> User:
    """A new user with no password yet, and an email inviting them to set one.

    If the email cannot be sent the user is not created either, so nobody is left waiting
    for a link that never came.
    """
    email = _normalise_email(email)
    _check_email_free(email=email)
    _check_agency(actor=actor, agency=agency)
    user = User(
        full_name=full_name.strip(),
        email=email,
        agency=agency,
        partnership=agency.partnership,
        role=role,
        team=team.strip(),
        job_title=job_title.strip(),
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    audit_record(actor=actor, verb=Verb.CREATED, target_type="user", target_id=user.pk)
    user_invitation_send(actor=actor, user=user, site_url=site_url)
    return user


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    full_name: str,
    email: str,
    agency: Agency,
    role: Role | str,
    team: str,
    job_title: str,
    is_active: bool,
) -> User:
    """Change a user's details or make them active or inactive."""
    _check_in_scope(actor=actor, user=user)
    email = _normalise_email(email)
    _check_email_free(email=email, exclude_pk=user.pk)
    _check_agency(actor=actor, agency=agency, current=user.agency)
    if user.pk == actor.pk and not is_active:
        raise ValidationError({"is_active": OWN_DEACTIVATION})
    if user.pk == actor.pk and role != Role.PARTNERSHIP_ADMIN:
        raise ValidationError({"role": OWN_ROLE})
    new_values: dict[str, object] = {
        "full_name": full_name.strip(),
        "email": email,
        "agency": agency,
        "role": str(role),
        "team": team.strip(),
        "job_title": job_title.strip(),
    }
    changed = [field for field in EDITABLE_FIELDS if getattr(user, field) != new_values[field]]
    activity_changed = user.is_active != is_active
    for field, value in new_values.items():
        setattr(user, field, value)
    user.is_active = is_active
    user.full_clean()
    user.save()
    if changed:
        audit_record(
            actor=actor,
            verb=Verb.UPDATED,
            target_type="user",
            target_id=user.pk,
            detail={"fields": changed},
        )
    if activity_changed:
        audit_record(
            actor=actor,
            verb=Verb.REACTIVATED if is_active else Verb.DEACTIVATED,
            target_type="user",
            target_id=user.pk,
        )
    return user


def set_password_path(*, user: User) -> str:
    """The one-time path at which the user chooses a password (Django's token generator).

    The token stops working once the password changes or the user signs in, and after
    PASSWORD_RESET_TIMEOUT seconds.
    """
    return reverse(
        "accounts:set-password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


@transaction.atomic
def user_invitation_send(*, actor: User, user: User, site_url: str) -> None:
    """Email the user a link to set their password. `site_url` is like https://host."""
    _check_in_scope(actor=actor, user=user)
    if not user.is_active:
        raise ValidationError("This user is inactive. Make them active before sending a link")
    link = site_url.rstrip("/") + set_password_path(user=user)
    partnership = user.partnership
    context = {
        "user": user,
        "link": link,
        "partnership_name": partnership.name if partnership else "your safeguarding partnership",
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)),
    }
    try:
        send_mail(
            subject="Your CSE Hub account: set your password",
            message=render_to_string("accounts/email/invitation.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("Invitation email to user %s not sent: %s", user.pk, type(error).__name__)
        raise InvitationNotSent from error
    audit_record(actor=actor, verb=Verb.INVITATION_SENT, target_type="user", target_id=user.pk)


@transaction.atomic
def user_password_set(*, user: User, password: str) -> User:
    """The user chose a password through their link. Validators run here as well as in the form."""
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=user, verb=Verb.PASSWORD_SET, target_type="user", target_id=user.pk)
    return user


@transaction.atomic
def user_mfa_reset(*, actor: User, user: User) -> int:
    """Remove the user's authenticators: they set up a new one when they next sign in.

    This is the only way a confirmed authenticator goes. The user is emailed once the reset
    has committed, so someone who did not ask for it can tell their administrator.
    """
    _check_in_scope(actor=actor, user=user)
    # Locks the user's row, as set-up does, so a set-up in progress cannot cross the reset.
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    event = audit_record(
        actor=actor,
        verb=Verb.MFA_RESET,
        target_type="user",
        target_id=user.pk,
        detail={"devices_removed": removed},
    )
    # The email gives the audited time, so the user and the audit trail tell the same story.
    transaction.on_commit(
        partial(_mfa_reset_email_send, actor_id=actor.pk, user_id=user.pk, reset_at=event.at)
    )
    return removed


def _mfa_reset_email_send(*, actor_id: int, user_id: int, reset_at: datetime) -> None:
    """After commit: tell the user who reset their authenticator and when."""
    actor = User.objects.filter(pk=actor_id).first()
    user = User.objects.filter(pk=user_id).first()
    if actor is None or user is None:
        return
    partnership = user.partnership
    context = {
        "user": user,
        "actor": actor,
        "reset_at": timezone.localtime(reset_at),
        "partnership_name": partnership.name if partnership else "your safeguarding partnership",
    }
    try:
        send_mail(
            subject="Your CSE Hub account: your authenticator app has been reset",
            message=render_to_string("accounts/email/mfa_reset.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    except (OSError, smtplib.SMTPException) as error:
        # The reset has happened and is audited; a lost email must not undo it or fail the page.
        logger.warning("Reset email to user %s not sent: %s", user_id, type(error).__name__)
