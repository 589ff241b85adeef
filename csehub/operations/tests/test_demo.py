"""`csehub demo` loads the fictional partnership, says how to sign in, and never doubles data."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from csehub.accounts.models import Agency, Partnership, Role, User
from csehub.operations.demo import DEMO_PASSWORD, USERS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_database")]


def _load() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_has_a_user_for_every_role_and_prints_how_to_sign_in():
    output = _load()
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert DEMO_PASSWORD in output
    # One sign-in per role is printed; other demo people (learners and so on) need not be.
    for spec in USERS:
        assert spec.email in output
    assert all(User.objects.values_list("is_demo", flat=True))


def test_running_demo_twice_doubles_nothing():
    _load()
    counts = (Partnership.objects.count(), Agency.objects.count(), User.objects.count())
    admin_pk = User.objects.get(role=Role.PARTNERSHIP_ADMIN).pk
    _load()
    assert (Partnership.objects.count(), Agency.objects.count(), User.objects.count()) == counts
    assert User.objects.get(role=Role.PARTNERSHIP_ADMIN).pk == admin_pk


def test_demo_restores_a_changed_demo_password(settings):
    _load()
    admin = User.objects.get(role=Role.PARTNERSHIP_ADMIN)
    admin.set_password("somebody changed this one")
    admin.save()
    _load()
    admin.refresh_from_db()
    assert admin.check_password(DEMO_PASSWORD)


def test_in_demo_mode_a_demo_user_signs_in_without_an_authenticator_and_is_told(settings):
    settings.CSEHUB_DEMO_MODE = True
    _load()
    client = Client()
    response = client.post(
        reverse("accounts:sign-in"),
        {"email": "admin@fernbridge.example", "password": DEMO_PASSWORD},
        follow=True,
    )
    body = response.content.decode()
    assert "Welcome, " in body
    assert "without an authenticator app, and you did" in body


def test_outside_demo_mode_a_demo_user_must_still_set_up_an_authenticator(settings):
    _load()
    settings.CSEHUB_DEMO_MODE = False
    response = Client().post(
        reverse("accounts:sign-in"),
        {"email": "admin@fernbridge.example", "password": DEMO_PASSWORD},
    )
    assert response.url == reverse("accounts:mfa-setup")
