"""The only writes to disclosures: draft, sign (password re-entered), and add addenda.

A signed disclosure is never changed: these services refuse, and a database trigger refuses
any UPDATE of a signed row (disclosures.triggers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from csehub.access.permissions import Permission, has_permission
from csehub.accounts.models import User
from csehub.audit.models import Outcome, Verb
from csehub.audit.services import audit_record
from csehub.children.models import Child
from csehub.concerns.models import Concern

from .models import Addendum, Disclosure, DisclosureStatus

SIGNATURE_REFUSED = (
    "The password is not right. Enter the password you use to sign in to CSE Hub: "
    "nothing you wrote has been lost"
)
ALREADY_SIGNED = "This disclosure has been signed, so it cannot be changed. Add an addendum instead"


@dataclass(frozen=True)
class DisclosureDetails:
    occurred_on: dt.date | None = None
    occurred_time: dt.time | None = None
    place: str = ""
    who_was_present: str = ""
    childs_words: str = ""
    practitioner_response: str = ""
    who_was_told: str = ""


class SignatureRefused(ValidationError):
    """The password given to sign was wrong; the draft is saved, unsigned."""


def _apply(disclosure: Disclosure, details: DisclosureDetails) -> None:
    for name, value in vars(details).items():
        # The child's words are kept exactly as typed, only trimmed at the ends.
        setattr(disclosure, name, value.strip() if isinstance(value, str) else value)


def _signing_errors(disclosure: Disclosure) -> dict[str, str]:
    errors: dict[str, str] = {}
    if disclosure.occurred_on is None:
        errors["occurred_on"] = "Enter the date the child told you"
    elif disclosure.occurred_on > timezone.localdate():
        errors["occurred_on"] = "The date the child told you must be today or in the past"
    if disclosure.occurred_time is None:
        errors["occurred_time"] = "Enter the time the child told you, like 14:30"
    if not disclosure.place:
        errors["place"] = "Enter where the child told you"
    if not disclosure.childs_words:
        errors["childs_words"] = "Write down what the child said, in their own words"
    if not disclosure.practitioner_response:
        errors["practitioner_response"] = "Say what you said and did"
    return errors


def _verify_signature(actor: User, password: str, target_id: object) -> None:
    """Check the password before anything is written. Called outside the write transaction,
    so a refused attempt stays in the audit trail while nothing else is saved."""
    if password and actor.check_password(password):
        return
    disclosure_signature_refused_record(
        actor=actor, disclosure_id=target_id, reason="wrong_password"
    )
    raise SignatureRefused({"password": SIGNATURE_REFUSED})


@transaction.atomic
def disclosure_signature_refused_record(*, actor: User, disclosure_id: object, reason: str) -> None:
    """A refused signature (wrong password, or a partner system trying to sign), kept in the
    audit trail even though nothing else is saved. `reason` is a code, never free text."""
    audit_record(
        actor=actor,
        verb=Verb.UPDATED,
        target_type="disclosure",
        target_id=str(disclosure_id or ""),
        outcome=Outcome.DENIED,
        detail={"action": "sign", "reason": reason},
    )


def _check_signable(disclosure: Disclosure, password: str) -> None:
    errors = _signing_errors(disclosure)
    if errors:
        raise ValidationError(errors)
    _verify_signature(disclosure.recorded_by, password, disclosure.pk)


def _mark_signed(actor: User, disclosure: Disclosure) -> None:
    disclosure.status = DisclosureStatus.SIGNED
    disclosure.signed_at = timezone.now()
    disclosure.full_clean()
    disclosure.save()
    audit_record(
        actor=actor,
        verb=Verb.UPDATED,
        target_type="disclosure",
        target_id=disclosure.pk,
        detail={"action": "signed"},
        child=disclosure.child_id,
    )


def disclosure_create(
    *,
    actor: User,
    child: Child,
    details: DisclosureDetails,
    concern: Concern | None = None,
    sign_with_password: str | None = None,
) -> Disclosure:
    """Record a disclosure as a draft, or signed at once when a password is given.

    A wrong password raises SignatureRefused and saves nothing (the form keeps the text).
    """
    if not has_permission(actor, Permission.RECORD_DISCLOSURE) or actor.agency_id is None:
        raise PermissionDenied("You cannot record a disclosure")
    if concern is not None and concern.child_id != child.pk:
        raise ValidationError("The concern is about a different child")
    disclosure = Disclosure(
        child=child, concern=concern, recorded_by=actor, agency_id=actor.agency_id
    )
    _apply(disclosure, details)
    if sign_with_password is not None:
        _check_signable(disclosure, sign_with_password)
    return _disclosure_save_new(
        actor=actor, disclosure=disclosure, sign=sign_with_password is not None
    )


@transaction.atomic
def _disclosure_save_new(*, actor: User, disclosure: Disclosure, sign: bool) -> Disclosure:
    disclosure.full_clean()
    disclosure.save()
    audit_record(
        actor=actor,
        verb=Verb.CREATED,
        target_type="disclosure",
        target_id=disclosure.pk,
        child=disclosure.child_id,
    )
    if sign:
        _mark_signed(actor, disclosure)
    return disclosure


def disclosure_update(
    *,
    actor: User,
    disclosure: Disclosure,
    details: DisclosureDetails,
    sign_with_password: str | None = None,
) -> Disclosure:
    """Change a draft (its author only), and sign it when a password is given. A wrong
    password raises SignatureRefused and leaves the stored draft as it was."""
    if disclosure.recorded_by_id != actor.pk:
        raise PermissionDenied("Only the person who recorded a disclosure can change the draft")
    if Disclosure.objects.filter(pk=disclosure.pk, status=DisclosureStatus.SIGNED).exists():
        raise ValidationError(ALREADY_SIGNED)
    _apply(disclosure, details)
    if sign_with_password is not None:
        _check_signable(disclosure, sign_with_password)
    return _disclosure_save_draft(
        actor=actor, disclosure=disclosure, sign=sign_with_password is not None
    )


@transaction.atomic
def _disclosure_save_draft(*, actor: User, disclosure: Disclosure, sign: bool) -> Disclosure:
    stored = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    if stored.is_signed:
        raise ValidationError(ALREADY_SIGNED)
    disclosure.updated_at = timezone.now()
    disclosure.full_clean()
    disclosure.save()
    audit_record(
        actor=actor,
        verb=Verb.UPDATED,
        target_type="disclosure",
        target_id=disclosure.pk,
        detail={"action": "draft_saved"},
        child=disclosure.child_id,
    )
    if sign:
        _mark_signed(actor, disclosure)
    return disclosure


@transaction.atomic
def addendum_add(*, actor: User, disclosure: Disclosure, text: str) -> Addendum:
    """Append a note to a signed disclosure. The disclosure itself is not touched."""
    if not has_permission(actor, Permission.RECORD_DISCLOSURE) or actor.agency_id is None:
        raise PermissionDenied("You cannot add to a disclosure")
    if not disclosure.is_signed:
        raise ValidationError("This disclosure is still a draft: change the draft instead")
    if not text.strip():
        raise ValidationError({"text": "Write the addendum"})
    addendum = Addendum(
        disclosure=disclosure, author=actor, agency_id=actor.agency_id, text=text.strip()
    )
    addendum.full_clean()
    addendum.save()
    audit_record(
        actor=actor,
        verb=Verb.CREATED,
        target_type="disclosure_addendum",
        target_id=addendum.pk,
        detail={"disclosure": disclosure.pk},
        child=disclosure.child_id,
    )
    return addendum
