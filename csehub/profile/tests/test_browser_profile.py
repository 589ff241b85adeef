"""The problem profile in a real browser: charts beside tables of the same figures, axe clean,
and the board report downloaded as a PDF whose small numbers read "<5"."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from csehub.children.models import Gender
from csehub.concerns.models import Concern, ConcernLocation
from csehub.testing.browser import axe_check, expect_errors, sign_in
from csehub.testing.factories import ChildFactory, ConcernFactory, totp_device_for
from csehub.testing.pdfs import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))


def test_the_profile_renders_charts_and_tables(page: Page, partnership_admin, school_practitioner):
    for _ in range(6):
        ConcernLocation.objects.create(
            concern=cast(
                Concern,
                ConcernFactory(
                    raised_by=school_practitioner,
                    child=ChildFactory(created_by=school_practitioner),
                ),
            ),
            name="Bus station",
            postcode="DN15 6NL",
        )
    totp_device_for(partnership_admin)
    sign_in(page, partnership_admin, check=False)
    page.get_by_role("link", name="Problem profile").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Problem profile")
    chart = page.get_by_role("img", name="Chart of risk levels of the children concerned")
    expect(chart).to_be_visible()
    expect(page.get_by_role("table").filter(has_text="Latest level")).to_contain_text(
        "No risk assessment"
    )
    for name in ("concerns, referrals and intelligence over time", "when what was seen happened"):
        expect(page.get_by_role("img", name=f"Chart of {name}; the table")).to_be_visible()
    hotspots = page.get_by_role("group", name="Map of the places named most often")
    expect(hotspots).to_contain_text("DN15 6NL")
    axe_check(page)
    page.get_by_label("Last day").fill("not a date")
    page.get_by_role("button", name="Show the profile").click()
    expect_errors(page, "Enter the last day like 1/4/2026")
    axe_check(page)


def test_the_board_report_downloads_as_a_pdf_with_small_numbers_suppressed(
    page: Page, partnership_admin, school_practitioner, social_worker
):
    november = timezone.make_aware(dt.datetime(2026, 11, 10, 12, 0))
    for raiser, count, gender in ((school_practitioner, 6, Gender.FEMALE), (social_worker, 2, "")):
        for _ in range(count):
            extra = {"gender": gender} if gender else {}  # two children's gender not recorded
            ConcernFactory(
                raised_by=raiser,
                child=ChildFactory(created_by=raiser, **extra),
                submitted_at=november,
                observed_on=november.date(),
            )
    totp_device_for(partnership_admin)
    with time_machine.travel(NOW, tick=True):
        sign_in(page, partnership_admin, check=False)
        page.get_by_role("link", name="Problem profile").first.click()
        expect(
            page.get_by_role("heading", name="1 December 2025 to 1 December 2026")
        ).to_be_visible()
        axe_check(page)
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Board report (PDF)").click()
        download = download_info.value
        assert download.suggested_filename == "problem-profile-20251201-20261201.pdf"
        text = pdf_text(Path(download.path()).read_bytes())
    assert "Period: 1 December 2025 to 1 December 2026" in text
    assert re.search(r"Not recorded\s+<5", text)
    assert "<5" in text
