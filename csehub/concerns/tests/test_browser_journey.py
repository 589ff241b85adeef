"""The whole Spot and Act journey in a real browser, with an axe scan of every page on the way.

A school practitioner records a child and a concern, uses the risk identification tool and sees
what Fernbridge's pathway says and whom to call at that moment; the school's safeguarding lead
refers; the front door and the police desk act; the practitioner sees the outcome.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect

from csehub.accounts.models import AgencyType, Role, User
from csehub.children.models import Child
from csehub.concerns.models import Concern, RiskLevel
from csehub.pathways.services import pathway_load
from csehub.referrals.models import Destination, Referral, ReferralOutcome, ReferralState
from csehub.taxonomy.services import taxonomy_load
from csehub.testing.browser import axe_check, expect_errors, fill_checked, open_page, sign_in
from csehub.testing.factories import (
    AgencyFactory,
    ChildFactory,
    PartnershipFactory,
    UserFactory,
    totp_device_for,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")
# A Friday a minute after Fernbridge's front door closes (16:30 on Fridays).
FRIDAY_1631 = dt.datetime(2026, 11, 27, 16, 31, tzinfo=LONDON)
CAR_SIGN = "Picked up or dropped off in cars by unknown adults"
SCHOOL_SIGN = "Missing school or truanting"
VULNERABILITY = "Past abuse or neglect"


@dataclass
class Fernbridge:
    practitioner: User
    lead: User
    front_door: User
    police_desk: User


@pytest.fixture
def fernbridge(db) -> Fernbridge:
    """Fernbridge's shipped pathway and contacts, with a school, the front door and the police."""
    partnership = PartnershipFactory.create(
        slug="fernbridge", name="Fernbridge Safeguarding Children Partnership"
    )
    taxonomy_load()
    pathway_load(slug="fernbridge")
    school = AgencyFactory.create(
        partnership=partnership, name="Harrowgate Primary", agency_type=AgencyType.SCHOOL
    )
    council = AgencyFactory.create(
        partnership=partnership,
        name="Fernbridge Children's Services",
        agency_type=AgencyType.CHILDRENS_SOCIAL_CARE,
    )
    police = AgencyFactory.create(
        partnership=partnership, name="Fernbridge Police", agency_type=AgencyType.POLICE
    )
    people = Fernbridge(
        practitioner=UserFactory.create(
            agency=school, role=Role.PRACTITIONER, full_name="Robin Teacher"
        ),
        lead=UserFactory.create(agency=school, role=Role.SAFEGUARDING_LEAD, full_name="Dana Lead"),
        front_door=UserFactory.create(
            agency=council, role=Role.FRONT_DOOR, full_name="Farah Frontdoor"
        ),
        police_desk=UserFactory.create(
            agency=police, role=Role.POLICE_REFERRAL_DESK, full_name="Pat Desk"
        ),
    )
    for user in (people.practitioner, people.lead, people.front_door, people.police_desk):
        totp_device_for(user)
    # A child the practitioner recorded before, so recording a similar one brings up the warning.
    ChildFactory.create(
        created_by=people.practitioner,
        given_name="Kayleigh",
        family_name="Marsh",
        age_estimate_years=None,
        date_of_birth=dt.date(2012, 3, 27),
    )
    return people


def _menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=name, exact=True).click()


def _heading(page: Page, text: str | re.Pattern[str]) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def _banner(page: Page):
    """The message shown after a change (a GOV.UK notification banner)."""
    return page.locator(".govuk-notification-banner:not(.app-demo-banner)")


def _record_the_child(page: Page) -> None:
    _menu(page, "Children")
    _heading(page, "Children")
    axe_check(page)
    page.get_by_role("button", name="Record a child").click()
    _heading(page, "Record a child")
    axe_check(page)

    page.get_by_role("button", name="Continue").click()  # nothing filled in
    expect_errors(page, "Enter the child's first name")
    axe_check(page)

    page.get_by_label("First name").fill("Kayla")
    page.get_by_label("Last name (optional)").fill("Marsh")
    page.get_by_label("Other name 1").fill("Kay")
    page.get_by_label("Kind of name 1").select_option(label="Nickname")
    page.get_by_label("Yes, I know their date of birth").check()
    page.get_by_label("Day", exact=True).fill("27")
    page.get_by_label("Month", exact=True).fill("3")
    page.get_by_label("Year", exact=True).fill("2012")
    page.get_by_role("group", name="Gender").get_by_label("Female", exact=True).check()
    page.get_by_role("group", name="Does the child have a disability?").get_by_label(
        "Not recorded"
    ).check()
    page.get_by_role("group", name="Care status").get_by_label("Not recorded").check()
    page.get_by_label("School or setting (optional)").fill("Harrowgate Primary")
    page.get_by_role("button", name="Continue").click()

    _heading(page, "This child may already have a record")
    expect(page.get_by_role("heading", level=2, name="Kayleigh Marsh")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="This is a different child: create a new record").click()
    _heading(page, "Kayla Marsh")
    expect(_banner(page)).to_contain_text("A record for Kayla Marsh has been created")
    expect(page.get_by_text("Kay (nickname)")).to_be_visible()
    axe_check(page)


