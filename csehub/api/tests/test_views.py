"""The token pages: a user makes and revokes their own tokens; admins add partner systems."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from csehub.accounts.models import Role, User
from csehub.api.models import ApiToken
from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.testing.clients import signed_in_client

pytestmark = pytest.mark.django_db


def test_a_user_creates_a_token_sees_it_once_and_it_works(school_practitioner):
    client = signed_in_client(school_practitioner)
    response = client.post(reverse("api:token-create"), {"name": "School MIS export", "days": "30"})
    body = response.content.decode()
    full = re.search(r"csehub_[0-9a-f]{10}_[A-Za-z0-9_\-]+", body).group(0)
    token = ApiToken.objects.get(user=school_practitioner)
    # Only a fingerprint is stored.
    assert full not in token.secret_hash and token.secret_hash not in full
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {full}").status_code == 200
    listing = client.get(reverse("api:tokens")).content.decode()
    assert "School MIS export" in listing
    assert full not in listing


def test_token_form_errors_are_specific_and_keep_the_answers(school_practitioner):
    client = signed_in_client(school_practitioner)
    body = client.post(reverse("api:token-create"), {"name": "Nightly sync", "days": "900"})
    text = body.content.decode()
    assert "A token can last at most 365 days" in text
    assert 'value="Nightly sync"' in text
    assert not ApiToken.objects.exists()


def test_revoking_a_token_stops_it_and_is_audited(school_practitioner):
    client = signed_in_client(school_practitioner)
    client.post(reverse("api:token-create"), {"name": "Old script", "days": "30"})
    token = ApiToken.objects.get()
    client.post(reverse("api:token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(
        verb=Verb.DEACTIVATED, target_type="api_token", target_id=str(token.pk)
    ).exists()


def test_nobody_revokes_another_users_token(school_practitioner, school_dsl):
    signed_in_client(school_dsl).post(reverse("api:token-create"), {"name": "DSL", "days": "5"})
    token = ApiToken.objects.get(user=school_dsl)
    response = signed_in_client(school_practitioner).post(
        reverse("api:token-revoke", args=[token.pk])
    )
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert AuditEvent.objects.filter(
        actor=school_practitioner, outcome=Outcome.DENIED, target_type="api_token"
    ).exists()


def test_an_administrator_adds_a_partner_system_that_can_never_sign_in(partnership_admin, police):
    client = signed_in_client(partnership_admin)
    response = client.post(
        reverse("api:partner-system-create"),
        {
            "name": "Police records bridge",
            "email": "bridge@police.test",
            "agency": police.pk,
            "role": Role.POLICE_REFERRAL_DESK,
        },
    )
    system = User.objects.get(email="bridge@police.test")
    assert system.is_system_account
    assert not system.has_usable_password()
    assert response.url == reverse("api:partner-system-token-create", args=[system.pk])
    client.post(response.url, {"name": "Production", "days": "365"})
    assert ApiToken.objects.filter(user=system).exists()
    refused = Client().post(
        reverse("accounts:sign-in"), {"email": "bridge@police.test", "password": "anything-at-all"}
    )
    assert "Enter a correct email address and password" in refused.content.decode()


def test_partner_system_email_must_be_new(partnership_admin, police, school_practitioner):
    response = signed_in_client(partnership_admin).post(
        reverse("api:partner-system-create"),
        {
            "name": "Clash",
            "email": school_practitioner.email,
            "agency": police.pk,
            "role": Role.POLICE_REFERRAL_DESK,
        },
    )
    assert "There is already an account with this email address" in response.content.decode()
