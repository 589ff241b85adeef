"""Sharing intelligence in a real browser, with an axe scan of every page and error on the way.

A youth worker shares one observation with the quick form, then a fuller account with the full
form, where details found in the text are offered (as they type, and again with the button that
works without JavaScript). A police analyst grades it in the triage inbox and sends a message,
which the youth worker then reads under "Shared intelligence".
"""

from __future__ import annotations

import re
from typing import cast

import pytest
from playwright.sync_api import Locator, Page, Response, expect

from csehub.accounts.models import AgencyType, Role, User
from csehub.intelligence.models import IntelligenceReport
from csehub.testing.browser import axe_check, open_page, sign_in
from csehub.testing.factories import AgencyFactory, UserFactory, totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = (
    "a silver Audi, plate starting YX1, picked her up outside the takeaway, they call him "
    "Danny D, his number is 07700 900123"
)


@pytest.fixture
def youth_worker(partnership) -> User:
    youth = AgencyFactory(
        partnership=partnership,
        name="Testshire Youth Service",
        agency_type=AgencyType.YOUTH_SERVICE,
    )
    worker = cast(User, UserFactory(agency=youth, role=Role.PRACTITIONER, full_name="Yan Worker"))
    totp_device_for(worker)
    return worker


def _heading(page: Page, text: str | re.Pattern[str]) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def _is_find_details(response: Response) -> bool:
    return response.url.endswith("/intelligence/share/find-details/")


def _type_text_and_tab(field: Locator, text: str) -> None:
    """Type the account, wait until the details found in it are on screen (as a person would
    before moving on), and Tab out of it. Both suggestion requests (after the pause in typing,
    and on leaving the field) are waited for, so none is in flight when a button submits.

    A response arrives before htmx puts it on the page: a Tab pressed in between lands on the
    button after the (still empty) list instead of the list's first Add button."""
    page = field.page
    with page.expect_response(_is_find_details):
        field.fill(text)
    expect(page.get_by_role("table", name="Details found in the text")).to_be_visible()
    with page.expect_response(_is_find_details):
        page.keyboard.press("Tab")


