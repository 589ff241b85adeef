"""An administrator adds, invites, changes and resets users of their own partnership."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from csehub.accounts.models import Role, User
from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import (
    TEST_PASSWORD,
    AgencyFactory,
    PartnershipFactory,
    UserFactory,
    totp_device_for,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum kettle orbit 7 lantern"


def _new_user_data(agency, **overrides):
    data = {
        "full_name": "Robin Newcombe",
        "email": "Robin.Newcombe@School.Test",
        "agency": agency.pk,
        "role": Role.SAFEGUARDING_LEAD,
        "team": "Pastoral",
        "job_title": "Designated safeguarding lead",
    }
    data.update(overrides)
    return data


def _edit_data(user, **overrides):
    data = {
        "full_name": user.full_name,
        "email": user.email,
        "agency": user.agency_id,
        "role": user.role,
        "team": user.team,
        "job_title": user.job_title,
        "is_active": "active" if user.is_active else "inactive",
    }
    data.update(overrides)
    return data


def _link_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/account/set-password/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_admin_adds_a_user_who_is_invited_and_sets_a_password(partnership_admin, school):
    admin = signed_in_client(partnership_admin)
    form = admin.get(reverse("accounts:user-create")).content.decode()
    for label in ("Full name", "Email address", "Agency", "Role"):
        assert f">{label}</label>" in form

    response = admin.post(reverse("accounts:user-create"), _new_user_data(school), follow=True)
    assert "Robin Newcombe has been added and an invitation sent to robin.newcombe@school.test" in (
        response.content.decode()
    )
    user = User.objects.get(email="robin.newcombe@school.test")
    assert (user.agency, user.role, user.team) == (school, Role.SAFEGUARDING_LEAD, "Pastoral")
    assert not user.has_usable_password()
    verbs = list(
        AuditEvent.objects.filter(target_type="user", target_id=str(user.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == [Verb.CREATED, Verb.INVITATION_SENT]

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["robin.newcombe@school.test"]
    link = _link_path(message)

    # The invited person, on their own browser.
    invited = Client()
    page = invited.get(link)
    assert page.status_code == 200
    assert "Set your password" in page.content.decode()

    response = invited.post(link, {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert response.url == reverse("accounts:sign-in")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(actor=user, verb=Verb.PASSWORD_SET).exists()
    assert "Your password has been set" in invited.get(response.url).content.decode()

    # Then they sign in and are asked to set up an authenticator.
    response = invited.post(
        reverse("accounts:sign-in"), {"email": user.email, "password": NEW_PASSWORD}
    )
    assert response.url == reverse("accounts:mfa-setup")

    # The link worked once only.
    used = invited.get(link)
    assert "This link no longer works" in used.content.decode()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1word", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(partnership_admin, school, password, message):
    signed_in_client(partnership_admin).post(
        reverse("accounts:user-create"), _new_user_data(school)
    )
    link = _link_path(mail.outbox[0])
    response = Client().post(link, {"new_password": password, "confirm_password": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.get(email="robin.newcombe@school.test").has_usable_password()
    assert not AuditEvent.objects.filter(verb=Verb.PASSWORD_SET).exists()


def test_passwords_that_differ_are_refused(partnership_admin, school):
    signed_in_client(partnership_admin).post(
        reverse("accounts:user-create"), _new_user_data(school)
    )
    link = _link_path(mail.outbox[0])
    response = Client().post(
        link, {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD + "x"}
    )
    assert "The passwords do not match" in response.content.decode()


def test_a_tampered_link_shows_a_clear_page(partnership_admin, school):
    signed_in_client(partnership_admin).post(
        reverse("accounts:user-create"), _new_user_data(school)
    )
    link = _link_path(mail.outbox[0])
    response = Client().get(link[:-3] + "xx/")
    assert response.status_code == 410
    assert "This link no longer works" in response.content.decode()
    response = Client().post(
        link[:-3] + "xx/", {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    )
    assert response.status_code == 410


def test_duplicate_email_in_any_case_is_refused_with_a_specific_message(
    partnership_admin, school, school_dsl
):
    client = signed_in_client(partnership_admin)
    response = client.post(
        reverse("accounts:user-create"), _new_user_data(school, email=school_dsl.email.upper())
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is already a user with this email address" in body
    assert "Robin Newcombe" in body  # what was typed is kept
    assert User.objects.filter(email__iexact=school_dsl.email).count() == 1
    assert mail.outbox == []


def test_an_agency_of_another_partnership_cannot_be_chosen(partnership_admin):
    other = PartnershipFactory(slug="elsewhere", name="Elsewhere Partnership")
    theirs = AgencyFactory(partnership=other, name="Elsewhere Police")
    client = signed_in_client(partnership_admin)
    assert "Elsewhere Police" not in client.get(reverse("accounts:user-create")).content.decode()
    response = client.post(reverse("accounts:user-create"), _new_user_data(theirs))
    assert "Select an agency from the list" in response.content.decode()
    assert not User.objects.filter(email="robin.newcombe@school.test").exists()


def test_list_filters_by_agency_and_role(
    partnership_admin, school, police, school_dsl, school_practitioner, police_analyst
):
    client = signed_in_client(partnership_admin)
    everyone = client.get(reverse("accounts:user-list")).content.decode()
    for name in ("Dana Lead", "Priya Teacher", "Alex Analyst", "Morgan Admin"):
        assert name in everyone

    by_agency = client.get(reverse("accounts:user-list"), {"agency": school.pk}).content.decode()
    assert "Dana Lead" in by_agency and "Priya Teacher" in by_agency
    assert "Alex Analyst" not in by_agency

    both = client.get(
        reverse("accounts:user-list"), {"agency": school.pk, "role": Role.SAFEGUARDING_LEAD}
    ).content.decode()
    assert "Dana Lead" in both
    assert "Priya Teacher" not in both


def test_edit_audits_field_names_and_deactivation_stops_sign_in(
    partnership_admin, school_practitioner
):
    client = signed_in_client(partnership_admin)
    url = reverse("accounts:user-edit", args=[school_practitioner.pk])
    response = client.post(
        url,
        _edit_data(
            school_practitioner,
            job_title="Head of year 9",
            role=Role.SAFEGUARDING_LEAD,
            is_active="inactive",
        ),
    )
    assert response.status_code == 302
    school_practitioner.refresh_from_db()
    assert school_practitioner.job_title == "Head of year 9"
    assert not school_practitioner.is_active
    updated = AuditEvent.objects.get(verb=Verb.UPDATED, target_type="user")
    assert updated.detail == {"fields": ["role", "job_title"]}
    assert AuditEvent.objects.filter(
        verb=Verb.DEACTIVATED, target_id=str(school_practitioner.pk)
    ).exists()

    response = Client().post(
        reverse("accounts:sign-in"), {"email": school_practitioner.email, "password": TEST_PASSWORD}
    )
    assert "Enter a correct email address and password" in response.content.decode()

    client.post(url, _edit_data(school_practitioner, is_active="active"))
    assert AuditEvent.objects.filter(
        verb=Verb.REACTIVATED, target_id=str(school_practitioner.pk)
    ).exists()


def test_changing_email_to_one_in_use_is_refused(
    partnership_admin, school_practitioner, school_dsl
):
    client = signed_in_client(partnership_admin)
    response = client.post(
        reverse("accounts:user-edit", args=[school_practitioner.pk]),
        _edit_data(school_practitioner, email=school_dsl.email),
    )
    assert "There is already a user with this email address" in response.content.decode()


def test_admin_cannot_deactivate_themselves(partnership_admin):
    client = signed_in_client(partnership_admin)
    url = reverse("accounts:user-edit", args=[partnership_admin.pk])
    assert "you cannot make it inactive" in client.get(url).content.decode()
    response = client.post(url, _edit_data(partnership_admin, is_active="inactive"))
    assert response.status_code == 200
    assert "You cannot make your own account inactive" in response.content.decode()
    partnership_admin.refresh_from_db()
    assert partnership_admin.is_active
    assert not AuditEvent.objects.filter(verb=Verb.DEACTIVATED).exists()


def test_reset_authenticator_asks_first_then_forces_enrolment(
    partnership_admin, school_practitioner
):
    totp_device_for(school_practitioner)
    client = signed_in_client(partnership_admin)
    url = reverse("accounts:user-reset-mfa", args=[school_practitioner.pk])
    confirm = client.get(url)
    assert "Reset the authenticator for Priya Teacher?" in confirm.content.decode()
    assert school_practitioner.totpdevice_set.exists()

    response = client.post(url)
    assert response.url == reverse("accounts:user-edit", args=[school_practitioner.pk])
    assert not school_practitioner.totpdevice_set.exists()
    assert AuditEvent.objects.filter(
        actor=partnership_admin, verb=Verb.MFA_RESET, target_id=str(school_practitioner.pk)
    ).exists()

    response = Client().post(
        reverse("accounts:sign-in"), {"email": school_practitioner.email, "password": TEST_PASSWORD}
    )
    assert response.url == reverse("accounts:mfa-setup")


def test_reset_authenticator_ends_a_session_that_used_it(partnership_admin, school_practitioner):
    theirs = signed_in_client(school_practitioner)
    assert theirs.get(reverse("accounts:home")).status_code == 200
    signed_in_client(partnership_admin).post(
        reverse("accounts:user-reset-mfa", args=[school_practitioner.pk])
    )
    assert theirs.get(reverse("accounts:home")).status_code == 302


def test_a_new_link_can_be_sent(partnership_admin, school_practitioner):
    client = signed_in_client(partnership_admin)
    response = client.post(
        reverse("accounts:user-send-password-link", args=[school_practitioner.pk])
    )
    assert response.status_code == 302
    assert mail.outbox[0].to == [school_practitioner.email]
    assert Client().get(_link_path(mail.outbox[0])).status_code == 200
    assert AuditEvent.objects.filter(
        verb=Verb.INVITATION_SENT, target_id=str(school_practitioner.pk)
    ).exists()


def test_admin_cannot_see_or_change_another_partnerships_user(partnership_admin):
    other = PartnershipFactory(slug="elsewhere", name="Elsewhere Partnership")
    theirs = UserFactory(agency=AgencyFactory(partnership=other), full_name="Casey Elsewhere")
    totp_device_for(theirs)
    client = signed_in_client(partnership_admin)

    assert "Casey Elsewhere" not in client.get(reverse("accounts:user-list")).content.decode()
    attempts = [
        client.get(reverse("accounts:user-edit", args=[theirs.pk])),
        client.post(
            reverse("accounts:user-edit", args=[theirs.pk]),
            _edit_data(theirs, is_active="inactive"),
        ),
        client.post(reverse("accounts:user-reset-mfa", args=[theirs.pk])),
        client.post(reverse("accounts:user-send-password-link", args=[theirs.pk])),
    ]
    assert [r.status_code for r in attempts] == [404, 404, 404, 404]
    theirs.refresh_from_db()
    assert theirs.is_active
    assert theirs.totpdevice_set.exists()
    assert mail.outbox == []
    assert (
        AuditEvent.objects.filter(
            actor=partnership_admin,
            target_type="user",
            target_id=str(theirs.pk),
            outcome=Outcome.DENIED,
        ).count()
        == 4
    )


@pytest.mark.parametrize(
    ("url_name", "with_pk"),
    [
        ("accounts:user-list", False),
        ("accounts:user-create", False),
        ("accounts:user-edit", True),
        ("accounts:user-reset-mfa", True),
    ],
)
def test_practitioner_is_refused_and_the_attempt_audited(
    school_practitioner, school_dsl, url_name, with_pk
):
    client = signed_in_client(school_practitioner)
    url = reverse(url_name, args=[school_dsl.pk] if with_pk else [])
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
    assert (
        AuditEvent.objects.filter(
            actor=school_practitioner,
            target_type="page",
            target_id=url_name,
            outcome=Outcome.DENIED,
        ).count()
        == 2
    )
