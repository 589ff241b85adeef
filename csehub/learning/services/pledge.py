"""The pledge: taking it, ticking its commitments, inviting colleagues and counting completions.

An invitation is an email with a link carrying a random token. The link opens a public page
(no account needed: taxi drivers, hoteliers, parents) where the pledge can be taken once and the
course read until the link expires. It is accepted when someone signs in through it, and
completed when the person it reached (by the link, or by the same email address) has the
workbook confirmed: the workbook's confirmation calls pledge_invitations_mark_completed.
"""

from __future__ import annotations

import datetime
import logging
import secrets
import smtplib
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from csehub.accounts.models import User
from csehub.audit.models import Outcome, Verb
from csehub.audit.services import audit_record

from ..models import CourseKind, Pledge, PledgeInvitation, TrainingRecord, TrainingSource
from ..selectors.pledge import (
    LINK_OPEN,
    LINK_PLEDGED,
    pledge_for,
    pledge_invitation_by_token_unchecked,
    pledge_invitation_link_state,
    pledge_wording,
)

logger = logging.getLogger(__name__)

MAX_INVITATIONS_AT_ONCE = 5
# A cap per sender, so the service cannot be used to send mail in bulk.
MAX_INVITATIONS_PER_DAY = 20
INVITATION_LINK_DAYS = 30
COMMITMENTS = ("found_out_more", "completed_course", "told_five_people")


@transaction.atomic
def pledge_take(*, actor: User) -> Pledge:
    """Take the pledge; taking it again changes nothing."""
    existing = pledge_for(user=actor)
    if existing is not None:
        return existing
    pledge = Pledge(user=actor, completed_course=_has_completed_workbook(actor))
    pledge.full_clean()
    try:
        with transaction.atomic():
            pledge.save()
    except IntegrityError:
        return Pledge.objects.get(user=actor)  # taken in another tab at the same moment
    audit_record(actor=actor, verb=Verb.CREATED, target_type="pledge", target_id=pledge.pk)
    return pledge


@transaction.atomic
def pledge_commitments_update(
    *, actor: User, found_out_more: bool, completed_course: bool, told_five_people: bool
) -> Pledge:
    pledge = pledge_for(user=actor)
    if pledge is None:
        raise ValidationError("Take the pledge before ticking its commitments")
    wanted = {
        "found_out_more": found_out_more,
        "completed_course": completed_course,
        "told_five_people": told_five_people,
    }
    changed = [name for name in COMMITMENTS if getattr(pledge, name) != wanted[name]]
    if not changed:
        return pledge
    for name in changed:
        setattr(pledge, name, wanted[name])
    pledge.full_clean()
    pledge.save(update_fields=changed)
    audit_record(
        actor=actor,
        verb=Verb.UPDATED,
        target_type="pledge",
        target_id=pledge.pk,
        detail={"fields": changed},
    )
    return pledge


def _invitation_email(*, invitation: PledgeInvitation, inviter: User) -> None:
    partnership = inviter.partnership
    site = (getattr(settings, "CSEHUB_SITE_URL", "") or "").rstrip("/")
    partnership_name = partnership.name if partnership else "Your safeguarding partnership"
    send_mail(
        subject=f"{inviter.full_name} invites you to take the CSE pledge",
        message=render_to_string(
            "learning/email/pledge_invitation.txt",
            {
                "inviter_name": inviter.full_name,
                "partnership_name": partnership_name,
                "wording": pledge_wording(),
                "expires_on": invitation.expires_at,
                "link": site
                + reverse("learning:pledge-public", kwargs={"token": invitation.token}),
            },
        ),
        from_email=None,
        recipient_list=[invitation.email],
    )


def _invitations_email(*, invitations: list[PledgeInvitation], inviter: User) -> None:
    for invitation in invitations:
        try:
            _invitation_email(invitation=invitation, inviter=inviter)
        except (OSError, smtplib.SMTPException) as error:
            # The invitation stays listed on the inviter's pledge page; they can send it again.
            logger.warning("Pledge invitation %s not sent: %s", invitation.pk, type(error).__name__)


@transaction.atomic
def pledge_invitations_send(*, actor: User, emails: Sequence[str]) -> list[PledgeInvitation]:
    """Invite up to five people by email, each with their own link.

    The emails go out once the invitations have committed, so nobody gets a link to an
    invitation that was rolled back.
    """
    addresses = [email.strip() for email in emails if email.strip()]
    if not addresses:
        raise ValidationError("Enter at least one email address")
    if len(addresses) > MAX_INVITATIONS_AT_ONCE:
        raise ValidationError(f"You can invite up to {MAX_INVITATIONS_AT_ONCE} people at a time")
    if actor.email.lower() in {address.lower() for address in addresses}:
        raise ValidationError("Enter your colleagues' email addresses, not your own")
    now = timezone.now()
    # Two tabs sending at once must not both get under the cap: one waits for the other.
    User.objects.select_for_update().filter(pk=actor.pk).exists()
    sent_today = PledgeInvitation.objects.filter(
        inviter=actor, sent_at__gt=now - datetime.timedelta(days=1)
    ).count()
    if sent_today + len(addresses) > MAX_INVITATIONS_PER_DAY:
        left = max(MAX_INVITATIONS_PER_DAY - sent_today, 0)
        raise ValidationError(
            f"You can send up to {MAX_INVITATIONS_PER_DAY} invitations in a day: {left} left today"
        )
    invitations = []
    for address in addresses:
        invitation = PledgeInvitation(
            inviter=actor,
            email=address,
            # 256 random bits: the link cannot be guessed.
            token=secrets.token_urlsafe(32),
            sent_at=now,
            expires_at=now + datetime.timedelta(days=INVITATION_LINK_DAYS),
        )
        invitation.full_clean()
        invitation.save()
        audit_record(
            actor=actor,
            verb=Verb.INVITATION_SENT,
            target_type="pledge_invitation",
            target_id=invitation.pk,
        )
        invitations.append(invitation)
    transaction.on_commit(lambda: _invitations_email(invitations=invitations, inviter=actor))
    return invitations