def test_a_youth_worker_shares_and_reads_the_analysts_response(
    browser, live_server, youth_worker, police_analyst
):
    worker = open_page(browser, live_server.url)
    sign_in(worker, youth_worker, check=False)

    # The quick form: one observation.
    worker.get_by_role("link", name="Shared intelligence").first.click()
    _heading(worker, "Shared intelligence")
    expect(worker.get_by_text("Nothing shared yet.")).to_be_visible()
    axe_check(worker)
    worker.get_by_role("button", name="Share a single observation").click()
    _heading(worker, "Share a single observation")
    axe_check(worker)
    worker.get_by_role("button", name="Share with the police").click()
    expect(worker.get_by_role("alert")).to_contain_text("Say what you saw, heard or were told")
    expect(worker.get_by_role("alert")).to_contain_text("Select how you know this")
    axe_check(worker)
    worker.get_by_label("What did you see, hear or get told?").fill(
        "The same grey van waits near the youth club most Friday evenings"
    )
    worker.get_by_label("I saw or heard it myself").check()
    worker.get_by_role("button", name="Share with the police").click()
    _heading(worker, "Intelligence shared")
    quick = IntelligenceReport.objects.get()
    expect(worker.locator(".govuk-panel")).to_contain_text(quick.reference)
    axe_check(worker)

    # The full form: the details found in the text are offered as it is typed (htmx).
    worker.get_by_role("link", name="Share something else").click()
    worker.get_by_role("link", name="Use the full form").click()
    _heading(worker, "Share intelligence")
    axe_check(worker)
    _type_text_and_tab(worker.get_by_label("What did you see, hear or get told?"), TEXT)
    found = worker.get_by_role("table", name="Details found in the text")
    expect(found).to_contain_text("YX1*")
    # Leaving the text box refreshes the list; the keyboard stays on the button Tab reached.
    expect(worker.get_by_role("button", name="Add registration plate YX1*")).to_be_focused()
    expect(found).to_contain_text("Danny D")
    expect(found).to_contain_text("07700 900123")
    axe_check(worker)

    # The same suggestions from the button that works without JavaScript.
    worker.get_by_role("button", name="Find details in the text", exact=True).click()
    expect(worker.get_by_label("What did you see, hear or get told?")).to_have_value(TEXT)
    expect(found).to_contain_text("YX1*")
    axe_check(worker)

    worker.get_by_role("button", name="Add registration plate YX1*").click()
    expect(worker.get_by_role("status")).to_have_text("Added registration plate YX1*.")
    expect(worker.get_by_role("status")).to_be_focused()
    vehicle = worker.get_by_role("group", name="Vehicle 1")
    expect(vehicle.get_by_label("Registration plate (optional)")).to_have_value("YX1*")
    expect(found).not_to_contain_text("YX1*")
    axe_check(worker)

    # Adding a row by hand puts the cursor in it; removing it takes it away again.
    worker.get_by_role("button", name="Add a person").click()
    person = worker.get_by_role("group", name="Person 1")
    expect(person.get_by_label("Name (optional)")).to_be_focused()
    axe_check(worker)
    worker.get_by_role("button", name="Remove person 1").click()
    expect(person).to_have_count(0)
    expect(worker.get_by_role("button", name="Add a person")).to_be_focused()
    worker.get_by_label("Colour (optional)").fill("Silver")
    worker.get_by_label("Make and model (optional)").fill("Audi")
    worker.get_by_role("button", name="Add phone number 07700 900123").click()
    expect(worker.get_by_role("status")).to_have_text("Added phone number 07700 900123.")
    expect(worker.get_by_label("Colour (optional)")).to_have_value("Silver")
    axe_check(worker)

    # Errors in the form and in a detail row are listed together, and nothing typed is lost.
    worker.get_by_label("Registration plate (optional)").fill("YX1!")
    worker.get_by_role("button", name="Share with the police").click()
    alert = worker.get_by_role("alert")
    expect(alert).to_contain_text("Select how you know this")
    expect(alert).to_contain_text("Vehicle 1: A plate can only have letters, numbers")
    expect(worker.get_by_label("Registration plate (optional)")).to_have_value("YX1!")
    axe_check(worker)
    worker.get_by_label("Registration plate (optional)").fill("YX1*")
    worker.get_by_label("Someone told me").check()

    # A suggestion not yet added or ignored is pointed out before sharing.
    worker.get_by_role("button", name="Share with the police").click()
    expect(
        worker.get_by_text("Some details found in your text have not been added")
    ).to_be_visible()
    axe_check(worker)
    worker.get_by_role("button", name="Ignore nickname Danny D").click()
    expect(worker.get_by_role("status")).to_have_text("Ignored nickname Danny D.")
    expect(worker.get_by_text("No more details to suggest from your text")).to_be_visible()
    axe_check(worker)
    worker.get_by_role("button", name="Share with the police").click()
    _heading(worker, "Intelligence shared")
    full = IntelligenceReport.objects.exclude(pk=quick.pk).get()
    expect(worker.locator(".govuk-panel")).to_contain_text(full.reference)
    assert [v.plate for v in full.vehicles.all()] == ["YX1*"]
    assert full.phones.count() == 1
    assert not full.persons.exists()
    axe_check(worker)

    # The analyst grades it in the triage inbox.
    analyst = open_page(browser, live_server.url)
    totp_device_for(police_analyst)
    sign_in(analyst, police_analyst, check=False)
    analyst.get_by_role("link", name="Intelligence inbox").first.click()
    _heading(analyst, "Intelligence inbox")
    expect(analyst.get_by_role("table", name="2 reports")).to_contain_text(full.reference)
    axe_check(analyst)
    analyst.get_by_label("Agency").select_option(label="Testshire Youth Service")
    analyst.get_by_role("button", name="Apply filters").click()
    expect(analyst.get_by_role("table", name="2 reports")).to_contain_text(quick.reference)
    axe_check(analyst)
    analyst.get_by_role("link", name=full.reference).click()
    _heading(analyst, f"Grade {full.reference}")
    expect(analyst.get_by_role("main")).to_contain_text("YX1* (partial plate): Silver Audi")
    axe_check(analyst)

    analyst.get_by_role("button", name="Save grading and send message").click()
    alert = analyst.get_by_role("alert")
    expect(alert).to_contain_text("Select the source evaluation")
    expect(alert).to_contain_text("Select the intelligence assessment")
    expect(alert).to_contain_text("Select the handling code")
    expect(alert).to_contain_text("Select what has happened as a result")
    expect(alert).to_contain_text("Write a short message to the person who shared it")
    axe_check(analyst)

    analyst.get_by_label("2: Untested").check()
    analyst.get_by_label("B: Known to the source, not to the officer").check()
    analyst.get_by_label("P: Sharing permitted", exact=True).check()
    analyst.get_by_label("A police intelligence record was created").check()
    analyst.get_by_label("Reference (needed when an intelligence record was created)").fill(
        "TS-INT-0042"
    )
    analyst.get_by_label("Message to the person who shared it").fill(
        "Thank you. This has been recorded and linked to other reports about the same car."
    )
    analyst.get_by_role("button", name="Save grading and send message").click()
    expect(analyst.get_by_role("alert")).to_contain_text("Grading saved")
    _heading(analyst, f"Correct the grading of {full.reference}")
    expect(analyst.get_by_role("table", name="Gradings, latest first")).to_contain_text("2 B P")
    axe_check(analyst)
    analyst.context.close()

    # The youth worker reads what became of it.
    worker.get_by_role("link", name="Shared intelligence").first.click()
    table = worker.get_by_role("table", name="Shared, newest first")
    expect(table).to_contain_text("A police intelligence record was created: Thank you.")
    expect(table.get_by_role("row").filter(has_text=full.reference)).to_contain_text("New")
    axe_check(worker)
    worker.get_by_role("link", name=full.reference).click()
    _heading(worker, f"Intelligence {full.reference}")
    expect(worker.get_by_role("main")).to_contain_text("linked to other reports about the same car")
    axe_check(worker)
    worker.context.close()
