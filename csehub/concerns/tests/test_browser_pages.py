"""Pages around a concern in a real browser, with an axe scan of each: live wording advice in
a concern, a child's risk over time and printable chronology, and the pathway by keyboard."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from csehub.accounts.models import AgencyType, Role
from csehub.concerns import services
from csehub.pathways.services import pathway_load
from csehub.taxonomy.selectors import item_by_code
from csehub.testing.browser import axe_check, expect_errors, sign_in
from csehub.testing.factories import (
    AgencyFactory,
    ChildFactory,
    ConcernFactory,
    PartnershipFactory,
    UserFactory,
    totp_device_for,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")


def _menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=name, exact=True).click()


def test_wording_advice_appears_under_a_concern_as_it_is_typed(
    page: Page, taxonomy, school_practitioner
):
    child = ChildFactory.create(
        created_by=school_practitioner, given_name="Maya", family_name="Stone"
    )
    concern = ConcernFactory.create(raised_by=school_practitioner, child=child, status="draft")
    totp_device_for(school_practitioner)
    sign_in(page, school_practitioner, check=False)

    page.goto(reverse("concerns:edit", args=[concern.pk]))
    field = page.get_by_label("What did you see, hear or were you told?")
    field.fill("")
    field.press_sequentially("I am worried because she is putting herself at risk.", delay=5)
    # The advice sits in a live region under the field, so a screen reader hears it too.
    advice = page.locator(".govuk-form-group", has=field).locator("[aria-live]")
    expect(advice).to_contain_text("\u2018putting herself at risk\u2019", timeout=3000)
    expect(advice).to_contain_text("is at risk of sexual exploitation")
    axe_check(page)


def test_risk_over_time_and_the_printable_chronology(page: Page, taxonomy, school_practitioner):
    child = ChildFactory.create(
        created_by=school_practitioner, given_name="Maya", family_name="Stone"
    )
    car = item_by_code("warning_signs", "picked_up_in_cars")
    school = item_by_code("warning_signs", "missing_from_school")
    earlier = ConcernFactory.create(
        raised_by=school_practitioner,
        child=child,
        what_was_seen="Seen getting into a car outside school",
        observed_on=timezone.localdate() - dt.timedelta(days=40),
    )
    later = ConcernFactory.create(
        raised_by=school_practitioner,
        child=child,
        what_was_seen="Missed every afternoon this week",
        observed_on=timezone.localdate() - dt.timedelta(days=2),
    )
    for concern, items in ((earlier, [car]), (later, [school])):
        services.risk_assessment_create(
            actor=school_practitioner,
            concern=concern,
            immediate_danger=False,
            observations=[
                services.ObservationInput(
                    item=item, what_was_seen="Seen by a teacher", roughly_when="last_month"
                )
                for item in items
            ],
        )
    totp_device_for(school_practitioner)
    sign_in(page, school_practitioner, check=False)

    page.goto(reverse("children:detail", args=[child.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Maya Stone")
    over_time = page.get_by_role("table", name=re.compile("Each risk assessment"))
    expect(over_time.get_by_role("row")).to_have_count(3)
    expect(over_time).to_contain_text(f"New: {school.label}")
    expect(over_time).to_contain_text(f"No longer recorded: {car.label}")
    axe_check(page)

    page.get_by_label("Concern raised").check()
    page.get_by_role("button", name="Apply filters").click()
    axe_check(page)
    page.get_by_role("link", name="Printable chronology").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chronology: Maya Stone")
    expect(page.get_by_role("table")).to_contain_text("Missed every afternoon this week")
    axe_check(page)
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Menu")).to_be_hidden()
    axe_check(page)


@pytest.fixture
def fernbridge_practitioner(db):
    partnership = PartnershipFactory.create(
        slug="fernbridge", name="Fernbridge Safeguarding Children Partnership"
    )
    pathway_load(slug="fernbridge")
    school = AgencyFactory.create(
        partnership=partnership, name="Harrowgate Primary", agency_type=AgencyType.SCHOOL
    )
    user = UserFactory.create(agency=school, role=Role.PRACTITIONER, full_name="Robin Teacher")
    totp_device_for(user)
    return user


def _tab_to(page: Page, target: Locator, *, limit: int = 60) -> None:
    """Press Tab until the target has the focus, as a keyboard user would."""
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {target}")


def _choose_by_keyboard(page: Page, question: str, answer: str, *, limit: int = 60) -> None:
    """Tab to the question's first radio, then Space and the arrow keys to the answer."""
    group = page.get_by_role("group", name=question)
    expect(group).to_be_visible()
    _tab_to(page, group.get_by_role("radio").first, limit=limit)
    target = group.get_by_role("radio", name=answer, exact=True)
    page.keyboard.press("Space")  # Tab only moves to the first answer; Space chooses it
    for _ in range(5):
        if target.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("ArrowDown")  # moves to the next answer and chooses it
    expect(target).to_be_checked()


