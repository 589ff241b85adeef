"""Browser tests: Debian's chromium driven by Playwright, with an axe scan of every page visited.

Registered as a pytest plugin by the root conftest.py. Tests marked ``browser`` are skipped when
chromium is not installed (``make test`` installs it when run as root, so CI runs them).
"""

from __future__ import annotations

import base64
import functools
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from csehub.accounts.models import User
from csehub.testing.factories import TEST_PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

CHROMIUM = Path(os.environ.get("CSEHUB_CHROMIUM", "/usr/bin/chromium"))
# The test machine has no network: these flags stop chromium dialling out on its own.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = Path(settings.PROJECT_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TIMEOUT_MS = 10_000
GOVUK_FRONTEND_ERRORS = ("ElementError", "ConfigError", "SupportError", "InitError")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"chromium is not installed at {CHROMIUM} (make test installs it when run as root)"
    )
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One chromium for the whole session; each test gets its own context (cookies, storage)."""
    if not CHROMIUM.exists():
        pytest.skip(f"chromium is not installed at {CHROMIUM}")
    # Playwright's sync API runs an event loop in this thread; the test's own database calls
    # are still synchronous, so Django's guard against async-unsafe calls does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


class PageProblems:
    """What went wrong in the browser that axe does not see: script errors, missing assets."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.items.append(f"script error: {error}"))
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        # htmx logs a request it abandons as two errors, afterRequest then sendAbort. That
        # happens when the person submits or leaves the page while a preview is loading, which
        # is not a fault of the page; a failed request (sendError, responseError) still counts.
        if message.type == "error" and message.text.startswith("htmx:sendAbort"):
            if self.items and self.items[-1].startswith("console error: htmx:afterRequest"):
                self.items.pop()
            return
        # A failed load is reported by _response with its address (and pages such as the
        # 403 page answer with an error status on purpose).
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.items.append(f"console error: {message.text}")
        # GOV.UK Frontend logs a component it cannot start (wrong markup) and carries on.
        elif message.text.startswith(GOVUK_FRONTEND_ERRORS):
            self.items.append(f"GOV.UK Frontend: {message.text.splitlines()[0]}")

    def _response(self, response: Any) -> None:
        request = response.request
        if response.status >= 400 and request.resource_type != "document":
            self.items.append(f"{response.status} for {request.resource_type} {request.url}")

    def take(self) -> list[str]:
        found, self.items = self.items, []
        return found


def open_page(browser: Browser, base_url: str) -> Page:
    """A page in a fresh browser context (its own cookies), watched for page problems.

    Tests where several people take turns open one each, so no one signs in twice; close it
    with ``page.context.close()``.
    """
    context = browser.new_context(base_url=base_url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    new_page = context.new_page()
    problems = PageProblems()
    problems.watch(new_page)
    new_page.csehub_problems = problems  # type: ignore[attr-defined]
    return new_page


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A fresh browser context on the live server, so no cookie leaks from one test to the next."""
    new_page = open_page(browser, live_server.url)
    yield new_page
    new_page.context.close()


@functools.cache
def _axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_check(page: Page) -> None:
    """Fail the test on any WCAG 2.2 A/AA violation axe finds on the page as it is now.

    Also fails on script errors, content-security-policy violations and missing assets seen
    since the last check, since those break the page for users as surely.
    """
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Not page.add_script_tag: the page's Content-Security-Policy rightly blocks an inline
        # script, and bypassing the policy would hide the violations this check reports.
        page.evaluate(f"() => {{ {_axe_source()}\n}}")
    violations: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const results = await window.axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            // GOV.UK Frontend's known issue (alphagov/govuk-frontend#979): a radio that reveals
            // a conditional question gets aria-expanded, which ARIA does not list for radios
            // but screen readers announce. Kept on purpose by the Design System; nothing else
            // is let through.
            const knownIssue = (v, n) =>
                v.id === "aria-allowed-attr"
                && n.html.startsWith("<input") && n.html.includes("govuk-radios__input")
                && n.any.concat(n.all, n.none).every((check) =>
                    [].concat(check.data?.values ?? check.data ?? [])
                        .every((attr) => String(attr).startsWith("aria-expanded=")));
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                targets: v.nodes.filter((n) => !knownIssue(v, n)).map((n) => n.target.join(" ")),
            })).filter((v) => v.targets.length);
        }""",
        AXE_TAGS,
    )
    problems: list[str] = getattr(page, "csehub_problems", PageProblems()).take()
    if not violations and not problems:
        return
    lines = [f"Accessibility or page problems on {page.url} ({page.title()}):"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {target}" for target in violation["targets"])
    lines.extend(f"- {problem}" for problem in problems)
    pytest.fail("\n".join(lines), pytrace=False)


def expect_errors(page: Page, *messages: str) -> None:
    """The page shows GOV.UK's error summary with these messages, and its title starts with
    "Error: " once, so a screen reader hears that something needs fixing as the page loads."""
    from playwright.sync_api import expect

    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    for message in messages:
        expect(summary).to_contain_text(message)
    expect(page).to_have_title(re.compile(r"^Error: (?!Error: )"))


def fill_checked(field: Locator, text: str) -> None:
    """Fill a textarea that has live wording guidance, and wait for both of its checks (the
    one after typing pauses and the one on leaving the field) to come back.

    Submitting while a check is in flight makes two requests write the session at once, which
    the in-memory test database answers with "table is locked".
    """
    page = field.page

    def is_check(response: Any) -> bool:
        return response.url.endswith("/language/check/")

    with page.expect_response(is_check):
        field.fill(text)
    with page.expect_response(is_check):
        field.blur()


def totp_code(*, key: bytes, step: int = 30, t0: int = 0, digits: int = 6, drift: int = 0) -> str:
    return f"{totp(key, step, t0, digits, drift):0{digits}d}"


def totp_code_for_device(device: TOTPDevice) -> str:
    """The code the user's authenticator app would show now, waiting for a fresh time step if
    this one was already used (django-otp refuses a code twice)."""
    device.refresh_from_db()
    current_step = (int(time.time()) - device.t0) // device.step
    if device.last_t is not None and device.last_t >= current_step + device.drift:
        time.sleep(device.step - (int(time.time()) - device.t0) % device.step + 0.2)
    return totp_code(
        key=device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
    )


def totp_code_from_secret(secret: str) -> str:
    """The code for a key as shown under "I cannot scan the QR code" (base32, in groups)."""
    raw = secret.replace(" ", "").upper()
    key = base64.b32decode(raw + "=" * (-len(raw) % 8))
    return totp_code(key=key)


def sign_in_password(page: Page, *, email: str, password: str = TEST_PASSWORD) -> None:
    """The first sign-in step, on the sign-in page the browser is showing."""
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("load")


def sign_in(page: Page, user: User, *, check: bool = True) -> None:
    """Sign in through the real pages: password, then the code from the user's authenticator.

    The user needs a confirmed authenticator (factories.totp_device_for). With ``check`` the
    sign-in and code pages get an axe scan on the way.
    """
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    page.goto("/sign-in/")
    if check:
        axe_check(page)
    sign_in_password(page, email=user.email)
    page.get_by_label("Enter the code from your authenticator app").wait_for()
    if check:
        axe_check(page)
    page.get_by_label("Enter the code from your authenticator app").fill(
        totp_code_for_device(device)
    )
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", level=1, name=f"Welcome, {user.full_name}").wait_for()
