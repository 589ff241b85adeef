"""The Pathway page and who to call at a chosen moment, in a real browser with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from csehub.pathways.services import pathway_load
from csehub.testing.browser import axe_check, sign_in
from csehub.testing.factories import totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_whole_pathway_and_who_to_call_on_friday_at_a_quarter_to_five(
    page: Page, fernbridge_practitioner
):
    pathway_load()
    totp_device_for(fernbridge_practitioner)
    sign_in(page, fernbridge_practitioner, check=False)

    page.get_by_role("link", name="Pathway", exact=True).first.click()
    tree = page.locator(".app-pathway-tree")
    first_question = tree.get_by_text("Is the child in immediate danger?").first
    # The service's typeface at the body size, as every other question on the page.
    font = first_question.evaluate("e => getComputedStyle(e).fontFamily")
    assert "serif" not in font.replace("sans-serif", "")
    assert first_question.evaluate("e => getComputedStyle(e).fontSize") != "16px"
    expect(tree).to_contain_text("If “I do not know”:")
    expect(page.locator("#differs-from-seed")).to_contain_text("Fernbridge sends the referral")
    axe_check(page)

    page.get_by_role("link", name="Contact directory and who to call now").click()
    expect(page.get_by_role("heading", name="Who to call now", exact=True)).to_be_visible()
    page.get_by_label("Partnership directory").select_option(
        label="Fernbridge Safeguarding Children Partnership"
    )
    page.get_by_label("Date").fill("27/11/2026")
    page.get_by_label("Time").fill("16:45")
    page.get_by_role("button", name="Show who to call").click()
    banner = page.get_by_role("region", name="Who to call at 16:45 on Friday 27 November 2026")
    expect(banner).to_contain_text("Call 01632 960999")
    expect(banner).to_contain_text("closes at 16:30 on Fridays")
    axe_check(page)

    page.get_by_label("Time").fill("")
    page.get_by_role("button", name="Show who to call").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter both a date and a time")
    axe_check(page)
