"""The MACE coordinator's journey in a real browser on a frozen clock, with axe on every page:
an agenda that surfaces a child through a new link, a VOLT record and an action, the overdue
action back on the next meeting's agenda, and a person put on the MACE list as that meeting's
decision."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from csehub.accounts.models import Role
from csehub.concerns import services as concern_services
from csehub.linking import services as linking_services
from csehub.linking.tests.helpers import report_import
from csehub.mace import services
from csehub.testing.browser import axe_check, expect_errors, sign_in
from csehub.testing.factories import ChildFactory, UserFactory, totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")


def _concern(actor, child, plate):
    concern = concern_services.concern_create(actor=actor, child=child)
    concern_services.concern_submit(
        actor=actor,
        concern=concern,
        answers=concern_services.ConcernAnswers(
            how_known="saw",
            what_was_seen="Seen getting into a car with an older man (fictional).",
            observed_on=dt.date(2026, 10, 30),
            involved=concern_services.Involved(vehicles=[{"plate": plate}]),
        ),
    )


def test_agenda_from_a_new_link_volt_action_the_overdue_action_returns_and_a_listing(
    page: Page, partnership, council, school_dsl, social_worker
):
    chair = UserFactory.create(agency=council, role=Role.MACE_COORDINATOR, full_name="Dan Chair")
    totp_device_for(chair)
    with time_machine.travel(dt.datetime(2026, 11, 1, 9, 0, tzinfo=LONDON), tick=True):
        services.panel_create(actor=chair, name="Testshire MACE panel")
        first = ChildFactory(created_by=school_dsl, given_name="Bea", family_name="Lowe")
        second = ChildFactory(created_by=school_dsl, given_name="Cal", family_name="Reed")
        _concern(school_dsl, first, "YX12 ABC")
        _concern(school_dsl, second, "YX12 ABC")  # a second child: the engine raises an alert

    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=LONDON), tick=True):
        sign_in(page, chair, check=False)
        page.get_by_role("link", name="MACE panel").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("MACE panel")
        axe_check(page)
        page.get_by_role("button", name="Set up a meeting").click()
        axe_check(page)
        page.get_by_role("button", name="Set up the meeting").click()
        expect_errors(page, "Choose a case meeting or a strategic meeting")
        axe_check(page)
        page.get_by_label("Case meeting").check()
        page.get_by_label("Date of the meeting").fill("02/11/2026")
        page.get_by_role("button", name="Set up the meeting").click()

        item = page.locator("li", has_text="Bea Lowe: new link through the vehicle")
        expect(item).to_contain_text("New link to a child")
        expect(
            page.locator("li", has_text="Cal Reed: new link through the vehicle")
        ).to_be_visible()
        axe_check(page)

        item.get_by_role("link", name="Record VOLT, decisions and minutes").click()
        page.get_by_label("Victim").fill("Bea, 14, and Cal, 15, both at Elmfield Academy")
        page.get_by_label("Offender").fill("The driver of YX12 ABC, not yet known")
        page.get_by_label("Location").fill("Outside the school gates")
        page.get_by_label("Theme").fill("Lift-giving to pupils after school")
        page.get_by_label("Decisions").fill("Police to identify the keeper; school safety plan.")
        axe_check(page)
        page.get_by_role("button", name="Save").click()
        item = page.locator("li", has_text="Bea Lowe: new link through the vehicle")
        expect(item).to_contain_text("Lift-giving to pupils after school")

        item.get_by_role("link", name="Agree an action").click()
        page.get_by_label("School safety plan").check()
        page.get_by_label("What will be done").fill("A safety plan for Bea with the school")
        page.get_by_label("Owner's email address").fill(social_worker.email)
        page.get_by_label("Due date").fill("20/11/2026")
        axe_check(page)
        page.get_by_role("button", name="Record the action").click()
        expect(page.get_by_text("The action has been recorded")).to_be_visible()
        expect(
            page.locator(".govuk-list--bullet li", has_text="A safety plan for Bea")
        ).to_contain_text("Open")

    with time_machine.travel(dt.datetime(2026, 12, 7, 10, 0, tzinfo=LONDON), tick=True):
        sign_in(page, chair, check=False)
        page.get_by_role("link", name="MACE panel").first.click()
        page.get_by_role("button", name="Set up a meeting").click()
        page.get_by_label("Case meeting").check()
        page.get_by_label("Date of the meeting").fill("07/12/2026")
        page.get_by_role("button", name="Set up the meeting").click()
        overdue = page.locator("li", has_text="Overdue: school safety plan, due 20/11/2026")
        expect(overdue).to_contain_text("Overdue action")
        expect(overdue).to_contain_text("Bea")  # back with the child it is about
        expect(page.get_by_text("new link through the vehicle")).to_have_count(0)  # not new now
        axe_check(page)
        overdue.get_by_role("button", name="Mark the action done").click()
        expect(page.get_by_text("The action is done")).to_be_visible()
        axe_check(page)

        # The panel agrees to list a person the CSE team has told it about, by reference.
        report_import(partnership, "A-1", persons=[{"ref": "p1", "name": "Kieran Voss"}])
        kieran = linking_services.entity_create(
            partnership_id=partnership.pk, entity_type="person", label="kieran voss"
        )
        linking_services.mentions_assign_by_engine(entity=kieran, mention_ids=["A-1/p1"])
        page.get_by_role("link", name="Record a MACE list decision about another person").click()
        page.get_by_role("button", name="Record the decision").click()
        expect_errors(
            page,
            "Enter the person's reference, like P-000042",
            "Choose whether the panel added the person to the MACE list or removed them",
        )
        axe_check(page)
        page.get_by_label("Reference of the person").fill(kieran.reference)
        page.get_by_label("Add to the MACE list").check()
        page.get_by_role("button", name="Record the decision").click()
        expect(
            page.get_by_text("is now on the MACE list, as a decision of this meeting")
        ).to_be_visible()
        expect(page.locator("#mace-list + ul")).to_contain_text(f"Listed: {kieran.reference}")
        axe_check(page)
        page.get_by_role("link", name="The MACE list", exact=True).click()
        expect(page.get_by_role("link", name="case meeting of 7 December 2026")).to_be_visible()
        axe_check(page)
