"""The queue of possible links in a real browser, with an axe scan of every page.

A police analyst opens the queue from the navigation, sees the group about a person on the MACE
list first, opens it, and confirms in one step that both later mentions are that person. Every
person and report here is fictional.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from csehub.linking import services
from csehub.linking.models import LinkSuggestion, MentionEntity, SuggestionStatus
from csehub.mace import services as mace_services
from csehub.testing.browser import axe_check, sign_in
from csehub.testing.factories import MeetingFactory, totp_device_for

from .helpers import possible_pair, report_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_analyst_confirms_a_group_in_one_step(page: Page, partnership, police_analyst):
    for report_id, name in [
        ("K-1", "Kieran Voss"),
        ("N-1", "Kieran Vos"),
        ("N-2", "Keiran Voss"),
        ("M-1", "Owen Tranter"),
        ("M-2", "Owen Trantor"),
    ]:
        report_import(partnership, report_id, persons=[{"ref": "p1", "name": name}])
    LinkSuggestion.objects.filter(status=SuggestionStatus.SUGGESTED).delete()
    kieran = services.entity_create(
        partnership_id=partnership.pk, entity_type="person", label="kieran voss"
    )
    services.mentions_assign_by_engine(entity=kieran, mention_ids=["K-1/p1"])
    mace_services.mace_listing_add(
        actor=police_analyst,
        entity=kieran,
        meeting=MeetingFactory.create(panel__partnership=partnership),
    )
    possible_pair("N-1/p1", "K-1/p1", 0.55)
    possible_pair("N-2/p1", "K-1/p1", 0.5, how="nickname")
    possible_pair("M-2/p1", "M-1/p1", 0.8)
    totp_device_for(police_analyst)
    sign_in(page, police_analyst, check=False)

    page.get_by_role("link", name="Possible links").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Possible links")
    expect(page.locator("#queue-count")).to_have_text(
        "There are 3 open possible links in 2 groups."
    )
    rows = page.get_by_role("table").get_by_role("row")
    # The person on the MACE list comes before the stronger pair with nothing at stake.
    expect(rows.nth(1)).to_contain_text(kieran.reference)
    expect(rows.nth(1)).to_contain_text("MACE list")
    expect(rows.nth(2)).to_contain_text("M-1/p1")
    axe_check(page)

    page.get_by_role("link", name=re.compile(rf"^{kieran.reference}\W+2 possible links")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{kieran.reference}: kieran voss")
    pairs = page.locator("#pairs")
    expect(pairs).to_contain_text("N-1/p1")
    expect(pairs).to_contain_text("N-2/p1")
    expect(pairs).to_contain_text("Same name allowing for nicknames and spellings")
    axe_check(page)

    page.get_by_role("button", name="These are all the same").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Possible links")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"2 links confirmed: the mentions are now one entity, {kieran.reference}."
    )
    expect(page.locator("#queue-count")).to_have_text("There is 1 open possible link in 1 group.")
    axe_check(page)
    assert set(
        MentionEntity.objects.filter(entity=kieran).values_list("mention_id", flat=True)
    ) == {"K-1/p1", "N-1/p1", "N-2/p1"}

    # The entity's page lists both decisions, each of which can be undone on its own.
    page.goto(f"/linking/entities/{kieran.pk}/")
    expect(page.locator("main")).to_contain_text("N-2/p1")
    expect(page.get_by_role("button", name="Undo confirmed a link")).to_have_count(2)
    axe_check(page)
