"""The live language guidance in a real browser: htmx under the page's Content-Security-Policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from csehub.testing.browser import axe_check, sign_in
from csehub.testing.factories import totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_guidance_appears_while_typing_and_goes_when_the_wording_changes(
    page: Page, school_practitioner
):
    totp_device_for(school_practitioner)
    sign_in(page, school_practitioner, check=False)

    page.get_by_role("link", name="Check your wording").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your wording")
    axe_check(page)

    region = page.locator(".app-language-check")
    page.get_by_label("Your wording").press_sequentially(
        "She is streetwise and keeps putting herself at risk.", delay=5
    )
    expect(region).to_contain_text("Check your wording: 2 phrases")
    expect(region).to_contain_text("\u2018putting herself at risk\u2019")
    expect(region).to_contain_text("is at risk of sexual exploitation")
    axe_check(page)  # also fails on any Content-Security-Policy violation

    page.get_by_label("Your wording").fill("She is at risk of sexual exploitation.")
    page.get_by_label("Your wording").press("End")
    page.get_by_label("Your wording").press_sequentially(" ", delay=5)
    expect(region).not_to_contain_text("Check your wording")
    # The codes shown earlier stay on the page, so saving can count them as accepted.
    expect(page.locator('input[name="text-language-shown"]')).to_have_value(
        "streetwise,putting_themselves_at_risk"
    )
    axe_check(page)
