"""Signing in and out in a real browser, with an axe scan of every page on the way."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from csehub.accounts.models import User
from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.testing.browser import (
    axe_check,
    sign_in,
    sign_in_password,
    totp_code_from_secret,
)
from csehub.testing.factories import UserFactory, totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE_LABEL = "Enter the code from your authenticator app"


def test_password_then_code_lands_on_home(page: Page, school_practitioner):
    totp_device_for(school_practitioner)

    sign_in(page, school_practitioner)

    expect(page).to_have_title("Home - CSE Hub - Testshire Safeguarding Children Partnership")
    expect(page.get_by_role("banner")).to_contain_text(
        "Testshire Safeguarding Children Partnership"
    )
    axe_check(page)
    assert AuditEvent.objects.filter(
        actor=school_practitioner, verb=Verb.SIGNED_IN, outcome=Outcome.ALLOWED
    ).exists()


def test_first_sign_in_sets_up_an_authenticator(page: Page, school_dsl, settings):
    settings.CSEHUB_DEMO_MODE = False

    page.goto(reverse("accounts:sign-in"))
    sign_in_password(page, email=school_dsl.email)

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    axe_check(page)
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.get_by_test_id("totp-secret")
    expect(secret).to_be_visible()
    axe_check(page)
    page.get_by_label("Code from your authenticator app").fill(
        totp_code_from_secret(secret.inner_text())
    )
    page.get_by_role("button", name="Confirm and sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Dana Lead")
    axe_check(page)
    assert TOTPDevice.objects.filter(user=school_dsl, confirmed=True).count() == 1


def test_wrong_code_explains_what_to_do(page: Page, school_practitioner):
    totp_device_for(school_practitioner)
    page.goto(reverse("accounts:sign-in"))
    sign_in_password(page, email=school_practitioner.email)

    page.get_by_label(CODE_LABEL).fill("000000")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The code is not right or has expired")
    expect(page).to_have_title(re.compile(rf"^Error: {CODE_LABEL} - CSE Hub"))
    # A screen reader hears the hint and the error with the field, as GOV.UK markup intends.
    expect(page.get_by_label(CODE_LABEL)).to_have_accessible_description(
        re.compile(r"The 6-digit code shown in the app.*Error:\s+The code is not right")
    )
    axe_check(page)


def test_wrong_password_shows_the_error_summary(page: Page, school_practitioner):
    page.goto(reverse("accounts:sign-in"))
    sign_in_password(page, email=school_practitioner.email, password="not the right one at all")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct email address and password")
    # What the user typed is kept, apart from the password.
    expect(page.get_by_label("Email address")).to_have_value(school_practitioner.email)
    axe_check(page)

    page.get_by_label("Email address").fill("")
    page.get_by_role("button", name="Continue").click()
    expect(summary).to_contain_text("Enter your email address")
    expect(summary).to_contain_text("Enter your password")
    axe_check(page)


def test_five_wrong_passwords_pause_sign_in(page: Page, school_practitioner):
    totp_device_for(school_practitioner)
    page.goto(reverse("accounts:sign-in"))
    for _attempt in range(5):
        sign_in_password(page, email=school_practitioner.email, password="a wrong password again")
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Enter a correct email address and password"
        )

    # Even the right password is refused from here for now.
    sign_in_password(page, email=school_practitioner.email)

    expect(page.get_by_role("alert")).to_contain_text("Sign-in is paused")
    expect(page.get_by_label(CODE_LABEL)).to_have_count(0)
    axe_check(page)
    assert AuditEvent.objects.filter(verb=Verb.SIGN_IN_FAILED, outcome=Outcome.DENIED).count() == 5
    assert AuditEvent.objects.filter(verb=Verb.SIGN_IN_THROTTLED, outcome=Outcome.DENIED).exists()


def test_sign_out_ends_the_session(page: Page, school_practitioner):
    totp_device_for(school_practitioner)
    sign_in(page, school_practitioner, check=False)

    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    axe_check(page)
    page.goto(reverse("accounts:home"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to CSE Hub")


def test_a_page_outside_the_role_is_refused(page: Page, school_practitioner):
    totp_device_for(school_practitioner)
    sign_in(page, school_practitioner, check=False)

    response = page.goto(reverse("audit:search"))

    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
    axe_check(page)
    assert AuditEvent.objects.filter(
        actor=school_practitioner, verb=Verb.VIEWED, outcome=Outcome.DENIED
    ).exists()


def test_the_password_can_be_shown_while_typing(page: Page):
    page.goto(reverse("accounts:sign-in"))
    password = page.get_by_label("Password", exact=True)
    password.fill("a password to check")

    page.get_by_role("button", name="Show password").click()

    expect(password).to_have_attribute("type", "text")
    axe_check(page)


def test_demo_mode_says_on_every_page_that_the_authenticator_was_skipped(
    page: Page, school, settings
):
    settings.CSEHUB_DEMO_MODE = True
    demo_user = UserFactory(agency=school, full_name="Casey Demo", is_demo=True)
    assert isinstance(demo_user, User)

    page.goto(reverse("accounts:sign-in"))
    expect(page.get_by_role("region", name="Demo")).to_contain_text("fictional")
    axe_check(page)
    sign_in_password(page, email=demo_user.email)

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Casey Demo")
    expect(page.get_by_role("region", name="Demo")).to_contain_text("and you did")
    axe_check(page)