@transaction.atomic
def pledge_invitation_accept(*, actor: User, token: str) -> PledgeInvitation | None:
    """The invited person followed their link and signed in. Returns None for an unknown
    token, and leaves the invitation alone when its sender follows their own link."""
    invitation = pledge_invitation_by_token_unchecked(token=token)
    if invitation is None or invitation.inviter_id == actor.pk:
        return None
    # The link followed twice at once (or by two people): one acceptance, the first.
    invitation.refresh_from_db(from_queryset=PledgeInvitation.objects.select_for_update())
    if invitation.accepted_user_id is None:
        invitation.accepted_user = actor
        invitation.accepted_at = timezone.now()
        invitation.full_clean()
        invitation.save(update_fields=["accepted_user", "accepted_at"])
        audit_record(
            actor=actor,
            verb=Verb.UPDATED,
            target_type="pledge_invitation",
            target_id=invitation.pk,
            detail={"action": "accepted"},
        )
    pledge_invitations_mark_completed(user=actor)
    return invitation


def _has_completed_workbook(user: User) -> bool:
    return TrainingRecord.objects.filter(
        user=user, source=TrainingSource.WORKBOOK, course__kind=CourseKind.WORKBOOK
    ).exists()


@transaction.atomic
def pledge_invitations_mark_completed(*, user: User) -> int:
    """Count the course as completed on every invitation that reached this user.

    Called by the workbook's confirmation once the training record exists (and when someone
    accepts an invitation after completing). Does nothing until the user has a confirmed
    workbook. Also ticks "complete the course" on the user's own pledge. Returns how many
    invitations were marked.
    """
    if not _has_completed_workbook(user):
        return 0
    now = timezone.now()
    invitations = PledgeInvitation.objects.select_for_update().filter(
        Q(accepted_user=user) | Q(accepted_user__isnull=True, email__iexact=user.email),
        completed=False,
    )
    marked = 0
    for invitation in invitations.exclude(inviter=user):
        fields = ["completed"]
        invitation.completed = True
        if invitation.accepted_user_id is None:
            invitation.accepted_user = user
            invitation.accepted_at = now
            fields += ["accepted_user", "accepted_at"]
        invitation.full_clean()
        invitation.save(update_fields=fields)
        audit_record(
            actor=None,
            verb=Verb.UPDATED,
            target_type="pledge_invitation",
            target_id=invitation.pk,
            detail={"action": "completed", "user": user.pk},
            partnership=user.partnership_id,
        )
        marked += 1
    pledge = pledge_for(user=user)
    if pledge is not None and not pledge.completed_course:
        pledge.completed_course = True
        pledge.save(update_fields=["completed_course"])
        audit_record(
            actor=None,
            verb=Verb.UPDATED,
            target_type="pledge",
            target_id=pledge.pk,
            detail={"fields": ["completed_course"], "action": "course_completed"},
            partnership=user.partnership_id,
        )
    return marked


def _public_audit(
    invitation: PledgeInvitation | None, action: str, result: str, **detail: object
) -> None:
    """Audit a use of a public link: ids and what happened, never the address or the token."""
    audit_record(
        actor=None,
        verb=Verb.VIEWED if action != "pledged" else Verb.CREATED,
        target_type="pledge_invitation",
        target_id=invitation.pk if invitation is not None else "",
        outcome=Outcome.ALLOWED if result in (LINK_OPEN, LINK_PLEDGED) else Outcome.DENIED,
        detail={"action": action, "result": result, **detail},
        partnership=invitation.inviter.partnership_id if invitation is not None else None,
    )


@transaction.atomic
def pledge_invitation_view_record(
    *, invitation: PledgeInvitation | None, page: str, section: str = ""
) -> str:
    """Audit a visit to the public pledge page or course; returns the link's state."""
    state = pledge_invitation_link_state(invitation)
    _public_audit(invitation, page, state, **({"section": section} if section else {}))
    return state


@transaction.atomic
def pledge_invitation_pledge(*, token: str, pledged: bool) -> PledgeInvitation:
    """Take the pledge through an invitation link, without an account: once per link, and
    only before it expires."""
    invitation = pledge_invitation_by_token_unchecked(token=token)
    if invitation is None:
        raise ValidationError("This link is not recognised")
    # Two presses of the button (or two people with a forwarded link): one pledge.
    invitation.refresh_from_db(from_queryset=PledgeInvitation.objects.select_for_update())
    state = pledge_invitation_link_state(invitation)
    if state != LINK_OPEN:
        raise ValidationError(
            "The pledge has already been taken with this link"
            if state == LINK_PLEDGED
            else "This link has expired: ask the person who invited you to send a new one"
        )
    if not pledged:
        raise ValidationError({"pledge": "Tick the box to take the pledge"})
    invitation.pledged_at = timezone.now()
    invitation.full_clean()
    invitation.save(update_fields=["pledged_at"])
    _public_audit(invitation, "pledged", LINK_OPEN)
    return invitation
