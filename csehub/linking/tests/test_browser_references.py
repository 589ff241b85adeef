"""Stable references in a real browser, with an axe scan of every page.

A police analyst has bookmarked a place's page (its reference is in the minutes of a MACE
meeting). A batch linking run does not move it. The analyst then learns that two places are one
site and merges them: the old reference now says where it went, its network opens the
survivor's, and undoing the merge brings it back. All places and reports are fictional.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from csehub.linking import services
from csehub.linking.models import MentionEntity
from csehub.testing.browser import axe_check, sign_in
from csehub.testing.factories import totp_device_for

from .helpers import report_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHELTER = {"ref": "l1", "name": "Test bus station shelter", "postcode": "DN15 6NL"}
DEPOT = {"ref": "l1", "name": "Old test bus depot", "postcode": "DN15 6BS"}


def test_a_bookmarked_place_survives_a_run_and_a_merged_one_says_where_it_went(
    page: Page, partnership, police_analyst
):
    for number, place in enumerate((SHELTER, SHELTER, DEPOT, DEPOT), start=1):
        report_import(partnership, f"R-{number}", locations=[place])
    shelter = MentionEntity.objects.get(mention_id="R-1/l1").entity
    depot = MentionEntity.objects.get(mention_id="R-3/l1").entity
    assert shelter != depot
    heading = page.get_by_role("heading", level=1)
    totp_device_for(police_analyst)
    sign_in(page, police_analyst, check=False)

    bookmark = f"/linking/entities/{depot.pk}/"
    page.goto(bookmark)
    expect(heading).to_contain_text(f"{depot.reference}: ")
    axe_check(page)

    services.links_run(partnership=partnership)

    # The bookmark opens the same place, with the same mentions, after the run.
    page.goto(bookmark)
    expect(heading).to_contain_text(f"{depot.reference}: ")
    expect(page.locator("main")).to_contain_text("R-3/l1")
    expect(page.locator("main")).to_contain_text("R-4/l1")

    # The two are one site: the analyst merges the depot into the shelter.
    page.goto(f"/linking/entities/{shelter.pk}/")
    page.get_by_label("Reference of the entity to merge into this one").fill(depot.reference)
    page.get_by_role("button", name="Merge").click()
    expect(page.locator("main")).to_contain_text(
        f"{depot.reference} has been merged into this entity."
    )
    expect(page.locator("main")).to_contain_text("R-4/l1")
    axe_check(page)

    # The old reference says where it went, and leads there.
    page.goto(bookmark)
    expect(heading).to_have_text(f"{depot.reference} was merged into {shelter.reference}")
    axe_check(page)
    page.get_by_role("link", name=re.compile(f"^Go to {shelter.reference}")).click()
    expect(heading).to_contain_text(f"{shelter.reference}: ")

    # Its network opens the survivor's.
    page.goto(f"/linking/network/{depot.reference}/?depth=2")
    expect(page).to_have_url(re.compile(f"/linking/network/{shelter.reference}/\\?depth=2$"))
    expect(heading).to_contain_text(f"Network around {shelter.reference}")
    axe_check(page)

    # Undone from the old reference's own page, the merge is gone and the reference is live.
    page.goto(bookmark)
    page.get_by_role("button", name=re.compile("^Undo merged two entities")).click()
    expect(page.locator("main")).to_contain_text("The decision has been undone.")
    expect(heading).to_contain_text(f"{depot.reference}: ")
    expect(page.locator("main")).to_contain_text("R-3/l1")
    axe_check(page)
