"""Signing in with a password and an authenticator code, as a user would."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from csehub.accounts.services.agencies import agency_update
from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import TEST_PASSWORD, totp_device_for

pytestmark = pytest.mark.django_db


def _code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_password_then_code_signs_in_and_rotates_session(school_practitioner):
    device = totp_device_for(school_practitioner)
    client = Client()
    client.get(reverse("accounts:sign-in"))
    first_key = client.session.session_key

    response = client.post(
        reverse("accounts:sign-in"),
        {"email": school_practitioner.email.upper(), "password": TEST_PASSWORD},
    )
    assert response.url == reverse("accounts:sign-in-code")
    # The password alone does not open the service.
    assert client.get(reverse("accounts:home")).status_code == 302

    response = client.post(reverse("accounts:sign-in-code"), {"code": _code(device)})
    assert response.status_code == 302
    home = client.get(reverse("accounts:home"))
    assert home.status_code == 200
    assert "Welcome, Priya Teacher" in home.content.decode()
    assert client.session.session_key != first_key
    assert AuditEvent.objects.filter(
        actor=school_practitioner, verb=Verb.SIGNED_IN, outcome=Outcome.ALLOWED
    ).exists()


def test_wrong_code_is_refused_with_a_specific_message(school_practitioner):
    totp_device_for(school_practitioner)
    client = Client()
    client.post(
        reverse("accounts:sign-in"), {"email": school_practitioner.email, "password": TEST_PASSWORD}
    )
    response = client.post(reverse("accounts:sign-in-code"), {"code": "000000"})
    assert "The code is not right or has expired" in response.content.decode()
    assert AuditEvent.objects.filter(verb=Verb.MFA_FAILED, outcome=Outcome.DENIED).exists()
    assert client.get(reverse("accounts:home")).status_code == 302


def test_wrong_password_does_not_say_which_part_was_wrong(school_practitioner):
    client = Client()
    response = client.post(
        reverse("accounts:sign-in"),
        {"email": school_practitioner.email, "password": "nope-nope-nope"},
    )
    body = response.content.decode()
    assert "Enter a correct email address and password" in body
    unknown = client.post(
        reverse("accounts:sign-in"), {"email": "nobody@agency.test", "password": "nope-nope-nope"}
    )
    assert "Enter a correct email address and password" in unknown.content.decode()
    assert AuditEvent.objects.filter(verb=Verb.SIGN_IN_FAILED).count() == 2


def test_user_without_authenticator_must_set_one_up(school_practitioner):
    client = Client()
    response = client.post(
        reverse("accounts:sign-in"), {"email": school_practitioner.email, "password": TEST_PASSWORD}
    )
    assert response.url == reverse("accounts:mfa-setup")
    page = client.get(reverse("accounts:mfa-setup"))
    assert "<svg" in page.content.decode()
    device = school_practitioner.totpdevice_set.get(confirmed=False)
    response = client.post(reverse("accounts:mfa-setup"), {"code": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("accounts:home")).status_code == 200


def test_users_of_an_inactive_agency_cannot_sign_in_and_their_sessions_end(
    school_practitioner, partnership_admin
):
    open_session = signed_in_client(school_practitioner)
    assert open_session.get(reverse("accounts:home")).status_code == 200
    school = school_practitioner.agency
    agency_update(
        actor=partnership_admin,
        agency=school,
        name=school.name,
        agency_type=school.agency_type,
        is_active=False,
    )
    # The open session ends at the next click.
    assert open_session.get(reverse("accounts:home")).status_code == 302
    totp_device_for(school_practitioner)
    client = Client()
    response = client.post(
        reverse("accounts:sign-in"), {"email": school_practitioner.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200  # the sign-in page again, not the code step
    assert client.get(reverse("accounts:sign-in-code")).status_code == 302
    assert AuditEvent.objects.filter(
        verb=Verb.SIGN_IN_FAILED, target_id=str(school_practitioner.pk)
    ).exists()