def _raise_the_concern(page: Page) -> None:
    page.get_by_role("button", name="Raise a concern about this child").click()
    _heading(page, "Raise a concern about Kayla Marsh")
    axe_check(page)
    page.get_by_role("button", name="Start now").click()
    _heading(page, "Concern about Kayla Marsh")
    axe_check(page)

    page.get_by_role("button", name="Submit concern").click()  # empty: the error summary
    expect_errors(page, "Enter what you saw or were told")
    axe_check(page)

    page.get_by_label("I saw or heard it myself").check()
    fill_checked(
        page.get_by_label("What did you see, hear or were you told?"),
        "Kayla was collected from the school gate by a man in a dark car who is not a parent. "
        "She said he was her friend's cousin and that he buys her phone credit.",
    )
    page.get_by_label("Day", exact=True).fill("26")
    page.get_by_label("Month", exact=True).fill("11")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_label("Time (optional)").fill("15:40")
    page.get_by_label("Where did it happen? (optional)").fill("The school gate")

    # Each list starts with one empty row; a partial plate has ? for what was not seen.
    page.get_by_label("Registration plate (optional)").fill("yx1? ?bc")
    page.get_by_label("Make and model (optional)").fill("BMW 3 series")
    page.get_by_label("Colour (optional)").fill("Black")
    page.get_by_label("Phone number").fill("07700 900123")
    page.get_by_role("button", name="Add another phone number").click()  # saves the draft
    # The cursor goes to the new row, which is a group of its own.
    expect(
        page.get_by_role("group", name="Phone number 2").get_by_label("Phone number")
    ).to_be_focused()
    expect(page.get_by_label("Registration plate (optional)")).to_have_value("yx1? ?bc")
    axe_check(page)
    page.get_by_role("button", name="Submit concern").click()


