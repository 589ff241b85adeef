"""A manager presents the briefing from the keyboard with the audience view following in a
second tab, then records who attended. axe scans every page on the way."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from csehub.learning.models import TrainingRecord
from csehub.testing.browser import axe_check, sign_in
from csehub.testing.factories import UserFactory, totp_device_for

from .briefing_setup import briefing_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def briefing(db, tmp_path):
    return briefing_load(tmp_path)


def test_a_manager_presents_the_briefing_and_records_attendance(
    page: Page, briefing, school_dsl, school_practitioner
):
    UserFactory(agency=school_dsl.agency, full_name="Casey Colleague")
    totp_device_for(school_dsl)
    sign_in(page, school_dsl, check=False)

    page.goto("/learning/briefings/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Briefings")
    axe_check(page)
    page.get_by_role("link", name=re.compile("^Start presenting")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Presenter view")
    expect(
        page.get_by_role("heading", level=2, name=briefing.sections.first().title)
    ).to_be_visible()
    axe_check(page)

    # The audience view in a second tab of the same browser.
    audience = page.context.new_page()
    audience.goto(page.url.replace("/slides/1/", "/slides/1/audience/"))
    expect(audience.get_by_role("button", name="Full screen")).to_be_visible()
    axe_check(audience)

    page.bring_to_front()
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"/slides/2/$"))
    expect(
        page.get_by_role("heading", level=2, name="What child sexual exploitation is")
    ).to_be_visible()
    expect(page.get_by_text("legally consent to sex, which is 16")).to_be_visible()
    expect(page.locator("[data-app-announcer]")).to_have_text(
        re.compile(r"^Slide 2 of \d+: What child sexual exploitation is$")
    )
    # The audience follows, and never shows the notes.
    expect(
        audience.get_by_role("heading", level=2, name="What child sexual exploitation is")
    ).to_be_visible()
    expect(audience).to_have_url(re.compile(r"/slides/2/audience/$"))
    expect(audience.get_by_text("legally consent to sex, which is 16")).to_have_count(0)
    axe_check(page)
    axe_check(audience)

    page.keyboard.press("End")
    last = briefing.sections.order_by("-position").first().title
    expect(audience.get_by_role("heading", level=2, name=last)).to_be_visible()
    page.keyboard.press("PageUp")
    page.keyboard.press("Home")
    expect(
        audience.get_by_role("heading", level=2, name=briefing.sections.first().title)
    ).to_be_visible()

    # The audience view's own keys move the presenter too.
    audience.bring_to_front()
    audience.keyboard.press("n")
    expect(
        page.get_by_role("heading", level=2, name="What child sexual exploitation is")
    ).to_be_visible()

    # The timer counts elapsed time once started.
    page.bring_to_front()
    page.get_by_role("button", name="Start timer").click()
    expect(page.get_by_role("timer")).not_to_have_text("0:00", timeout=3000)
    page.get_by_role("button", name="Pause timer").click()
    page.get_by_role("button", name="Reset timer").click()
    expect(page.get_by_role("timer")).to_have_text("0:00")
    axe_check(page)

    # Afterwards, record who came.
    page.get_by_role("link", name="Record a session and who attended").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a briefing session")
    axe_check(page)
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Where was it held?").fill("Staff room, Elmfield Academy")
    page.get_by_label("Find a person by name").fill("priya")
    expect(page.get_by_label("Casey Colleague")).to_be_hidden()
    expect(page.get_by_text("1 of 3 people shown")).to_be_visible()
    page.get_by_label(school_practitioner.full_name).check()
    page.get_by_label("Find a person by name").fill("")
    page.get_by_label("Casey Colleague").check()
    axe_check(page)
    page.get_by_role("button", name="Save the session and attendance").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Briefing session on {today.day} {today:%B %Y}"
    )
    expect(page.get_by_text("Session recorded: 2 people")).to_be_visible()
    axe_check(page)
    assert TrainingRecord.objects.filter(briefing_session__presenter=school_dsl).count() == 2


def test_a_user_takes_the_pledge_and_invites_colleagues(page: Page, school_practitioner):
    totp_device_for(school_practitioner)
    sign_in(page, school_practitioner, check=False)
    page.goto("/learning/pledge/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Take the pledge")
    axe_check(page)
    page.get_by_role("button", name="Take the pledge").click()
    page.get_by_label("I have found out more about child sexual exploitation").check()
    page.get_by_role("button", name="Save your pledge").click()
    expect(page.get_by_text("Your pledge has been updated")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Invite colleagues").click()
    page.get_by_label("Email address 1").fill("jo.bloggs@agency.test")
    page.get_by_label("Email address 2 (optional)").fill("not an address")
    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_role("link", name=re.compile("^Email address 2 must be"))).to_be_visible()
    axe_check(page)
    page.get_by_label("Email address 2 (optional)").fill("kit.moss@agency.test")
    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_text("Invitation sent to 2 people")).to_be_visible()
    expect(page.get_by_role("cell", name="kit.moss@agency.test")).to_be_visible()
    axe_check(page)
