"""A learner downloads their certificate and its code checks out on the public page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from csehub.testing.browser import TIMEOUT_MS, PageProblems, axe_check, sign_in
from csehub.testing.factories import totp_device_for

from .certificate_setup import certificate_make, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_certificate_downloads_and_its_code_verifies(
    page: Page, browser: Browser, live_server, school_practitioner, school_dsl
):
    certificate = certificate_make(learner=school_practitioner, reviewer=school_dsl)
    totp_device_for(school_practitioner)
    sign_in(page, school_practitioner, check=False)

    page.get_by_role("link", name="My training").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My training")
    expect(page.get_by_role("table", name="Your certificates, newest first")).to_contain_text(
        certificate.code
    )
    axe_check(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Download PDF")).click()
    download = download_info.value
    assert download.suggested_filename == f"certificate-{certificate.code}.pdf"
    text = pdf_text(Path(download.path()).read_bytes())
    assert "Priya Teacher" in text
    printed = re.search(r"Verification code: ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})", text)
    assert printed is not None

    page.get_by_role("link", name="CSE awareness workbook (test)", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Priya Teacher")
    axe_check(page)

    # Someone the learner shows it to: no account, a browser of their own.
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    visitor = context.new_page()
    problems = PageProblems()
    problems.watch(visitor)
    visitor.csehub_problems = problems  # type: ignore[attr-defined]
    try:
        visitor.goto("/certificates/verify/")
        expect(visitor.get_by_role("heading", level=1)).to_have_text("Check a training certificate")
        axe_check(visitor)

        visitor.get_by_label("Verification code").fill("wrong")
        visitor.get_by_role("button", name="Check certificate").click()
        expect(visitor.get_by_role("alert")).to_contain_text("Enter the code as it is printed")
        expect(visitor.get_by_label("Verification code")).to_have_value("wrong")
        axe_check(visitor)

        visitor.get_by_label("Verification code").fill(printed.group(1).lower().replace("-", " "))
        visitor.get_by_role("button", name="Check certificate").click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text("This certificate is valid")
        expect(visitor.get_by_role("main")).to_contain_text("Priya Teacher")
        expect(visitor.get_by_role("main")).to_contain_text("27 March 2026")
        expect(visitor.get_by_role("main")).not_to_contain_text("Dana Lead")
        axe_check(visitor)

        visitor.get_by_label("Verification code").fill("ACDE-3FGH-4JKM")
        visitor.get_by_role("button", name="Check certificate").click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text(
            "We could not find a certificate with that code"
        )
        axe_check(visitor)
    finally:
        context.close()


def test_a_lead_reviews_compliance_and_an_administrator_revokes(
    page: Page, school_practitioner, school_dsl, partnership_admin
):
    certificate = certificate_make(learner=school_practitioner, reviewer=school_dsl)
    totp_device_for(school_dsl)
    sign_in(page, school_dsl, check=False)
    page.get_by_role("link", name="Training compliance").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Training compliance")
    expect(page.get_by_role("table", name="People")).to_contain_text("Priya Teacher")
    axe_check(page)

    page.get_by_label("Training status").select_option(label="Not completed")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("table", name="People")).to_contain_text("Dana Lead")
    expect(page.get_by_role("table", name="People")).not_to_contain_text("Priya Teacher")
    axe_check(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these people as CSV").click()
    assert "Dana Lead" in Path(download_info.value.path()).read_text(encoding="utf-8-sig")

    page.context.clear_cookies()
    totp_device_for(partnership_admin)
    sign_in(page, partnership_admin, check=False)
    page.goto(f"/learning/certificates/{certificate.pk}/")
    axe_check(page)
    page.get_by_role("link", name="Revoke this certificate").click()
    page.get_by_role("button", name="Revoke certificate").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why the certificate is being revoked")
    axe_check(page)
    page.get_by_label("Why is this certificate being revoked?").fill("Issued in error")
    page.get_by_role("button", name="Revoke certificate").click()
    expect(page.get_by_role("alert")).to_contain_text("has been revoked")
    expect(page.get_by_role("main")).to_contain_text("Revoked")
    axe_check(page)