def _use_the_tool(page: Page) -> None:
    _heading(page, "Risk identification tool")
    axe_check(page)
    page.get_by_role("group", name="Is the child in immediate danger now?").get_by_label(
        "No"
    ).check()
    page.get_by_role("button", name="See the result").click()  # nothing ticked is allowed...

    _heading(page, "Risk identification result")
    expect(page.get_by_text("This does not mean the child is safe")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Back to the concern").click()
    _heading(page, "Concern about Kayla Marsh")
    axe_check(page)
    page.get_by_role("button", name="Use the risk identification tool again").click()
    _heading(page, "Risk identification tool")
    axe_check(page)

    page.get_by_role("group", name="Is the child in immediate danger now?").get_by_label(
        "No"
    ).check()
    _open_section_of(page, CAR_SIGN)
    page.get_by_role("checkbox", name=CAR_SIGN).check()
    page.get_by_role("button", name="See the result").click()  # ticked, but nothing said
    expect_errors(page, f"Enter what you saw or heard for “{CAR_SIGN}”")
    axe_check(page)

    for label, seen in (
        (CAR_SIGN, "Collected by a man in a black BMW, not a parent"),
        (SCHOOL_SIGN, "Missed six afternoons this half term"),
        (VULNERABILITY, "Known to children's services as a younger child"),
    ):
        _open_section_of(page, label)
        page.get_by_role("checkbox", name=label).check()
        fill_checked(page.get_by_label(f"What did you see or hear? ({label})"), seen)
    # "Roughly when" is asked once for the warning signs; vulnerabilities do not age.
    page.get_by_role(
        "group", name="Roughly when did you last see the warning signs you ticked?"
    ).get_by_label("In the last week").check()
    page.get_by_role("button", name="See the result").click()


def _open_section_of(page: Page, sign: str) -> None:
    """Open the tool's section that holds the sign, as a practitioner would, by its name."""
    # The sign's checkbox is hidden inside a closed section, so find it by its label's text.
    label = page.locator("label.govuk-checkboxes__label", has_text=sign)
    section = page.locator("details", has=label)
    if not section.evaluate("el => el.open"):
        section.locator("summary").click()


def _see_the_result(page: Page) -> None:
    _heading(page, "Risk identification result")
    expect(page.get_by_text("Significant risk").first).to_be_visible()
    reasons = page.get_by_role("table", name=re.compile("How each recorded sign counted"))
    for label in (CAR_SIGN, SCHOOL_SIGN, VULNERABILITY):
        expect(reasons.get_by_role("link", name=label)).to_be_visible()
    expect(page.get_by_text("does not mean the child is safe")).to_be_visible()
    # Fernbridge's pathway, for a Friday at 16:31: the front door has just closed.
    steps = page.locator("ol.govuk-list--number")
    expect(steps).to_contain_text("Refer the child to the children's front door.")
    expect(steps).to_contain_text("01632 960999")
    expect(steps).to_contain_text("The children's front door closes at 16:30 on Fridays")
    expect(steps).to_contain_text("police referral desk")
    expect(steps).to_contain_text("01632 960200")
    axe_check(page)

    page.get_by_role(
        "button", name="Set a different level using your professional judgement"
    ).click()
    axe_check(page)
    page.get_by_label("High risk").check()
    fill_checked(
        page.get_by_label("Why do you judge it to be this level?"),
        "The car has been seen three times this month and she is getting gifts she cannot explain.",
    )
    page.get_by_role("button", name=re.compile("Record")).click()
    _heading(page, "Risk identification result")
    expect(page.get_by_text("Your professional judgement has been recorded")).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name="Ask your safeguarding lead to refer").click()
    _heading(page, "Ask your safeguarding lead to refer")
    expect(page.get_by_text("Dana Lead")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Ask my safeguarding lead").click()
    expect(_banner(page)).to_contain_text("Your safeguarding lead has been asked")
    axe_check(page)


def _lead_refers(page: Page) -> None:
    _menu(page, "Notifications (1 new)")
    _heading(page, "Notifications")
    axe_check(page)
    page.get_by_role("link", name=re.compile("New")).click()
    _heading(page, "Make a referral")
    expect(page.get_by_text("Refer the child to the children's front door.")).to_be_visible()
    destinations = page.get_by_role("group", name="Where to send the referral")
    expect(destinations.get_by_label("Children's social care front door")).to_be_checked()
    expect(destinations.get_by_label(re.compile("police", re.I))).to_be_checked()
    axe_check(page)
    destinations.get_by_label("Children's social care front door").uncheck()
    destinations.get_by_label(re.compile("police", re.I)).uncheck()
    page.get_by_role("button", name="Send the referral").click()  # sent nowhere
    expect_errors(page, "Select at least one place")
    axe_check(page)
    destinations.get_by_label("Children's social care front door").check()
    destinations.get_by_label(re.compile("police", re.I)).check()
    fill_checked(
        page.get_by_label("What you are asking for"),
        "A strategy discussion, and a police record flagged for child sexual exploitation.",
    )
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_text("2 referrals sent")).to_be_visible()
    axe_check(page)

    # The child's page now shows the referrals, the risk over time and the chronology.
    _menu(page, "Children")
    page.get_by_role("link", name="Kayla Marsh").click()
    _heading(page, "Kayla Marsh")
    expect(page.locator("#referrals + table")).to_contain_text("Submitted")
    over_time = page.get_by_role("table", name=re.compile("Each risk assessment"))
    expect(over_time.get_by_role("row").last).to_contain_text(f"New: {SCHOOL_SIGN}; {CAR_SIGN}")
    # Two assessments on one day: each link still says which one it opens.
    links = over_time.get_by_role("link")
    expect(links).to_have_count(2)
    assert len(set(links.all_inner_texts())) == 2
    axe_check(page)


def _team_acts(page: Page, *, outcome: str, reason: str, reference: str = "") -> None:
    _menu(page, "Referrals to my team")
    _heading(page, "Referrals to my team")
    axe_check(page)
    page.get_by_role("table").get_by_role("link").first.click()
    _heading(page, re.compile("^Referral to "))
    axe_check(page)
    page.get_by_role("button", name="Mark as received").click()
    axe_check(page)
    page.get_by_role("button", name="Mark as received").click()
    expect(_banner(page)).to_contain_text("marked as received")
    axe_check(page)
    page.get_by_role("button", name="Mark as screened").click()
    axe_check(page)
    fill_checked(
        page.get_by_label("Screening note (optional)"), "Checked our records: no open case."
    )
    page.get_by_role("button", name="Mark as screened").click()
    expect(_banner(page)).to_contain_text("marked as screened")
    axe_check(page)
    page.get_by_role("button", name="Record the outcome").click()
    _heading(page, "Record the outcome")
    axe_check(page)
    page.get_by_role("button", name="Record the outcome").click()  # nothing chosen
    expect_errors(page, "Select the outcome")
    axe_check(page)
    page.get_by_label(outcome, exact=True).check()
    fill_checked(page.get_by_label("Reason for this outcome"), reason)
    if reference:
        page.get_by_label("Police reference for the CSE-flagged record").fill(reference)
        page.get_by_role("group", name="Did a CSE-flagged record already exist?").get_by_label(
            "No"
        ).check()
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.locator(".app-outcome")).to_contain_text(f"Outcome: {outcome}")
    axe_check(page)


