"""The problem profile in a real browser: charts beside tables of the same figures, axe clean."""

from __future__ import annotations

from typing import cast

import pytest
from playwright.sync_api import Page, expect

from csehub.concerns.models import Concern, ConcernLocation
from csehub.testing.browser import axe_check, expect_errors, sign_in
from csehub.testing.factories import ChildFactory, ConcernFactory, totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_profile_renders_charts_and_tables(page: Page, partnership_admin, school_practitioner):
    for _ in range(6):
        ConcernLocation.objects.create(
            concern=cast(
                Concern,
                ConcernFactory(
                    raised_by=school_practitioner,
                    child=ChildFactory(created_by=school_practitioner),
                ),
            ),
            name="Bus station",
            postcode="DN15 6NL",
        )
    totp_device_for(partnership_admin)
    sign_in(page, partnership_admin, check=False)
    page.get_by_role("link", name="Problem profile").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Problem profile")
    chart = page.get_by_role("img", name="Chart of risk levels of the children concerned")
    expect(chart).to_be_visible()
    expect(page.get_by_role("table").filter(has_text="Latest level")).to_contain_text(
        "No risk assessment"
    )
    for name in ("concerns, referrals and intelligence over time", "when what was seen happened"):
        expect(page.get_by_role("img", name=f"Chart of {name}; the table")).to_be_visible()
    hotspots = page.get_by_role("group", name="Map of the places named most often")
    expect(hotspots).to_contain_text("DN15 6NL")
    axe_check(page)
    page.get_by_label("Last day").fill("not a date")
    page.get_by_role("button", name="Show the profile").click()
    expect_errors(page, "Enter the last day like 1/4/2026")
    axe_check(page)
