"""The network and its measures in a real browser, with an axe scan of each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from csehub.testing.browser import axe_check, sign_in
from csehub.testing.factories import totp_device_for

from .test_network import world  # noqa: F401 - the fixture network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _tab_to(page: Page, target: Locator, *, limit: int = 80) -> None:
    """Press Tab until the target has the focus, as a keyboard user would."""
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {target}")


def test_an_analyst_explores_the_network_and_its_measures(page: Page, world, police_analyst):  # noqa: F811
    totp_device_for(police_analyst)
    sign_in(page, police_analyst, check=False)

    page.goto(f"/linking/network/{world['amy'].reference}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(world["amy"].reference)
    expect(page.locator('table[data-table="nodes"]')).to_contain_text(world["danny"].reference)
    axe_check(page)

    # Step by step with the keyboard alone: Tab to the link, Enter to follow it.
    _tab_to(page, page.get_by_role("link", name="Show one more step"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"/linking/network/{world['amy'].reference}/?depth=2")
    expect(page.locator('table[data-table="nodes"]')).to_contain_text(world["beth"].reference)
    axe_check(page)
    _tab_to(page, page.get_by_role("link", name="Show one more step"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(world["amy"].reference)
    expect(page.get_by_role("link", name="Show one more step")).to_have_count(0)
    _tab_to(page, page.get_by_role("link", name="Show one step fewer"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"/linking/network/{world['amy'].reference}/?depth=2")
    # The downloads are links a keyboard reaches too.
    _tab_to(page, page.get_by_role("link", name="Picture (PNG)"))

    # The picture's nodes are links a keyboard can reach.
    node = page.locator(f'svg a[data-node="E{world["danny"].pk}"]')
    node.focus()
    expect(node).to_be_focused()
    node.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(world["danny"].reference)

    page.get_by_role("link", name="Hubs, groups and hotspots across the partnership").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Hubs, groups and hotspots in the network"
    )
    expect(page.get_by_role("main")).to_contain_text(world["danny"].reference)
    axe_check(page)