def _answer_by_keyboard(page: Page, question: str, answer: str) -> None:
    """Choose the answer by keyboard and press Enter to continue."""
    _choose_by_keyboard(page, question, answer)
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits the form, as the Continue button would


def test_the_risk_tool_works_with_the_keyboard_alone(page: Page, taxonomy, school_practitioner):
    concern = ConcernFactory.create(raised_by=school_practitioner)
    totp_device_for(school_practitioner)
    sign_in(page, school_practitioner, check=False)
    page.goto(reverse("concerns:assess", args=[concern.pk]))

    _choose_by_keyboard(page, "Is the child in immediate danger now?", "No")
    # The sections are closed: Tab reaches each one's name, and Enter opens it.
    summary = page.locator("#section-warning_signs > summary")
    _tab_to(page, summary, limit=20)
    page.keyboard.press("Enter")
    sign = "Picked up or dropped off in cars by unknown adults"
    tick = page.get_by_role("checkbox", name=sign)
    _tab_to(page, tick, limit=200)
    page.keyboard.press("Space")
    expect(tick).to_be_checked()
    expect(summary).to_contain_text("1 ticked")
    seen = page.get_by_label(f"What did you see or hear? ({sign})")
    _tab_to(page, seen, limit=5)  # the revealed question comes straight after the sign
    page.keyboard.type("Collected by a man in a black car", delay=5)
    _choose_by_keyboard(
        page,
        "Roughly when did you last see the warning signs you ticked?",
        "In the last week",
        limit=200,
    )
    axe_check(page)
    _tab_to(page, page.get_by_role("button", name="See the result"), limit=300)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Risk identification result")
    expect(
        page.get_by_role("table", name=re.compile("How each recorded sign counted"))
    ).to_contain_text(sign)
    axe_check(page)


def test_the_pathway_is_walked_by_keyboard_and_the_contacts_page_says_who_to_call(
    page: Page, fernbridge_practitioner
):
    # A Friday a minute after the front door closes.
    with time_machine.travel(dt.datetime(2026, 11, 27, 16, 31, tzinfo=LONDON), tick=True):
        sign_in(page, fernbridge_practitioner, check=False)
        _menu(page, "Pathway")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Fernbridge referral pathway for child exploitation"
        )
        axe_check(page)

        page.get_by_role("button", name="Continue").click()  # no answer chosen
        expect_errors(page)
        axe_check(page)

        _answer_by_keyboard(page, "Is the child in immediate danger?", "No")
        _answer_by_keyboard(
            page, "Have you identified warning signs of child sexual exploitation?", "Yes"
        )
        axe_check(page)
        _answer_by_keyboard(page, "Does the child have an allocated social worker?", "No")
        what_to_do = page.locator(".app-outcomes")
        expect(what_to_do).to_contain_text("Refer the child to the children's front door.")
        expect(what_to_do).to_contain_text("01632 960999")
        expect(what_to_do).to_contain_text("01632 960200")
        axe_check(page)

        page.get_by_role("link", name="Contact directory and who to call now").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Contacts and who to call now")
        expect(
            page.get_by_text("The children's front door closes at 16:30 on Fridays").first
        ).to_be_visible()
        expect(page.get_by_text("01632 960999").first).to_be_visible()
        axe_check(page)
