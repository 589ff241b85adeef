"""Batch linking runs in a real browser: from the alerts page to a run, with an axe scan."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from csehub.linking import services
from csehub.testing.browser import axe_check, sign_in
from csehub.testing.factories import totp_device_for

from .helpers import report_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_analyst_reads_a_run_and_its_model(page: Page, partnership, police_analyst):
    person = {"ref": "p1", "name": "Daniel Ashdown", "age_estimate": 30}
    report_import(partnership, "R-1", persons=[person])
    report_import(partnership, "R-2", persons=[{**person, "name": "Danny Ashdown"}])
    run = services.links_run(partnership=partnership, engine="duckdb")
    totp_device_for(police_analyst)
    sign_in(page, police_analyst, check=False)

    page.goto("/linking/alerts/")
    page.get_by_role("link", name="batch linking runs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Batch linking runs")
    expect(page.get_by_role("table")).to_contain_text("Splink on DuckDB")
    axe_check(page)

    page.get_by_role("link", name=f"Run {run.pk} details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Batch linking run {run.pk}")
    expect(page.get_by_role("table").first).to_contain_text("Nickname or spelling")
    expect(page.locator("main")).to_contain_text("Same person (assigned by the model)")
    axe_check(page)
