"""Browsing the guidance in a real browser, with an axe scan of each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from csehub.taxonomy.services import taxonomy_load
from csehub.testing.browser import axe_check, sign_in
from csehub.testing.factories import totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_practitioner_browses_and_searches_the_guidance(page: Page, school_practitioner):
    taxonomy_load()
    totp_device_for(school_practitioner)
    sign_in(page, school_practitioner, check=False)

    page.get_by_role("link", name="Guidance").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Guidance")
    expect(
        page.get_by_text("Not seeing any warning signs never means a child is safe")
    ).to_be_visible()
    axe_check(page)

    page.get_by_label("Search the guidance").fill("partial plate")
    page.get_by_role("button", name="Search").click()
    expect(
        page.get_by_role("heading", name="1 result for \u2018partial plate\u2019")
    ).to_be_visible()
    axe_check(page)

    page.get_by_label("Search the guidance").fill("x" * 101)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Search terms must be 100 characters or fewer"
    )
    axe_check(page)

    page.get_by_role("link", name="Warning signs", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Warning signs")
    expect(page.get_by_role("heading", level=2, name="Sexual health and behaviour")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Picked up or dropped off in cars by unknown adults").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Picked up or dropped off in cars by unknown adults"
    )
    axe_check(page)

    page.get_by_role("link", name="Gangs, older age groups and involvement in crime").click()
    expect(page.get_by_role("heading", name="Includes")).to_be_visible()
    axe_check(page)

    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Guidance").click()
    page.get_by_role("link", name="Grooming behaviours").click()
    expect(page.get_by_role("heading", level=2, name="Targeting")).to_be_visible()
    axe_check(page)
