"""A partnership administrator adds an agency and a person in a real browser; the person accepts
the invitation and signs in for the first time. Every page gets an axe scan."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from csehub.accounts.models import Agency, Role, User
from csehub.testing.browser import axe_check, sign_in, sign_in_password, totp_code_from_secret
from csehub.testing.factories import totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "lantern orchard pebble 73"


def test_administrator_adds_an_agency_and_a_user_who_then_signs_in(
    page: Page, partnership_admin, mailoutbox, settings
):
    settings.CSEHUB_DEMO_MODE = False
    totp_device_for(partnership_admin)
    sign_in(page, partnership_admin, check=False)

    # The agency.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Agencies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agencies")
    axe_check(page)
    page.get_by_role("button", name="Add an agency").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an agency")
    axe_check(page)
    page.get_by_label("Type of agency").select_option(label="Youth service")
    page.get_by_role("button", name="Add agency").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Enter the agency's name")
    # What was chosen is kept.
    expect(page.get_by_label("Type of agency")).to_have_value("youth_service")
    axe_check(page)
    summary.get_by_role("link", name="Enter the agency's name").click()
    expect(page.get_by_label("Agency name")).to_be_focused()
    page.get_by_label("Agency name").fill("Millbrook Youth Project")
    page.get_by_role("button", name="Add agency").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Agencies")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Millbrook Youth Project has been added"
    )
    agency_row = page.get_by_role("row").filter(has_text="Millbrook Youth Project")
    expect(agency_row).to_contain_text("Youth service")
    expect(agency_row).to_contain_text("Active")
    axe_check(page)

    # The person, in that agency.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    axe_check(page)
    page.get_by_role("button", name="Add a user").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a user")
    axe_check(page)
    page.get_by_label("Full name").fill("Rowan Outreach")
    page.get_by_label("Email address").fill("not-an-email")
    page.get_by_label("Agency").select_option(label="Millbrook Youth Project")
    page.get_by_label("Role", exact=True).select_option(label="Practitioner")
    page.get_by_role("button", name="Add user and send invitation").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Enter an email address in the correct format"
    )
    expect(page.get_by_label("Full name")).to_have_value("Rowan Outreach")
    axe_check(page)
    page.get_by_label("Email address").fill("rowan.outreach@millbrook.test")
    page.get_by_role("button", name="Add user and send invitation").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Rowan Outreach has been added and an invitation sent to rowan.outreach@millbrook.test"
    )
    user_row = page.get_by_role("row").filter(has_text="Rowan Outreach")
    expect(user_row).to_contain_text("Millbrook Youth Project")
    expect(user_row).to_contain_text("Practitioner")
    expect(user_row).to_contain_text("Invited")
    axe_check(page)

    person = User.objects.get(email="rowan.outreach@millbrook.test")
    assert person.agency == Agency.objects.get(name="Millbrook Youth Project")
    assert person.role == Role.PRACTITIONER

    # The person opens the invitation, sets a password and signs in for the first time.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    assert [message.to for message in mailoutbox] == [["rowan.outreach@millbrook.test"]]
    link = re.search(r"https?://\S+/account/set-password/\S+", mailoutbox[0].body)
    assert link is not None
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set your password")
    axe_check(page)
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Confirm your password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to CSE Hub")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your password has been set")
    axe_check(page)
    sign_in_password(page, email="rowan.outreach@millbrook.test", password=NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Code from your authenticator app").fill(totp_code_from_secret(secret))
    page.get_by_role("button", name="Confirm and sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Rowan Outreach")
    expect(page.get_by_role("navigation", name="Menu")).not_to_contain_text("Users")
    axe_check(page)


def test_an_administrator_page_is_refused_to_other_roles(page: Page, school_dsl):
    totp_device_for(school_dsl)
    sign_in(page, school_dsl, check=False)
    expect(page.get_by_role("navigation", name="Menu")).not_to_contain_text("Agencies")

    response = page.goto(reverse("accounts:user-create"))

    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
    assert not page.get_by_label("Full name").count()


def test_administrator_change_pages_and_error_pages_pass_axe(
    page: Page, partnership_admin, school, school_dsl
):
    totp_device_for(partnership_admin)
    totp_device_for(school_dsl)
    sign_in(page, partnership_admin, check=False)

    page.goto(reverse("accounts:agency-edit", args=[school.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Elmfield Academy")
    expect(
        page.get_by_role("group", name="Status").get_by_label("Active", exact=True)
    ).to_be_checked()
    axe_check(page)

    page.goto(reverse("accounts:user-edit", args=[school_dsl.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dana Lead")
    axe_check(page)
    page.get_by_role("link", name="Reset authenticator for Dana Lead").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Reset the authenticator for Dana Lead?"
    )
    axe_check(page)

    response = page.goto(reverse("accounts:user-edit", args=[987654]))
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    axe_check(page)

    page.get_by_role("button", name="Sign out").click()
    page.goto(reverse("accounts:set-password", args=["MQ", "not-a-real-token"]))
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    axe_check(page)
