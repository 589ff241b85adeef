"""Repeated wrong passwords pause sign-in without letting an attacker lock a user out elsewhere."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "192.0.2.66"
ELSEWHERE = "10.9.9.9"
PAUSED = "Sign-in is paused"


def _sign_in(client: Client, email: str, password: str, ip: str):
    return client.post(
        reverse("accounts:sign-in"), {"email": email, "password": password}, REMOTE_ADDR=ip
    )


def test_five_wrong_passwords_pause_that_username_from_that_address_only(school_practitioner):
    client = Client()
    for _ in range(settings.CSEHUB_SIGNIN_FAILURES_PER_USERNAME_AND_IP):
        response = _sign_in(client, school_practitioner.email, "wrong password here", ATTACKER)
        assert response.status_code == 200
        assert PAUSED not in response.content.decode()

    # Even the right password is refused from that address now.
    response = _sign_in(client, school_practitioner.email, TEST_PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert PAUSED in response.content.decode()
    assert AuditEvent.objects.filter(verb=Verb.SIGN_IN_THROTTLED, outcome=Outcome.DENIED).exists()

    # The real user, from their own office, is not locked out.
    response = _sign_in(Client(), school_practitioner.email, TEST_PASSWORD, ELSEWHERE)
    assert response.status_code == 302
    assert response.url == reverse("accounts:mfa-setup")


def test_fifty_failures_across_usernames_pause_the_address(school_practitioner):
    client = Client()
    for n in range(settings.CSEHUB_SIGNIN_FAILURES_PER_IP):
        _sign_in(client, f"guess{n}@agency.test", "wrong password here", ATTACKER)

    response = _sign_in(client, school_practitioner.email, TEST_PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert PAUSED in response.content.decode()
    assert (
        _sign_in(Client(), school_practitioner.email, TEST_PASSWORD, ELSEWHERE).status_code == 302
    )


def test_fewer_failures_from_an_address_do_not_pause_it(school_practitioner):
    client = Client()
    for n in range(settings.CSEHUB_SIGNIN_FAILURES_PER_IP - 1):
        _sign_in(client, f"guess{n}@agency.test", "wrong password here", ATTACKER)
    assert _sign_in(client, school_practitioner.email, TEST_PASSWORD, ATTACKER).status_code == 302


def test_the_pause_ends_after_the_lockout_period(school_practitioner):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = Client()
        for _ in range(settings.CSEHUB_SIGNIN_FAILURES_PER_USERNAME_AND_IP):
            _sign_in(client, school_practitioner.email, "wrong password here", ATTACKER)
        assert (
            _sign_in(client, school_practitioner.email, TEST_PASSWORD, ATTACKER).status_code == 429
        )

        traveller.shift(timedelta(minutes=settings.CSEHUB_SIGNIN_LOCKOUT_MINUTES - 1))
        assert (
            _sign_in(client, school_practitioner.email, TEST_PASSWORD, ATTACKER).status_code == 429
        )

        traveller.shift(timedelta(minutes=2))
        response = _sign_in(client, school_practitioner.email, TEST_PASSWORD, ATTACKER)
        assert response.status_code == 302
        assert response.url == reverse("accounts:mfa-setup")
