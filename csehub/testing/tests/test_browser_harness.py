"""The browser harness itself: the axe check must fail on a page that breaks the rules."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from csehub.testing.browser import axe_check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_axe_check_names_each_violation_and_where_it_is(page: Page):
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>Broken</title></head>'
        '<body><main><h1>Broken</h1><input type="text" id="nameless"></main></body></html>'
    )

    with pytest.raises(pytest.fail.Exception) as failure:
        axe_check(page)

    assert "label (critical)" in str(failure.value)
    assert "#nameless" in str(failure.value)


def test_axe_check_reports_assets_that_do_not_load(page: Page, live_server):
    page.goto(f"{live_server.url}/sign-in/")
    page.evaluate(
        """() => new Promise((resolve) => {
            const link = document.createElement("link");
            link.rel = "stylesheet";
            link.href = "/no-such-stylesheet.css";
            link.onerror = resolve;
            document.head.appendChild(link);
        })"""
    )

    with pytest.raises(pytest.fail.Exception) as failure:
        axe_check(page)

    assert "404 for" in str(failure.value)
    assert "/no-such-stylesheet.css" in str(failure.value)