def _practitioner_sees_the_outcome(page: Page) -> None:
    page.reload()
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name=re.compile("^Notifications")
    ).click()
    _heading(page, "Notifications")
    outcomes = page.get_by_role("link", name=re.compile("An outcome has been recorded"))
    expect(outcomes).to_have_count(2)
    # Each link says which referral it opens (WCAG 2.4.4, link purpose).
    assert len(set(outcomes.all_inner_texts())) == 2
    axe_check(page)

    _menu(page, "My referrals")
    _heading(page, "Referrals about my concerns")
    made = page.get_by_role("table", name="2 referrals")
    for team in ("Children's Services", "Police"):
        expect(made.get_by_role("row", name=re.compile(team))).to_contain_text(
            "Strategy discussion"
        )
    axe_check(page)

    made.get_by_role("row", name=re.compile("Children's Services")).get_by_role("link").click()
    expect(page.locator(".app-outcome")).to_contain_text("Outcome: Strategy discussion")
    expect(page.get_by_text("a strategy discussion is booked for Monday")).to_be_visible()
    # The screening note is the receiving team's own working; the referrer sees the decision.
    expect(page.get_by_text("Checked our records")).to_have_count(0)
    axe_check(page)


def test_a_concern_goes_from_the_school_to_the_front_door_and_the_police_and_back(
    browser: Browser, live_server, fernbridge: Fernbridge
):
    with time_machine.travel(FRIDAY_1631, tick=True):
        practitioner = open_page(browser, live_server.url)
        sign_in(practitioner, fernbridge.practitioner)
        axe_check(practitioner)  # each role has its own home page
        _record_the_child(practitioner)
        _raise_the_concern(practitioner)
        _use_the_tool(practitioner)
        _see_the_result(practitioner)

        child = Child.objects.get(given_name="Kayla")
        concern = Concern.objects.get(child=child)
        assessment = concern.assessments.latest("created_at")
        assert assessment.computed_level == RiskLevel.SIGNIFICANT_RISK
        assert assessment.judgement_level == RiskLevel.HIGH_RISK
        assert concern.vehicles.get().plate == "YX1? ?BC"
        assert concern.phones.get().number == "07700 900123"

        lead = open_page(browser, live_server.url)
        sign_in(lead, fernbridge.lead, check=False)
        axe_check(lead)  # each role has its own home page
        _lead_refers(lead)
        referrals = Referral.objects.filter(concern=concern)
        assert {r.destination for r in referrals} == {
            Destination.CHILDRENS_SOCIAL_CARE,
            Destination.POLICE_CSE_DESK,
        }
        lead.context.close()

        front_door = open_page(browser, live_server.url)
        sign_in(front_door, fernbridge.front_door, check=False)
        axe_check(front_door)  # each role has its own home page
        _team_acts(
            front_door,
            outcome="Strategy discussion",
            reason="Warning signs and a vulnerability: a strategy discussion is booked for Monday.",
        )
        front_door.context.close()

        police = open_page(browser, live_server.url)
        sign_in(police, fernbridge.police_desk, check=False)
        axe_check(police)  # each role has its own home page
        _team_acts(
            police,
            outcome="Strategy discussion",
            reason="Flagged record created; we will join the strategy discussion.",
            reference="FB-CSE-2026-0042",
        )
        expect(police.get_by_text("FB-CSE-2026-0042")).to_be_visible()
        police.context.close()

        by_destination = {r.destination: r for r in Referral.objects.filter(concern=concern)}
        assert by_destination[Destination.CHILDRENS_SOCIAL_CARE].outcome == (
            ReferralOutcome.STRATEGY_DISCUSSION
        )
        assert by_destination[Destination.POLICE_CSE_DESK].police_reference == "FB-CSE-2026-0042"
        assert all(r.state == ReferralState.OUTCOME_RECORDED for r in by_destination.values())

        # The loop closes: the practitioner who raised the concern sees both outcomes.
        _practitioner_sees_the_outcome(practitioner)
        practitioner.context.close()
