"""The pledge beyond taking it: a colleague follows their invitation, and the partnership
administrator reads the counts. Each page gets an axe scan (taking the pledge and inviting
colleagues are in test_browser_briefing.py)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Browser, expect

from csehub.learning.services.pledge import pledge_invitations_send, pledge_take
from csehub.testing.browser import axe_check, open_page, sign_in
from csehub.testing.factories import totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_invited_colleague_accepts_and_the_administrator_sees_the_counts(
    browser: Browser, live_server, school_practitioner, school_dsl, partnership_admin
):
    # Before anyone pledges, the report says so.
    admin = open_page(browser, live_server.url)
    totp_device_for(partnership_admin)
    sign_in(admin, partnership_admin, check=False)
    admin.goto("/learning/pledge/")
    admin.get_by_role("link", name="See how many people in the partnership have taken").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("The pledge: how many have taken it")
    expect(admin.get_by_role("table", name="By agency")).to_contain_text(
        "Nobody has taken the pledge or sent an invitation yet."
    )
    axe_check(admin)

    pledge_take(actor=school_practitioner)
    pledge_invitations_send(
        actor=school_practitioner, emails=[school_dsl.email, "kit.moss@agency.test"]
    )
    (message,) = [m for m in mail.outbox if m.to == [school_dsl.email]]
    link = re.search(r"https?://\S+(/learning/pledge/take/\S+/)", str(message.body))
    assert link is not None

    colleague = open_page(browser, live_server.url)
    totp_device_for(school_dsl)
    sign_in(colleague, school_dsl, check=False)
    # The email's public page offers colleagues with an account the signed-in course.
    colleague.goto(link.group(1))
    colleague.get_by_role("link", name="sign in").click()
    expect(colleague.get_by_role("heading", level=1)).to_have_text("Training")
    expect(colleague.get_by_role("main")).to_contain_text(
        f"{school_practitioner.full_name} invited you to take the pledge"
    )
    axe_check(colleague)
    colleague.context.close()

    admin.reload()
    summary = admin.locator(".govuk-summary-list")
    expect(
        summary.locator(".govuk-summary-list__row", has_text="People who have taken the pledge")
    ).to_contain_text("1")
    expect(
        summary.locator(".govuk-summary-list__row", has_text="Invitations sent")
    ).to_contain_text("2")
    expect(
        summary.locator(".govuk-summary-list__row", has_text="Invitations accepted")
    ).to_contain_text("1")
    agencies = admin.get_by_role("table", name="By agency")
    expect(agencies.get_by_role("rowheader", name="Elmfield Academy")).to_be_visible()
    expect(admin.get_by_role("main")).not_to_contain_text(school_practitioner.full_name)
    axe_check(admin)
    admin.context.close()


def test_a_taxi_driver_without_an_account_takes_the_pledge_and_starts_the_course(
    browser: Browser, live_server, school_practitioner, tmp_path
):
    from .workbook_setup import workbook_load

    workbook_load(tmp_path)
    pledge_invitations_send(actor=school_practitioner, emails=["cab.driver@taxis.example"])
    (message,) = mail.outbox
    link = re.search(r"https?://\S+(/learning/pledge/take/\S+/)", str(message.body))
    assert link is not None

    visitor = open_page(browser, live_server.url)  # never signs in
    visitor.goto(link.group(1))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Take the pledge on child sexual exploitation"
    )
    expect(visitor.get_by_role("main")).to_contain_text(school_practitioner.full_name)
    axe_check(visitor)
    visitor.get_by_role("button", name="Take the pledge").click()
    expect(visitor.get_by_role("alert")).to_contain_text("Tick the box to take the pledge")
    axe_check(visitor)
    visitor.get_by_label("I pledge my support to zero tolerance of CSE").check()
    visitor.get_by_role("button", name="Take the pledge").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Thank you for taking the pledge")
    axe_check(visitor)
    visitor.get_by_role("link", name="Start the course").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "What child sexual exploitation is"
    )
    axe_check(visitor)
    visitor.get_by_role("link", name=re.compile("^Next")).click()
    expect(visitor.get_by_role("main")).to_contain_text("section 2 of")
    axe_check(visitor)
    visitor.context.close()


def test_the_guidance_pages_list_the_seeds_references(
    browser: Browser, live_server, school_practitioner
):
    page = open_page(browser, live_server.url)
    totp_device_for(school_practitioner)
    sign_in(page, school_practitioner, check=False)
    page.goto("/guidance/")
    references = page.get_by_role("heading", name="References and further reading")
    expect(references).to_be_visible()
    expect(page.get_by_test_id("references-online_safety")).to_contain_text("NSPCC Share Aware")
    expect(page.get_by_role("link", name="ThinkUKnow")).to_have_attribute(
        "href", "https://www.thinkuknow.co.uk/"
    )
    axe_check(page)
    page.context.close()
