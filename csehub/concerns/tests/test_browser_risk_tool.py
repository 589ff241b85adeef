"""The risk identification tool in a real browser, as a busy practitioner uses it: 999 the moment
"yes" is chosen, sections that open and count their ticks, a result that follows along, and all
of it still working with scripts switched off. Each page is scanned with axe."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, Response, expect

from csehub.concerns.models import RiskAssessment
from csehub.testing.browser import TIMEOUT_MS, axe_check, sign_in
from csehub.testing.factories import ChildFactory, ConcernFactory, totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIGNIFICANT_SIGN = "Sexual activity in return for something"
OFFENCE = "Making the child have sex with other people"


def _is_result(response: Response) -> bool:
    return response.url.endswith("/assess/result/")


def _open_tool(page: Page, user: Any, concern: Any) -> None:
    totp_device_for(user)
    sign_in(page, user, check=False)
    page.goto(reverse("concerns:assess", args=[concern.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk identification tool")


def _section(page: Page, name: str) -> Any:
    return page.locator("details").filter(has=page.locator("summary", has_text=name))


def test_choosing_immediate_danger_shows_call_999_at_once(
    page: Page, taxonomy, school_practitioner
):
    concern = ConcernFactory.create(raised_by=school_practitioner)
    _open_tool(page, school_practitioner, concern)
    banner = page.get_by_role("region", name="Immediate danger")
    expect(banner).to_be_hidden()
    danger = page.get_by_role("group", name="Is the child in immediate danger now?")
    danger.get_by_label("Yes").check()
    # Shown by the page itself, not after a round trip: no navigation, at once.
    expect(banner).to_be_visible(timeout=500)
    expect(banner).to_contain_text("Call 999 now.")
    expect(page).to_have_url(re.compile(r"/assess/$"))
    axe_check(page)
    danger.get_by_label("No").check()
    expect(banner).to_be_hidden(timeout=500)


def test_sections_count_their_ticks_and_the_result_follows_along(
    page: Page, taxonomy, school_practitioner
):
    concern = ConcernFactory.create(raised_by=school_practitioner)
    _open_tool(page, school_practitioner, concern)
    warning_signs = _section(page, "Warning signs")
    expect(warning_signs.locator("summary")).to_contain_text("0 ticked")
    expect(page.get_by_role("checkbox", name=SIGNIFICANT_SIGN)).to_be_hidden()  # closed
    warning_signs.locator("summary").click()
    # What the sign means is shown beside it, not behind a link to another tab.
    expect(warning_signs).to_contain_text("in exchange for money, drugs, alcohol")
    with page.expect_response(_is_result):
        page.get_by_role("checkbox", name=SIGNIFICANT_SIGN).check()
    expect(warning_signs.locator("summary")).to_contain_text("1 ticked")
    result = page.get_by_role("region", name="Result so far")
    expect(result).to_contain_text("High risk")
    expect(result).to_contain_text(f"“{SIGNIFICANT_SIGN}” sets the level on its own")
    expect(result).to_contain_text("on points alone the level would be emerging risk")
    axe_check(page)
    assert not RiskAssessment.objects.exists()  # nothing is saved until they choose to


def test_immediate_danger_and_a_sexual_offence_read_high_risk_as_they_go(
    page: Page, taxonomy, school_practitioner
):
    concern = ConcernFactory.create(raised_by=school_practitioner)
    _open_tool(page, school_practitioner, concern)
    with page.expect_response(_is_result):
        page.get_by_role("group", name="Is the child in immediate danger now?").get_by_label(
            "Yes"
        ).check()
    _section(page, "Grooming behaviours").locator("summary").click()
    with page.expect_response(_is_result):
        page.get_by_role("checkbox", name=OFFENCE).check()
    result = page.get_by_role("region", name="Result so far")
    expect(result).to_contain_text("High risk")
    expect(result).to_contain_text("call 999 now")
    page.get_by_label(f"What did you see or hear? ({OFFENCE})").fill(
        "She said he makes her go to his friends' flat"
    )
    page.get_by_role(
        "group", name="Roughly when did you last see the grooming behaviours you ticked?"
    ).get_by_label("In the last week").check()
    page.get_by_role("button", name="See the result").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk identification result")
    expect(page.get_by_role("region", name="Immediate danger")).to_contain_text("Call 999 now")
    expect(page.locator("#what-happened")).to_contain_text(
        f"The tool gives high risk because “{OFFENCE}” sets the level on its own"
    )
    axe_check(page)


def test_a_child_under_13_is_offered_the_sign_and_the_law_first(
    page: Page, taxonomy, school_practitioner
):
    today = timezone.localdate()
    child = ChildFactory.create(
        created_by=school_practitioner,
        age_estimate_years=None,
        date_of_birth=today.replace(year=today.year - 12) - dt.timedelta(days=30),
    )
    concern = ConcernFactory.create(raised_by=school_practitioner, child=child)
    _open_tool(page, school_practitioner, concern)
    under_13 = page.locator("#under-13")
    expect(under_13).to_contain_text("A child under 13 cannot consent to any sexual activity")
    expect(
        under_13.get_by_role("checkbox", name="Sexual activity involving a child under 13")
    ).to_be_visible()
    axe_check(page)


@pytest.fixture
def page_without_scripts(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=False
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_without_scripts_everything_still_works(
    page: Page, page_without_scripts: Page, taxonomy, school_practitioner
):
    concern = ConcernFactory.create(raised_by=school_practitioner)
    # Sign in with scripts (the sign-in pages are not under test here), then carry the
    # session over to a browser with scripts switched off.
    totp_device_for(school_practitioner)
    sign_in(page, school_practitioner, check=False)
    page_without_scripts.context.add_cookies(page.context.cookies())  # type: ignore[arg-type]
    nojs = page_without_scripts
    nojs.goto(reverse("concerns:assess", args=[concern.pk]))

    nojs.get_by_role("group", name="Is the child in immediate danger now?").get_by_label(
        "Yes"
    ).check()
    warning_signs = _section(nojs, "Warning signs")
    warning_signs.locator("summary").click()  # <details> opens without scripts
    nojs.get_by_role("checkbox", name=SIGNIFICANT_SIGN).check()
    nojs.get_by_role("button", name="Update the result without saving").click()

    expect(nojs.get_by_role("region", name="Immediate danger")).to_contain_text("Call 999 now.")
    expect(nojs.get_by_role("region", name="Result so far")).to_contain_text("High risk")
    expect(_section(nojs, "Warning signs").locator("summary")).to_contain_text("1 ticked")
    expect(nojs.get_by_role("checkbox", name=SIGNIFICANT_SIGN)).to_be_checked()
    assert not RiskAssessment.objects.exists()

    nojs.get_by_role("button", name="See the result").click()  # what was seen is missing
    expect(nojs.get_by_role("alert").filter(has_text="There is a problem")).to_contain_text(
        f"Enter what you saw or heard for “{SIGNIFICANT_SIGN}”"
    )
    expect(nojs.get_by_role("checkbox", name=SIGNIFICANT_SIGN)).to_be_checked()
    nojs.get_by_label(f"What did you see or hear? ({SIGNIFICANT_SIGN})").fill(
        "Said she was given vodka for going to a party"
    )
    nojs.get_by_role(
        "group", name="Roughly when did you last see the warning signs you ticked?"
    ).get_by_label("In the last week").check()
    nojs.get_by_role("button", name="See the result").click()
    expect(nojs.get_by_role("heading", level=1)).to_have_text("Risk identification result")
    assert RiskAssessment.objects.get().immediate_danger
