"""Signing in and out. Every step leaves an audit event; only these functions change sessions."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.contrib import auth
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from csehub.access.session import DEMO_MFA_WAIVED
from csehub.audit.middleware import client_ip
from csehub.audit.models import Outcome, Verb
from csehub.audit.services import audit_record

from ..middleware import SIGNED_IN_AT
from ..models import User
from . import throttle

PENDING_USER = "csehub_pending_user_id"
PENDING_SINCE = "csehub_pending_since"
PENDING_MAX_SECONDS = 5 * 60


class SignInLocked(Exception):
    """Too many recent failures for this username here, or from this address."""


class AuthenticatorAlreadySetUp(Exception):
    """The user has a confirmed authenticator, so setting up another is refused."""


@dataclass(frozen=True)
class PasswordResult:
    user: User | None


def _ip(request: HttpRequest) -> str:
    return client_ip(request) or "0.0.0.0"  # noqa: S104 - a placeholder address, not a bind


def sign_in_password_check(*, request: HttpRequest, email: str, password: str) -> User | None:
    """First factor. On success the user is pending, not signed in, until the second factor."""
    email = email.strip().lower()
    ip = _ip(request)
    if throttle.is_locked_out(username=email, ip_address=ip):
        # Recorded in its own transaction: the exception must not roll the event back.
        known = User.objects.filter(email=email).values_list("pk", "partnership_id").first()
        audit_record(
            actor=None,
            verb=Verb.SIGN_IN_THROTTLED,
            target_type="user" if known else "sign_in",
            target_id=known[0] if known else "",
            outcome=Outcome.DENIED,
            # The partnership of the account tried, so that its IG sees it; none for an
            # address nobody has.
            partnership=known[1] if known else None,
        )
        raise SignInLocked
    return _password_check(request=request, email=email, ip=ip, password=password)


@transaction.atomic
def _password_check(*, request: HttpRequest, email: str, ip: str, password: str) -> User | None:
    user = auth.authenticate(request, username=email, password=password)
    # Partner-system accounts have no usable password; refuse them here all the same.
    if user is not None and getattr(user, "is_system_account", False):
        user = None
    if user is None:
        throttle.failure_record(username=email, ip_address=ip)
        known = User.objects.filter(email=email).values_list("pk", "partnership_id").first()
        audit_record(
            actor=None,
            verb=Verb.SIGN_IN_FAILED,
            target_type="user",
            target_id=known[0] if known else "",
            outcome=Outcome.DENIED,
            partnership=known[1] if known else None,
        )
        return None
    assert isinstance(user, User)
    throttle.failures_clear(username=email, ip_address=ip)
    request.session.cycle_key()
    request.session[PENDING_USER] = user.pk
    request.session[PENDING_SINCE] = time.time()
    return user


def pending_user(*, request: HttpRequest) -> User | None:
    """The user who has given a correct password in this session in the last five minutes."""
    user_id = request.session.get(PENDING_USER)
    since = request.session.get(PENDING_SINCE)
    if user_id is None or since is None or time.time() - float(since) > PENDING_MAX_SECONDS:
        return None
    user = User.objects.select_related("agency").filter(pk=user_id).first()
    return user if user is not None and user.can_use_service else None


def confirmed_device(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def sign_in_code_check(*, request: HttpRequest, user: User, code: str) -> bool:
    """Second factor for a user with an authenticator. Throttled by django-otp per device."""
    device = confirmed_device(user=user)
    if device is None:
        return False
    if device.verify_token(code):
        _sign_in_complete(request=request, user=user, device=device)
        audit_record(actor=user, verb=Verb.MFA_VERIFIED, target_type="user", target_id=user.pk)
        return True
    audit_record(
        actor=None,
        verb=Verb.MFA_FAILED,
        target_type="user",
        target_id=user.pk,
        outcome=Outcome.DENIED,
        partnership=user.partnership,
    )
    return False


def mfa_setup_start(*, user: User, keep_unconfirmed: bool = False) -> TOTPDevice:
    """The authenticator being set up: a new one, replacing any left from an abandoned set-up.

    With `keep_unconfirmed` an unconfirmed one is kept, so a mistyped code leaves the key the
    user has already scanned on screen. Raises AuthenticatorAlreadySetUp, audited, if the
    user has a confirmed authenticator: only an administrator's reset removes that.
    """
    try:
        return _mfa_setup_start(user=user, keep_unconfirmed=keep_unconfirmed)
    except AuthenticatorAlreadySetUp:
        _mfa_setup_refused_record(user=user)
        raise


@transaction.atomic
def _mfa_setup_start(*, user: User, keep_unconfirmed: bool) -> TOTPDevice:
    _refuse_if_set_up(user=user)
    unconfirmed = TOTPDevice.objects.filter(user=user, confirmed=False)
    if keep_unconfirmed and (device := unconfirmed.first()) is not None:
        return device
    unconfirmed.delete()
    device = TOTPDevice(user=user, name="Authenticator app", confirmed=False)
    device.full_clean()
    device.save()
    return device


def mfa_setup_confirm(*, request: HttpRequest, user: User, code: str) -> bool:
    """Confirm the authenticator being set up with a code from it, and sign the user in.

    Raises AuthenticatorAlreadySetUp, audited, if the user has a confirmed authenticator:
    a password and a new app must never stand in for the app the user already has.
    """
    try:
        return _mfa_setup_confirm(request=request, user=user, code=code)
    except AuthenticatorAlreadySetUp:
        _mfa_setup_refused_record(user=user)
        raise


@transaction.atomic
def _mfa_setup_confirm(*, request: HttpRequest, user: User, code: str) -> bool:
    _refuse_if_set_up(user=user)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(code):
        audit_record(
            actor=None,
            verb=Verb.MFA_FAILED,
            target_type="user",
            target_id=user.pk,
            outcome=Outcome.DENIED,
            partnership=user.partnership,
        )
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, verb=Verb.MFA_ENROLLED, target_type="user", target_id=user.pk)
    _sign_in_complete(request=request, user=user, device=device)
    return True


def _refuse_if_set_up(*, user: User) -> None:
    # The user's row lock serialises set-up with an administrator's reset and with a second
    # set-up in another browser, so the check below cannot go stale before the write.
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise AuthenticatorAlreadySetUp


def _mfa_setup_refused_record(*, user: User) -> None:
    # In its own transaction, after the refused one has rolled back. The actor is unknown:
    # whoever it is has the password and nothing more.
    audit_record(
        actor=None,
        verb=Verb.MFA_ENROLLED,
        target_type="user",
        target_id=user.pk,
        outcome=Outcome.DENIED,
        detail={"reason": "authenticator_already_set_up"},
        partnership=user.partnership,
    )


@transaction.atomic
def sign_in_demo_waive_mfa(*, request: HttpRequest, user: User) -> None:
    """Demo mode only: a demo user goes straight in, and every page says so."""
    from django.conf import settings

    if not (settings.CSEHUB_DEMO_MODE and user.is_demo):
        raise PermissionError("Only demo users in demo mode may sign in without a second factor.")
    _sign_in_complete(request=request, user=user, device=None)
    request.session[DEMO_MFA_WAIVED] = True
    audit_record(actor=user, verb=Verb.MFA_WAIVED_DEMO, target_type="user", target_id=user.pk)


def _sign_in_complete(*, request: HttpRequest, user: User, device: TOTPDevice | None) -> None:
    # login() rotates the session key, so a key planted before sign-in is worthless after it.
    auth.login(request, user, backend="csehub.accounts.backends.ActiveAgencyBackend")
    if device is not None:
        otp_login(request, device)
    request.session.pop(PENDING_USER, None)
    request.session.pop(PENDING_SINCE, None)
    request.session[SIGNED_IN_AT] = time.time()
    audit_record(actor=user, verb=Verb.SIGNED_IN, target_type="user", target_id=user.pk)


@transaction.atomic
def sign_out(*, request: HttpRequest) -> None:
    user = request.user if request.user.is_authenticated else None
    auth.logout(request)
    if user is not None:
        audit_record(actor=user, verb=Verb.SIGNED_OUT, target_type="user", target_id=user.pk)
