"""The map of a network's places in a real browser, with an axe scan."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from csehub.testing.browser import axe_check, sign_in
from csehub.testing.factories import totp_device_for

from .test_map import places  # noqa: F401 - the fixture places

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_analyst_opens_the_map_from_the_network_and_reaches_a_place(
    page: Page,
    places,  # noqa: F811
    police_analyst,
):
    totp_device_for(police_analyst)
    sign_in(page, police_analyst, check=False)
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(("http://localhost", "http://127.0.0.1", "data:"))
            else None
        ),
    )

    page.goto(f"/linking/network/{places['amy'].reference}/")
    page.get_by_role("link", name="Map of the places in this network").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Map of the places in the network around {places['amy'].reference}"
    )
    table = page.locator('table[data-table="places"]')
    expect(table).to_contain_text("DN15 6NL")
    expect(table.locator(f'tr[data-node="E{places["fry"].pk}"]')).to_contain_text(
        "Not on the map: postcode not found"
    )
    expect(page.locator("svg.csehub-map")).to_be_visible()
    expect(page.get_by_text("Open Government Licence v3.0")).to_be_visible()
    axe_check(page)

    # Each drawn place is a link a keyboard can reach, named for a screen reader.
    bus = page.locator(f'svg a[data-node="E{places["bus"].pk}"]')
    bus.focus()
    expect(bus).to_be_focused()
    bus.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(places["bus"].reference)
    assert outside == []
