"""The missing coordinator's journey in a real browser on a frozen clock, with an axe scan of
every page: an episode and its return, the interview due, then overdue, then done, and what
the child said passed on as intelligence."""

from __future__ import annotations

import re

import pytest
import time_machine
from playwright.sync_api import Page, expect

from csehub.intelligence.models import IntelligenceReport
from csehub.missing.models import InterviewStatus, ReturnInterview
from csehub.testing.browser import axe_check, expect_errors, sign_in
from csehub.testing.factories import totp_device_for

from .conftest import NOW, at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHILDS_ACCOUNT = "Dee picked me up in a black car and drove me to a flat in Castlegate."


def test_episode_interview_due_overdue_done_and_passed_on(page: Page, missing_coordinator, child):
    totp_device_for(missing_coordinator)
    with time_machine.travel(NOW, tick=True):  # Friday 20 November, 21:00
        sign_in(page, missing_coordinator, check=False)
        page.goto(f"/children/{child.pk}/")
        page.get_by_role("button", name="Record a missing episode").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Record a missing episode")
        axe_check(page)

        page.get_by_role("button", name="Record the episode").click()  # nothing filled in
        expect_errors(page, "Enter the date last seen", "Enter who reported the child missing")
        axe_check(page)

        page.get_by_label("Date last seen").fill("19/11/2026")
        page.get_by_label("Time last seen").fill("16:30")
        page.get_by_label("Where the child was last seen").fill("Northgate shops")
        page.get_by_label("Who the child was last seen with").fill("an older man called Dee")
        page.get_by_label("Date reported missing").fill("19/11/2026")
        page.get_by_label("Time reported missing").fill("22:00")
        page.get_by_label("Who reported the child missing").fill("Foster carer")
        page.get_by_label("Yes").check()
        page.get_by_label("Date the child came back").fill("20/11/2026")
        page.get_by_label("Time the child came back").fill("09:00")
        page.get_by_label("Where the child came back to or was found").fill("Her foster home")
        page.get_by_label("Who found the child").fill("Came back on her own")
        page.get_by_role("button", name="Record the episode").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Missing episode")
        expect(page.get_by_text("The return interview is due within 72 hours")).to_be_visible()
        expect(page.get_by_text("Due by 23 Nov, 09:00")).to_be_visible()
        axe_check(page)

        page.get_by_role("link", name="Missing episodes").first.click()
        row = page.get_by_role("row", name=re.compile("Tia Marsh"))
        # The clock ticks on: a few seconds past 21:00 leaves just under 2 days 12 hours.
        expect(row).to_contain_text(re.compile(r"2\sdays, 11\shours left"))
        axe_check(page)

    with time_machine.travel(at(23, 10), tick=True):  # Monday, an hour past the 72
        sign_in(page, missing_coordinator, check=False)
        page.get_by_role("link", name="Missing episodes").first.click()
        row = page.get_by_role("row", name=re.compile("Tia Marsh"))
        expect(row).to_contain_text("Overdue")
        expect(row).to_contain_text("1\xa0hour overdue")
        axe_check(page)

        row.get_by_role("link", name="Tia Marsh").click()
        page.get_by_role("button", name="Record the return interview").click()
        expect(page.get_by_text("it is 1\xa0hour overdue")).to_be_visible()
        axe_check(page)
        page.get_by_label("Done: the child talked to us").check()
        page.get_by_label("Date", exact=True).fill("23/11/2026")
        page.get_by_label("Time", exact=True).fill("09:45")
        page.get_by_role("button", name="Save").click()
        expect_errors(page, "Write down what the child said")
        axe_check(page)
        page.get_by_label("What the child said").fill(CHILDS_ACCOUNT)
        page.get_by_role("button", name="Save").click()

        expect(page.get_by_text("The return interview has been recorded")).to_be_visible()
        expect(page.locator("blockquote")).to_contain_text("drove me to a flat in Castlegate")
        expect(page.get_by_text("later than 72 hours")).to_be_visible()
        axe_check(page)
        assert ReturnInterview.objects.get().status == InterviewStatus.DONE

        page.get_by_role("button", name="Pass on as intelligence").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Pass on as intelligence")
        expect(page.get_by_label("What will be shared")).to_contain_text(CHILDS_ACCOUNT)
        expect(page.get_by_text("The child: Tia Marsh, born 2 April 2011")).to_be_visible()
        axe_check(page)
        page.get_by_role("button", name="Share with the police").click()

        report = IntelligenceReport.objects.get()
        expect(page.get_by_text(f"shared as {report.external_id}")).to_be_visible()
        assert CHILDS_ACCOUNT in report.text
        expect(page.get_by_role("button", name="Pass on as intelligence")).to_have_count(0)

        page.goto(f"/children/{child.pk}/")
        expect(page.get_by_text(CHILDS_ACCOUNT)).to_be_visible()
        axe_check(page)
