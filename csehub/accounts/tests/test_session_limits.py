"""Sessions end after 30 minutes idle, and 10 hours after sign-in however active."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from csehub.audit.models import AuditEvent, Verb
from csehub.testing.clients import signed_in_client

pytestmark = pytest.mark.django_db


def _home_status(client) -> int:
    return client.get(reverse("accounts:home")).status_code


def test_idle_for_over_thirty_minutes_ends_the_session(school_practitioner):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = signed_in_client(school_practitioner)
        traveller.shift(timedelta(minutes=29))
        assert _home_status(client) == 200
        # Each request moves the idle limit on.
        traveller.shift(timedelta(minutes=29))
        assert _home_status(client) == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get(reverse("accounts:home"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:sign-in"))


def test_ten_hours_after_sign_in_the_session_ends_even_if_active(school_practitioner):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = signed_in_client(school_practitioner)
        for _ in range(29):  # 9 hours 40 minutes of activity, a request every 20 minutes
            traveller.shift(timedelta(minutes=20))
            assert _home_status(client) == 200
        traveller.shift(timedelta(minutes=21))
        response = client.get(reverse("accounts:home"))
        assert response.status_code == 302
        assert response.url == reverse("accounts:sign-in")
        assert AuditEvent.objects.filter(
            actor=school_practitioner, verb=Verb.SESSION_EXPIRED
        ).exists()
        assert _home_status(client) == 302
