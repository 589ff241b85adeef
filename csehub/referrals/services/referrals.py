"""Making referrals and moving them through their states. The only writes to referrals.

Each step re-reads the referral (or, to make one, the concern) under a row lock before it checks
anything, so a double click or two colleagues acting at once make one step: the second waits,
then sees the first step and is refused like any other step out of turn. Emails go out only
after the step commits (notifications_send).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from csehub.access.permissions import Permission, has_permission
from csehub.accounts.models import Agency, AgencyType, User
from csehub.audit.models import Verb
from csehub.audit.services import audit_record
from csehub.concerns.models import Concern, ConcernStatus
from csehub.concerns.selectors import concerns_visible_to

from .. import selectors
from ..models import (
    ALLOWED_OUTCOMES,
    ALLOWED_TRANSITIONS,
    Destination,
    Notification,
    NotificationVerb,
    Referral,
    ReferralOutcome,
    ReferralRiskDetail,
    ReferralState,
    ReferralTransition,
)
from ..timescales import decision_due
from .notifications import notifications_send

AGENCY_TYPE_FOR: dict[str, str] = {
    Destination.CHILDRENS_SOCIAL_CARE: AgencyType.CHILDRENS_SOCIAL_CARE,
    Destination.POLICE_CSE_DESK: AgencyType.POLICE,
}


@dataclass(frozen=True)
class RiskDetailInput:
    kind: str
    value: str
    details: str = ""


@dataclass(frozen=True)
class ReferralContent:
    what_was_seen: str
    child_details: str = ""
    request: str = ""
    risk_details: Sequence[RiskDetailInput] = field(default_factory=tuple)


@dataclass(frozen=True)
class Addressee:
    destination: str
    to_agency: Agency | None = None  # the front door's or police's agency; none for a social worker


# Links a service fills from objects it has already read (the concern, its child, the actor):
# checking each exists again would cost a query apiece.
_HELD_LINKS = ["partnership", "concern", "child", "referred_by", "referring_agency"]


def _audit(actor: User, verb: Verb, referral: Referral, **detail: object) -> None:
    audit_record(
        actor=actor,
        verb=verb,
        target_type="referral",
        target_id=referral.pk,
        child=referral.child_id,
        detail=dict(detail),
    )


def _lock(referral: Referral) -> None:
    """Reload the referral as stored now, locked until the transaction ends (the caller's copy,
    perhaps loaded before someone else's step, becomes the current one)."""
    referral.refresh_from_db(from_queryset=Referral.objects.select_for_update())


def _check_can_refer(actor: User, concern: Concern) -> None:
    if not has_permission(actor, Permission.MAKE_REFERRAL):
        raise PermissionDenied("Only a safeguarding lead can make a referral")
    if not _concern_visible(actor, concern):
        raise PermissionDenied("You cannot refer a concern you cannot see")
    if concern.status != ConcernStatus.SUBMITTED:
        raise ValidationError("This concern is still a draft. Submit it before referring it")


def _concern_visible(actor: User, concern: Concern) -> bool:
    return concerns_visible_to(user=actor).filter(pk=concern.pk).exists()


def _address(referral: Referral, addressee: Addressee, concern: Concern) -> None:
    destination = Destination(addressee.destination)
    if destination == Destination.ALLOCATED_SOCIAL_WORKER:
        worker = concern.child.allocated_social_worker
        if worker is None or not worker.is_active:
            raise ValidationError(
                {
                    "destinations": "This child has no allocated social worker recorded, so "
                    "there is no one to send it to for information"
                }
            )
        referral.to_user = worker
        return
    agency = addressee.to_agency
    if (
        agency is None
        or agency.agency_type != AGENCY_TYPE_FOR[destination]
        or agency.partnership_id != concern.child.partnership_id
        or not agency.is_active
    ):
        raise ValidationError(
            {"destinations": f"Choose where in your partnership to send it: {destination.label}"}
        )
    referral.to_agency = agency


@transaction.atomic
def referral_create(
    *,
    actor: User,
    concern: Concern,
    addressee: Addressee,
    content: ReferralContent,
    site_url: str = "",
    at: dt.datetime | None = None,
) -> Referral:
    """Send one referral about the concern's child to one destination, and tell the team.

    `at` back-records a referral made earlier (the demo, records moved from email); pages
    never pass it."""
    # Two leads (or two clicks) referring at once: the second waits, then finds the first.
    concern.refresh_from_db(from_queryset=Concern.objects.select_for_update())
    _check_can_refer(actor, concern)
    destination = Destination(addressee.destination)
    if (
        Referral.objects.filter(concern=concern, destination=destination)
        .exclude(state=ReferralState.OUTCOME_RECORDED)
        .exists()
    ):
        raise ValidationError(
            {
                "destinations": f"This concern has already been sent to the "
                f"{destination.label.lower()} and that referral is still open"
            }
        )
    now = at or timezone.now()
    latest = concern.assessments.order_by("-created_at", "-pk").first()
    referral = Referral(
        partnership_id=concern.child.partnership_id,
        concern=concern,
        child=concern.child,
        destination=destination,
        referred_by=actor,
        referring_agency=actor.agency,
        what_was_seen=content.what_was_seen.strip(),
        child_details=content.child_details.strip(),
        request=content.request.strip(),
        risk_level=latest.level if latest is not None else "",
        submitted_at=now,
        due_at=decision_due(destination=destination, sent_at=now),
    )
    _address(referral, addressee, concern)
    # The addressee was checked by _address and the open duplicate above; the links the service
    # holds and the constraints are the database's to keep (a query each to check here).
    referral.full_clean(exclude=[*_HELD_LINKS, "to_agency", "to_user"], validate_constraints=False)
    referral.save()
    details = [
        ReferralRiskDetail(
            referral=referral,
            kind=item.kind,
            value=item.value.strip(),
            details=item.details.strip(),
        )
        for item in content.risk_details
    ]
    for detail in details:
        detail.full_clean(exclude=["referral"])
    ReferralRiskDetail.objects.bulk_create(details)
    transition = ReferralTransition(
        referral=referral, actor=actor, at=now, from_state="", to_state=ReferralState.SUBMITTED
    )
    # Its states come from the checked move; their constraints are the database's to keep.
    transition.full_clean(exclude=["referral", "actor"], validate_constraints=False)
    transition.save()
    _audit(
        actor,
        Verb.CREATED,
        referral,
        destination=str(destination),
        concern=concern.pk,
        risk_details=len(content.risk_details),
    )
    notifications_send(
        recipients=selectors.team_members(referral=referral),
        verb=NotificationVerb.REFERRAL_RECEIVED,
        referral=referral,
        exclude=actor,
        site_url=site_url,
    )
    return referral


@transaction.atomic
def referrals_create(
    *,
    actor: User,
    concern: Concern,
    addressees: Sequence[Addressee],
    content: ReferralContent,
    site_url: str = "",
) -> list[Referral]:
    """One referral per destination, all or none."""
    if not addressees:
        raise ValidationError({"destinations": "Select at least one place to send the referral"})
    return [
        referral_create(
            actor=actor, concern=concern, addressee=a, content=content, site_url=site_url
        )
        for a in addressees
    ]


def _state_label(state: str) -> str:
    return ReferralState(state).label.lower()


def _check_transition(referral: Referral, to_state: ReferralState) -> None:
    """Refuse a step the state machine does not allow, saying what to do instead."""
    current = ReferralState(referral.state)
    if (current, to_state) in ALLOWED_TRANSITIONS[referral.destination]:
        return
    if current == ReferralState.OUTCOME_RECORDED:
        raise ValidationError(
            "An outcome has already been recorded on this referral, so it cannot be changed"
        )
    if current == to_state:
        raise ValidationError(f"This referral has already been {_state_label(current)}")
    if current == ReferralState.SUBMITTED:
        raise ValidationError("Mark the referral as received first")
    if current == ReferralState.RECEIVED and to_state == ReferralState.OUTCOME_RECORDED:
        raise ValidationError("Screen the referral before recording an outcome")
    raise ValidationError(
        f"A referral that is {_state_label(current)} cannot be marked as {_state_label(to_state)}"
    )


def _check_receiver(actor: User, referral: Referral) -> None:
    if not selectors.referrals_receivable_by(user=actor).filter(pk=referral.pk).exists():
        raise PermissionDenied("Only the team the referral was sent to can move it on")


def _move(
    *,
    actor: User,
    referral: Referral,
    to_state: ReferralState,
    outcome: str = "",
    reason: str = "",
    at: dt.datetime | None = None,
) -> ReferralTransition:
    _check_receiver(actor, referral)
    _check_transition(referral, to_state)
    now = at or timezone.now()
    transition = ReferralTransition(
        referral=referral,
        actor=actor,
        at=now,
        from_state=referral.state,
        to_state=to_state,
        outcome=outcome,
        reason=reason.strip(),
    )
    # Its states come from the checked move; their constraints are the database's to keep.
    transition.full_clean(exclude=["referral", "actor"], validate_constraints=False)
    referral.state = to_state
    if to_state == ReferralState.OUTCOME_RECORDED:
        referral.outcome = outcome
        referral.decided_at = now
    # Locked and re-read by the caller: only its state changes here, not whom it links. The
    # move was checked against the allowed transitions above; the constraints on state and
    # outcome are the database's to keep (checking them here costs a query each, every move).
    referral.full_clean(exclude=[*_HELD_LINKS, "to_agency", "to_user"], validate_constraints=False)
    referral.save()
    transition.save()
    _audit(
        actor,
        Verb.UPDATED,
        referral,
        from_state=transition.from_state,
        to_state=str(to_state),
        outcome=outcome,
    )
    return transition


@transaction.atomic
def referral_receive(
    *, actor: User, referral: Referral, site_url: str = "", at: dt.datetime | None = None
) -> Referral:
    """The receiving team (or the social worker, for information) has the referral."""
    _lock(referral)
    _move(actor=actor, referral=referral, to_state=ReferralState.RECEIVED, at=at)
    notifications_send(
        recipients=selectors.referrer_side(referral=referral),
        verb=NotificationVerb.REFERRAL_PROGRESS,
        referral=referral,
        exclude=actor,
        site_url=site_url,
    )
    return referral


@transaction.atomic
def referral_screen(
    *, actor: User, referral: Referral, note: str = "", at: dt.datetime | None = None
) -> Referral:
    """The team has looked at what is known and is ready to decide."""
    _lock(referral)
    _move(actor=actor, referral=referral, to_state=ReferralState.SCREENED, reason=note, at=at)
    return referral


@transaction.atomic
def referral_outcome_record(
    *,
    actor: User,
    referral: Referral,
    outcome: str,
    reason: str,
    police_reference: str = "",
    flagged_record_existed: bool | None = None,
    site_url: str = "",
    at: dt.datetime | None = None,
) -> Referral:
    """The team's decision, with its reason; the referrer and their lead are told."""
    _lock(referral)
    errors: dict[str, str] = {}
    if outcome not in ALLOWED_OUTCOMES[referral.destination]:
        choices = ", ".join(
            ReferralOutcome(o).label.lower() for o in ALLOWED_OUTCOMES[referral.destination]
        )
        errors["outcome"] = f"Select an outcome: {choices}"
    if not reason.strip():
        errors["reason"] = "Give the reason for this outcome"
    if referral.destination == Destination.POLICE_CSE_DESK:
        if not police_reference.strip():
            errors["police_reference"] = "Enter the police reference for the CSE-flagged record"
        if flagged_record_existed is None:
            errors["flagged_record_existed"] = "Select whether a CSE-flagged record already existed"
    # The order of checks matters: a step out of turn is named before missing answers.
    _check_receiver(actor, referral)
    _check_transition(referral, ReferralState.OUTCOME_RECORDED)
    if errors:
        raise ValidationError(errors)
    if referral.destination == Destination.POLICE_CSE_DESK:
        referral.police_reference = police_reference.strip()
        referral.flagged_record_existed = flagged_record_existed
    _move(
        actor=actor,
        referral=referral,
        to_state=ReferralState.OUTCOME_RECORDED,
        outcome=outcome,
        reason=reason,
        at=at,
    )
    notifications_send(
        recipients=selectors.referrer_side(referral=referral),
        verb=NotificationVerb.REFERRAL_OUTCOME,
        referral=referral,
        exclude=actor,
        site_url=site_url,
    )
    return referral


@transaction.atomic
def referral_request_from_lead(*, actor: User, concern: Concern, site_url: str = "") -> int:
    """A practitioner asks their agency's safeguarding lead to consider referring the concern.
    Returns how many leads have been asked (now, or earlier and not yet opened)."""
    if not has_permission(actor, Permission.REQUEST_REFERRAL):
        raise PermissionDenied("You cannot ask for a referral")
    if not _concern_visible(actor, concern):
        raise PermissionDenied("You cannot ask for a referral of a concern you cannot see")
    if concern.status != ConcernStatus.SUBMITTED:
        raise ValidationError("This concern is still a draft. Submit it first")
    leads = list(selectors.safeguarding_leads_for(user=actor))
    if not leads:
        raise ValidationError(
            "Your agency has no safeguarding lead on CSE Hub yet. Talk to your manager, and "
            "call the children's front door if you are worried about the child now"
        )
    # A double click, or two colleagues asking at once: the concern's row is locked, and a
    # lead who has already been asked about this concern and not yet opened it is not asked
    # (or emailed) again.
    list(Concern.objects.select_for_update().filter(pk=concern.pk).values_list("pk"))
    waiting = set(
        Notification.objects.filter(
            concern=concern,
            verb=NotificationVerb.REFERRAL_REQUESTED,
            read_at__isnull=True,
            recipient__in=leads,
        ).values_list("recipient_id", flat=True)
    )
    asking = [lead for lead in leads if lead.pk not in waiting]
    if asking:
        notifications_send(
            recipients=asking,
            verb=NotificationVerb.REFERRAL_REQUESTED,
            concern=concern,
            exclude=actor,
            site_url=site_url,
        )
        audit_record(
            actor=actor,
            verb=Verb.UPDATED,
            target_type="concern",
            target_id=concern.pk,
            child=concern.child_id,
            detail={"action": "referral_requested", "leads": len(asking)},
        )
    return len(leads)
