"""The audit log in a real browser, with an axe scan of each state of the page."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.audit.services import audit_record
from csehub.testing.browser import axe_check, sign_in
from csehub.testing.factories import totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_information_governance_searches_and_downloads(page: Page, ig_officer, school_practitioner):
    totp_device_for(ig_officer)
    for number in range(55):
        audit_record(
            actor=school_practitioner,
            verb=Verb.VIEWED,
            target_type="concern",
            target_id=f"C-{number}",
        )
    audit_record(
        actor=school_practitioner,
        verb=Verb.VIEWED,
        target_type="referral",
        target_id="R-9",
        outcome=Outcome.DENIED,
    )
    sign_in(page, ig_officer, check=False)

    page.get_by_role("link", name="Audit log").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    expect(page.get_by_role("navigation", name="Pages of results")).to_be_visible()
    axe_check(page)

    start = page.get_by_role("group", name="From")
    start.get_by_label("Day").fill("30")
    start.get_by_label("Month").fill("2")
    start.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("alert")).to_contain_text("The start date must be a real date")
    expect(start.get_by_label("Day")).to_have_value("30")
    axe_check(page)

    start.get_by_label("Day").fill("")
    start.get_by_label("Month").fill("")
    start.get_by_label("Year").fill("")
    page.get_by_label("Action").select_option(label="Viewed")
    page.get_by_label("Denied").check()
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 event matches your filters")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Referral R-9")
    axe_check(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these results as CSV").click()
    with open(download_info.value.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert [row[6] for row in rows[1:]] == ["R-9"]
    assert AuditEvent.objects.filter(actor=ig_officer, verb=Verb.EXPORTED).exists()
