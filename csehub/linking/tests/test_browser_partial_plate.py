"""A partial plate in two children's concerns and a full plate in a report, in a real browser.

A school raises concerns about two children, each naming the same partial plate of a blue car
that waits at the gates; Children's Services share a report with the full plate. A police
analyst sees what the engine made of it: one vehicle holding the three mentions, an alert that
the car is linked to a second child, and the car among the hubs of the network. The analyst then
knows better (the report's car is another one), splits its mention off, and a batch `link run`
leaves it split without asking again. Every child, plate and report here is fictional.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from csehub.children.services import ChildDetails, child_create
from csehub.concerns import services as concerns
from csehub.intelligence.services import SharedItems, report_share
from csehub.testing.browser import axe_check, sign_in
from csehub.testing.factories import totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _concern_naming_a_car(practitioner, given_name: str, plate: str) -> str:
    """A submitted concern about a new child that names the car; returns the car's mention id."""
    child = child_create(
        actor=practitioner,
        details=ChildDetails(
            given_name=given_name, family_name="Testchild", date_of_birth=dt.date(2012, 3, 4)
        ),
    )
    concern = concerns.concern_create(actor=practitioner, child=child)
    concerns.concern_submit(
        actor=practitioner,
        concern=concern,
        answers=concerns.ConcernAnswers(
            how_known="saw",
            what_was_seen="Waited for by an older man in a blue car at the school gates.",
            observed_on=dt.date.today() - dt.timedelta(days=1),
            involved=concerns.Involved(vehicles=[{"plate": plate, "colour": "blue"}]),
        ),
    )
    return f"concern-{concern.pk}/v1"


def test_one_partial_plate_for_two_children_and_the_full_plate_are_one_car_until_split(
    page: Page, partnership, school_practitioner, social_worker, police_analyst
):
    first = _concern_naming_a_car(school_practitioner, "Amy", "YX1? ?BC")
    second = _concern_naming_a_car(school_practitioner, "Beth", "yx1??bc")
    report = report_share(
        actor=social_worker,
        text="A blue car, YX12 ABC, picks children up from the park after dark.",
        how_known="saw_it",
        observed_at=None,
        items=SharedItems(vehicles=[{"plate": "YX12 ABC", "colour": "Blue"}]),
    )
    full = f"{report.external_id}/v1"
    main = page.locator("main")
    heading = page.get_by_role("heading", level=1)
    totp_device_for(police_analyst)
    sign_in(page, police_analyst, check=False)

    # The alert: a vehicle linked to a second child.
    page.goto("/linking/alerts/")
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(2)  # the header and one alert
    alert = rows.nth(1)
    expect(alert).to_contain_text("Linked to 2 children")
    expect(alert).to_contain_text("YX12ABC")  # called by its full plate now that it is known
    to_car = alert.get_by_role("link", name=re.compile(r"^Vehicle V-\d+$"))
    car = to_car.inner_text().removeprefix("Vehicle ")
    axe_check(page)

    # The vehicle: the three mentions, each placed there by the engine.
    to_car.click()
    expect(heading).to_have_text(f"{car}: YX12ABC")
    mentions = page.get_by_role("table", name=re.compile("^Mentions believed to be this"))
    for mention_id in (first, second, full):
        expect(mentions).to_contain_text(mention_id)
    expect(mentions.get_by_role("button", name=re.compile("^Split off"))).to_have_count(3)
    axe_check(page)
    car_page = page.url

    # The network's hubs: the vehicle is linked to both children.
    page.get_by_role("link", name=f"See the network around {car}").click()
    page.get_by_role("link", name="Hubs, groups and hotspots across the partnership").click()
    expect(heading).to_have_text("Hubs, groups and hotspots in the network")
    hubs = page.get_by_role("table", name=re.compile("^People, vehicles, phones and online"))
    hub = hubs.get_by_role("row").filter(has_text=car)
    expect(hub).to_have_count(1)
    expect(hub.get_by_role("cell").first).to_have_text("2")
    expect(hub).to_contain_text("Amy Testchild", ignore_case=True)
    expect(hub).to_contain_text("Beth Testchild", ignore_case=True)
    expect(main).not_to_contain_text("Nothing is linked to two or more children.")
    axe_check(page)

    # The analyst knows the report's car is another one: its mention is split off.
    page.goto(car_page)
    page.get_by_role("button", name=f"Split off {full}").click()
    expect(main).to_contain_text("The mention now has an entity of its own.")
    expect(main).to_contain_text(full)
    expect(main).not_to_contain_text(first)
    axe_check(page)

    call_command("link", "run")

    # After the run the split stands: the car holds the two partial plates, not the report's.
    page.goto(car_page)
    expect(heading).to_contain_text(f"{car}: ")
    expect(mentions).to_contain_text(first)
    expect(mentions).to_contain_text(second)
    expect(mentions).not_to_contain_text(full)
    expect(main).to_contain_text("Split a mention off")
    axe_check(page)
    # Nor is the analyst asked again whether the report's car is this one.
    page.get_by_role("link", name="Possible links").first.click()
    expect(main).to_contain_text("There are no possible links to decide.")
