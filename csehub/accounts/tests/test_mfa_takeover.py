"""Issue 9: a password alone must never replace someone's authenticator.

Only an administrator's reset removes a confirmed authenticator; after it, and only then, the
user sets up a new one when they next sign in.
"""

from __future__ import annotations

import base64
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from csehub.accounts import services
from csehub.accounts.services.sign_in import AuthenticatorAlreadySetUp
from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import TEST_PASSWORD, UserFactory, totp_device_for

pytestmark = pytest.mark.django_db

SET_UP = "accounts:mfa-setup"
CODE = "accounts:sign-in-code"


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _code_from_page(body: str) -> str:
    """The code an app would show for the key printed under "I cannot scan the QR code"."""
    match = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', body)
    assert match, "the set-up page shows no key"
    raw = match.group(1).replace(" ", "")
    key = base64.b32decode(raw + "=" * (-len(raw) % 8))
    return f"{totp(key):06d}"


def _password_only(user) -> Client:
    """A new browser that has given the user's password and nothing else."""
    client = Client()
    response = client.post(
        reverse("accounts:sign-in"), {"email": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    return client


def _signed_in(client: Client) -> bool:
    return client.get(reverse("accounts:home")).status_code == 200


def _refusals(user) -> int:
    return AuditEvent.objects.filter(
        verb=Verb.MFA_ENROLLED,
        outcome=Outcome.DENIED,
        target_type="user",
        target_id=str(user.pk),
    ).count()


def _assert_untouched(owner_device: TOTPDevice) -> None:
    kept = TOTPDevice.objects.get(pk=owner_device.pk)
    assert kept.confirmed
    assert kept.key == owner_device.key
    assert list(TOTPDevice.objects.filter(user=owner_device.user, confirmed=True)) == [kept]


# The attack: a password, then the set-up page instead of the code page.


def test_set_up_page_sends_someone_with_an_authenticator_to_the_code_page(school_practitioner):
    owner_device = totp_device_for(school_practitioner)
    attacker = _password_only(school_practitioner)

    response = attacker.get(reverse(SET_UP))

    assert response.status_code == 302
    assert response.url == reverse(CODE)
    assert not TOTPDevice.objects.filter(user=school_practitioner, confirmed=False).exists()
    _assert_untouched(owner_device)
    assert not _signed_in(attacker)
    assert _refusals(school_practitioner) == 1


def test_the_whole_takeover_fails_and_the_owner_keeps_their_authenticator(school_practitioner):
    owner_device = totp_device_for(school_practitioner)
    attacker = _password_only(school_practitioner)

    page = attacker.get(reverse(SET_UP))
    # Before the fix the page offered a fresh key; a code from it is what the attacker posts.
    code = _code_from_page(page.content.decode()) if page.status_code == 200 else "123456"
    response = attacker.post(reverse(SET_UP), {"code": code})

    assert response.status_code == 302
    assert response.url == reverse(CODE)
    _assert_untouched(owner_device)
    assert not _signed_in(attacker)
    assert "_auth_user_id" not in attacker.session
    assert not AuditEvent.objects.filter(
        verb=Verb.MFA_ENROLLED, outcome=Outcome.ALLOWED, target_id=str(school_practitioner.pk)
    ).exists()
    assert not AuditEvent.objects.filter(verb=Verb.SIGNED_IN, actor=school_practitioner).exists()
    assert _refusals(school_practitioner) >= 1
    # The owner still signs in with the app they already have.
    owner = _password_only(school_practitioner)
    owner.post(reverse(CODE), {"code": _code(owner_device)})
    assert _signed_in(owner)


def test_a_right_code_for_a_half_set_up_device_does_not_replace_a_confirmed_one(
    school_practitioner,
):
    """An unconfirmed device beside a confirmed one (say, from before this fix) is no way in."""
    owner_device = totp_device_for(school_practitioner)
    planted = TOTPDevice.objects.create(
        user=school_practitioner, name="Authenticator app", confirmed=False
    )
    attacker = _password_only(school_practitioner)

    response = attacker.post(reverse(SET_UP), {"code": _code(planted)})

    assert response.status_code == 302
    assert response.url == reverse(CODE)
    _assert_untouched(owner_device)
    planted.refresh_from_db()
    assert not planted.confirmed
    assert not _signed_in(attacker)
    assert _refusals(school_practitioner) == 1


@pytest.mark.parametrize("data", [{}, {"code": "12"}, {"code": "000000"}])
def test_any_post_to_the_set_up_page_is_refused_without_showing_a_key(school_practitioner, data):
    owner_device = totp_device_for(school_practitioner)
    TOTPDevice.objects.create(user=school_practitioner, name="Authenticator app", confirmed=False)
    attacker = _password_only(school_practitioner)

    response = attacker.post(reverse(SET_UP), data)

    assert response.status_code == 302
    assert response.url == reverse(CODE)
    _assert_untouched(owner_device)
    assert not _signed_in(attacker)
    assert _refusals(school_practitioner) == 1


def test_services_refuse_to_start_or_confirm_over_a_confirmed_device(school_practitioner, rf):
    owner_device = totp_device_for(school_practitioner)
    planted = TOTPDevice.objects.create(
        user=school_practitioner, name="Authenticator app", confirmed=False
    )
    request = rf.post("/")
    request.session = Client().session

    with pytest.raises(AuthenticatorAlreadySetUp):
        services.mfa_setup_start(user=school_practitioner)
    with pytest.raises(AuthenticatorAlreadySetUp):
        services.mfa_setup_confirm(request=request, user=school_practitioner, code=_code(planted))

    _assert_untouched(owner_device)
    assert TOTPDevice.objects.filter(pk=planted.pk, confirmed=False).exists()
    assert _refusals(school_practitioner) == 2


# Set-up while there is no confirmed device still works.


def test_a_device_left_from_an_abandoned_set_up_is_replaced(school_practitioner):
    abandoned = TOTPDevice.objects.create(
        user=school_practitioner, name="Authenticator app", confirmed=False
    )
    client = _password_only(school_practitioner)

    page = client.get(reverse(SET_UP))
    assert page.status_code == 200
    assert not TOTPDevice.objects.filter(pk=abandoned.pk).exists()
    response = client.post(reverse(SET_UP), {"code": _code_from_page(page.content.decode())})

    assert response.status_code == 302
    assert _signed_in(client)
    assert TOTPDevice.objects.filter(user=school_practitioner, confirmed=True).count() == 1


def test_a_wrong_code_keeps_the_same_key_on_screen(school_practitioner):
    client = _password_only(school_practitioner)
    first = client.get(reverse(SET_UP)).content.decode()

    again = client.post(reverse(SET_UP), {"code": "000000"})

    assert again.status_code == 200
    body = again.content.decode()
    assert "The code is not right" in body
    assert _code_from_page(body) == _code_from_page(first)


# The way back in after a lost phone: an administrator's reset, then set-up.


def test_admin_reset_is_audited_and_emails_the_user_after_commit(
    partnership_admin, school_practitioner, django_capture_on_commit_callbacks
):
    totp_device_for(school_practitioner)
    admin = signed_in_client(partnership_admin)
    url = reverse("accounts:user-reset-mfa", args=[school_practitioner.pk])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin.post(url)
    # Nothing is sent while the reset's transaction is open.
    assert response.status_code == 302
    assert mail.outbox == []
    for callback in callbacks:
        callback()

    assert not TOTPDevice.objects.filter(user=school_practitioner).exists()
    event = AuditEvent.objects.get(verb=Verb.MFA_RESET, target_id=str(school_practitioner.pk))
    assert event.actor == partnership_admin
    assert event.target_type == "user"
    assert event.outcome == Outcome.ALLOWED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [school_practitioner.email]
    assert "authenticator" in message.subject.lower()
    assert "Dear Priya Teacher" in message.body
    assert "Morgan Admin" in message.body
    assert re.search(r"\d{1,2} \w+ \d{4} at \d{2}:\d{2}", message.body)
    assert "contact your partnership administrator" in message.body


def test_admin_reset_service_sends_one_email_once_committed(
    partnership_admin, school_practitioner, django_capture_on_commit_callbacks
):
    totp_device_for(school_practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        services.user_mfa_reset(actor=partnership_admin, user=school_practitioner)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [school_practitioner.email]


def test_a_reset_user_can_set_up_a_new_authenticator(
    partnership_admin, school_practitioner, django_capture_on_commit_callbacks
):
    old_device = totp_device_for(school_practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        signed_in_client(partnership_admin).post(
            reverse("accounts:user-reset-mfa", args=[school_practitioner.pk])
        )
    assert not TOTPDevice.objects.filter(pk=old_device.pk).exists()

    response = Client().post(
        reverse("accounts:sign-in"), {"email": school_practitioner.email, "password": TEST_PASSWORD}
    )
    assert response.url == reverse(SET_UP)
    client = Client()
    client.post(
        reverse("accounts:sign-in"), {"email": school_practitioner.email, "password": TEST_PASSWORD}
    )
    page = client.get(reverse(SET_UP))
    assert page.status_code == 200
    client.post(reverse(SET_UP), {"code": _code_from_page(page.content.decode())})

    assert _signed_in(client)
    new_device = TOTPDevice.objects.get(user=school_practitioner, confirmed=True)
    assert new_device.key != old_device.key
    assert AuditEvent.objects.filter(
        actor=school_practitioner, verb=Verb.MFA_ENROLLED, outcome=Outcome.ALLOWED
    ).exists()
    assert _refusals(school_practitioner) == 0


def test_a_user_cannot_reset_someone_else_by_the_reset_page(school_practitioner, school_dsl):
    """The reset is an administrator's step: a practitioner is refused and nothing changes."""
    device = totp_device_for(school_dsl)
    client = signed_in_client(school_practitioner)
    response = client.post(reverse("accounts:user-reset-mfa", args=[school_dsl.pk]))
    assert response.status_code in (403, 404)
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    assert mail.outbox == []


# Demo mode: demo users without an authenticator may skip it; one with an authenticator may not.


def test_demo_mode_still_waives_set_up_for_a_demo_user_without_an_authenticator(settings, school):
    settings.CSEHUB_DEMO_MODE = True
    demo = UserFactory(agency=school, full_name="Casey Demo", is_demo=True)
    client = Client()
    response = client.post(
        reverse("accounts:sign-in"), {"email": demo.email, "password": TEST_PASSWORD}
    )
    assert response.url == reverse("accounts:home")
    assert _signed_in(client)


def test_demo_mode_does_not_open_the_set_up_page_over_a_confirmed_device(settings, school):
    settings.CSEHUB_DEMO_MODE = True
    demo = UserFactory(agency=school, full_name="Casey Demo", is_demo=True)
    owner_device = totp_device_for(demo)
    attacker = _password_only(demo)

    response = attacker.post(reverse(SET_UP), {"code": "123456"})

    assert response.url == reverse(CODE)
    _assert_untouched(owner_device)
    assert not _signed_in(attacker)
    assert _refusals(demo) == 1
