"""The pledge: taking it, ticking its commitments, inviting colleagues and counting completions.

An invitation is an email with a link carrying a random token. It is accepted when someone
signs in through the link, and completed when the person it reached (by the link, or by the
same email address) has the workbook confirmed: the workbook's confirmation calls
pledge_invitations_mark_completed.
"""

from __future__ import annotations

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
from csehub.audit.models import Verb
from csehub.audit.services import audit_record

from ..models import CourseKind, Pledge, PledgeInvitation, TrainingRecord, TrainingSource
from ..selectors.pledge import pledge_for, pledge_invitation_by_token_unchecked

logger = logging.getLogger(__name__)

MAX_INVITATIONS_AT_ONCE = 5
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
                "link": site
                + reverse("learning:pledge-invitation", kwargs={"token": invitation.token}),
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
    invitations = []
    for address in addresses:
        invitation = PledgeInvitation(inviter=actor, email=address, token=secrets.token_urlsafe(32))
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
