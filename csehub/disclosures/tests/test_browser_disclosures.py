"""Recording, signing and adding to a disclosure in a real browser, with an axe scan of each
page (the wrong-password state included)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from csehub.disclosures.models import Disclosure
from csehub.testing.browser import axe_check, expect_errors, fill_checked, sign_in
from csehub.testing.factories import TEST_PASSWORD, ChildFactory, totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHILDS_WORDS = (
    "He said I owe him now.\nHe took my phone and said I get it back if I go to his flat."
)


def test_a_disclosure_is_recorded_signed_and_added_to(page: Page, school_practitioner):
    child = ChildFactory.create(
        created_by=school_practitioner, given_name="Maya", family_name="Stone"
    )
    totp_device_for(school_practitioner)
    sign_in(page, school_practitioner, check=False)

    page.goto(f"/children/{child.pk}/")
    page.get_by_role("button", name="Record a disclosure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a disclosure")
    expect(page.get_by_text("Do not promise to keep it a secret")).to_be_visible()
    axe_check(page)

    page.get_by_label("Date the child told you").fill("20/11/2026")
    page.get_by_label("Time", exact=True).fill("10:15")
    page.get_by_label("Where the child told you").fill("The library office")
    page.get_by_label("Who else was there").fill("No one else.")
    page.get_by_label("What the child said, in their own words").fill(CHILDS_WORDS)
    fill_checked(
        page.get_by_label("What you said and did"),
        "I listened, said she was right to tell me and that I would tell Dana Lead.",
    )
    fill_checked(page.get_by_label("Who you have told"), "Dana Lead, at 10:40.")
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Sign the record").click()

    expect_errors(page, "The password is not right")
    expect(page.get_by_label("What the child said, in their own words")).to_have_value(CHILDS_WORDS)
    expect(page.get_by_label("Your password")).to_have_value("")
    axe_check(page)
    assert not Disclosure.objects.exists()

    page.get_by_label("Your password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign the record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Disclosure")
    expect(page.get_by_text("The disclosure has been signed")).to_be_visible()
    quotation = page.locator("blockquote")
    expect(quotation).to_contain_text("He said I owe him now.")
    expect(quotation).to_contain_text("He took my phone")
    axe_check(page)

    page.get_by_role("button", name="Add an addendum").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an addendum")
    axe_check(page)
    page.get_by_role("button", name="Add the addendum").click()  # empty
    expect_errors(page, "Write the addendum")
    axe_check(page)
    fill_checked(page.get_by_label("Addendum"), "The flat is above the takeaway on Mill Street.")
    page.get_by_role("button", name="Add the addendum").click()
    expect(page.get_by_text("The flat is above the takeaway on Mill Street.")).to_be_visible()
    expect(page.get_by_text(re.compile("Added by Priya Teacher"))).to_be_visible()
    expect(quotation).to_contain_text("He said I owe him now.")  # the original is unchanged
    axe_check(page)

    disclosure = Disclosure.objects.get()
    # Browsers send a textarea's line breaks as CRLF; the words themselves are kept as typed.
    assert disclosure.is_signed
    assert disclosure.childs_words.replace("\r\n", "\n") == CHILDS_WORDS
