import pytest
from playwright.sync_api import expect
from csehub.accounts.models import AgencyType, Role
from csehub.intelligence.services import report_share
from csehub.testing.browser import axe_check, open_page, sign_in
from csehub.testing.factories import AgencyFactory, UserFactory, totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TEXT = "a silver Audi, plate starting YX1, picked her up outside the takeaway, they call him Danny D, his number is 07700 900123"

def width(page, name):
    sw = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate("""() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 321).slice(0,5).map(e => e.tagName + '.' + e.className)""")
    print(name, sw, wide)

def test_shots(browser, live_server, partnership, police_analyst):
    youth = AgencyFactory(partnership=partnership, name="Testshire Youth Service", agency_type=AgencyType.YOUTH_SERVICE)
    worker = UserFactory(agency=youth, role=Role.PRACTITIONER, full_name="Yan Worker")
    totp_device_for(worker); totp_device_for(police_analyst)
    report = report_share(actor=worker, text=TEXT, how_known="saw_it", observed_at=None)
    page = open_page(browser, live_server.url)
    sign_in(page, worker, check=False)
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto("/intelligence/share/full/")
    page.get_by_label("What did you see, hear or get told?").fill(TEXT)
    page.get_by_role("button", name="Find details in the text", exact=True).click()
    page.get_by_role("button", name="Add a vehicle").click()
    print("focused:", page.evaluate("document.activeElement.id"))
    page.get_by_role("button", name="Add registration plate YX1*").click()
    page.screenshot(path="/tmp/intel_full_320.png", full_page=True)
    width(page, "full")
    page.get_by_role("button", name="Share with the police").click()
    page.screenshot(path="/tmp/intel_full_err_320.png", full_page=True)
    width(page, "full-errors")
    page.goto("/intelligence/")
    width(page, "mine")
    a = open_page(browser, live_server.url)
    a.goto("/sign-in/")
    a.screenshot(path="/tmp/signin_dbg.png")
    print(a.url, a.title())
    sign_in(a, police_analyst, check=False)
    a.set_viewport_size({"width": 320, "height": 700})
    a.goto("/intelligence/inbox/")
    width(a, "inbox")
    a.goto(f"/intelligence/inbox/{report.pk}/")
    a.get_by_role("button", name="Save grading and send message").click()
    a.screenshot(path="/tmp/intel_grade_err_320.png", full_page=True)
    width(a, "grade")
    a.set_viewport_size({"width": 1280, "height": 900})
    a.screenshot(path="/tmp/intel_grade_err_wide.png", full_page=True)
    for u in ("/learning/my-training/", "/learning/pledge/", "/learning/pledge/invite/"):
        page.goto(u); width(page, u)
