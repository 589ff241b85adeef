"""From a partial plate to the network, in a real browser, with an axe scan of every page.

Children's Services shared two reports about a girl some weeks ago (their case system's bulk
file): in one, a silver Audi YX12 ABC collected her; an analyst has since joined her two mentions
into one child. Now a youth worker in another agency shares what they saw. The details found in
the text are offered, the youth worker adds the partial plate and the nickname, and on sharing
sees at once that the plate matches a vehicle another agency already knows, why and with what
weight (but nothing of the other report). The police analyst sees the link in the triage inbox,
grades the report, confirms the link, and finds the car and the man called Danny D in the network
around the girl. The youth worker reads what became of what they shared.
"""

from __future__ import annotations

import json
import re
from typing import cast

import pytest
from playwright.sync_api import Page, Response, expect

from csehub.accounts.models import AgencyType, Role, User
from csehub.intelligence import services as intelligence_services
from csehub.intelligence.models import IntelligenceReport
from csehub.linking import services as linking_services
from csehub.linking.models import LinkSuggestion, MentionEntity, SuggestionStatus
from csehub.testing.browser import axe_check, open_page, sign_in
from csehub.testing.factories import AgencyFactory, UserFactory, totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = (
    "A silver Audi, plate starting YX1, picked her up outside the takeaway on Mill Lane. "
    "They call him Danny D."
)
MESSAGE = "Thank you. The car is known to us and we are acting on what you told us."


@pytest.fixture
def youth_worker(partnership) -> User:
    youth = AgencyFactory(
        partnership=partnership,
        name="Testshire Youth Service",
        agency_type=AgencyType.YOUTH_SERVICE,
    )
    worker = cast(User, UserFactory(agency=youth, role=Role.PRACTITIONER, full_name="Yan Worker"))
    totp_device_for(worker)
    return worker


@pytest.fixture
def known_earlier(partnership, council, police_analyst) -> dict[str, str]:
    """Children's Services' two earlier reports, from their case system's bulk file, and the
    analyst's earlier decision that both mention the same girl."""
    source = council.name  # the agency's name: the import files the reports under it
    lines = [
        {
            "id": "CS-0101",
            "source": source,
            "text": "Seen getting into a silver Audi after school.",
            "children": [{"ref": "c1", "name": "Amy Testchild", "dob": "2012-05-06"}],
            "vehicles": [{"ref": "v1", "plate": "YX12 ABC", "make": "Audi", "colour": "silver"}],
        },
        {
            "id": "CS-0102",
            "source": source,
            "text": "Missing overnight, returned by taxi.",
            "children": [{"ref": "c1", "name": "Amy Testchild", "dob": "2012-05-06"}],
        },
    ]
    summary = intelligence_services.reports_import(
        lines=[json.dumps(line) for line in lines], partnership=partnership
    )
    assert summary.imported == 2, summary.skipped
    same_child = LinkSuggestion.objects.get(entity_type="child")
    decision = linking_services.suggestion_confirm(
        actor=police_analyst, suggestion=same_child, notify=False
    )
    assert decision.entity is not None
    return {"child": decision.entity.reference, "vehicle": "CS-0101/v1"}


def _heading(page: Page, text: str | re.Pattern[str]) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def _is_find_details(response: Response) -> bool:
    return response.url.endswith("/intelligence/share/find-details/")


def test_a_partial_plate_from_a_youth_worker_reaches_the_network_of_a_known_child(
    browser, live_server, youth_worker, police_analyst, known_earlier
):
    # The youth worker shares what they saw with the full form.
    worker = open_page(browser, live_server.url)
    sign_in(worker, youth_worker, check=False)
    worker.get_by_role("link", name="Shared intelligence").first.click()
    worker.get_by_role("button", name="Share a single observation").click()
    worker.get_by_role("link", name="Use the full form").click()
    _heading(worker, "Share intelligence")
    axe_check(worker)

    # The details in the text are suggested as it is typed; nothing is added until confirmed.
    text = worker.get_by_label("What did you see, hear or get told?")
    with worker.expect_response(_is_find_details):
        text.fill(TEXT)
    with worker.expect_response(_is_find_details):
        worker.keyboard.press("Tab")
    found = worker.get_by_role("table", name="Details found in the text")
    expect(found).to_contain_text("YX1*")
    expect(found).to_contain_text("Danny D")
    expect(worker.get_by_role("group", name="Vehicle 1")).to_have_count(0)
    axe_check(worker)

    worker.get_by_role("button", name="Add registration plate YX1*").click()
    expect(worker.get_by_role("status")).to_have_text("Added registration plate YX1*.")
    vehicle = worker.get_by_role("group", name="Vehicle 1")
    expect(vehicle.get_by_label("Registration plate (optional)")).to_have_value("YX1*")
    vehicle.get_by_label("Colour (optional)").fill("Silver")
    vehicle.get_by_label("Make and model (optional)").fill("Audi")
    worker.get_by_role("button", name="Add nickname Danny D").click()
    expect(worker.get_by_role("status")).to_have_text("Added nickname Danny D.")
    person = worker.get_by_role("group", name="Person 1")
    expect(person.get_by_label("Nickname or name they use (optional)")).to_have_value("Danny D")
    axe_check(worker)
    # Anything else found in the text is a decision for the youth worker, not added silently.
    while worker.get_by_role("button", name=re.compile(r"^Ignore ")).count():
        worker.get_by_role("button", name=re.compile(r"^Ignore ")).first.click()
        expect(worker.get_by_role("status")).to_contain_text("Ignored")
    worker.get_by_label("I saw or heard it myself").check()
    worker.get_by_role("button", name="Share with the police").click()

    # On sharing: the plate matches a car another agency knows, with why and the weight.
    _heading(worker, "Intelligence shared")
    report = IntelligenceReport.objects.get(submitted_by=youth_worker)
    expect(worker.locator(".govuk-panel")).to_contain_text(report.reference)
    mine = f"{report.external_id}/{report.vehicles.get().ref}"
    suggestion = LinkSuggestion.objects.get(mention_id=mine, target_mention_id="CS-0101/v1")
    links = worker.get_by_role("table", name="Details that match something already known")
    row = links.get_by_role("row").filter(has_text="YX1*")
    expect(row).to_contain_text("A vehicle already known from another agency")
    expect(row).to_contain_text("Registration plate: partial plate fits")
    expect(row.get_by_role("cell").nth(2)).to_have_text(str(suggestion.percent))
    # Nothing of the other agency's report: not its reference, not the full plate.
    main = worker.get_by_role("main")
    expect(main).not_to_contain_text("CS-0101")
    expect(main).not_to_contain_text("YX12")
    expect(main).not_to_contain_text("Children's Services")
    axe_check(worker)

    # The analyst sees the link in the triage inbox, and why on the report's page.
    analyst = open_page(browser, live_server.url)
    totp_device_for(police_analyst)
    sign_in(analyst, police_analyst, check=False)
    analyst.get_by_role("link", name="Intelligence inbox").first.click()
    _heading(analyst, "Intelligence inbox")
    inbox_row = analyst.get_by_role("row").filter(has_text=report.reference)
    expect(inbox_row).to_contain_text(f"1 link, strongest weight {suggestion.percent}")
    axe_check(analyst)
    inbox_row.get_by_role("link", name=report.reference).click()
    _heading(analyst, f"Grade {report.reference}")
    link_table = analyst.get_by_role("table", name="Suggested and decided links")
    link_row = link_table.get_by_role("row").filter(has_text="CS-0101/v1")
    expect(link_row).to_contain_text("Partial plate fits (plate): YX1* fits YX12ABC")
    expect(link_row.get_by_role("cell").nth(2)).to_have_text(str(suggestion.percent))
    axe_check(analyst)

    # Grading (3x5x2), the outcome and the message for the youth worker.
    analyst.get_by_label("1: Reliable").check()
    analyst.get_by_label("B: Known to the source, not to the officer").check()
    analyst.get_by_label("P: Sharing permitted", exact=True).check()
    analyst.get_by_label("A police intelligence record was created").check()
    analyst.get_by_label("Reference (needed when an intelligence record was created)").fill(
        "TS-INT-0077"
    )
    analyst.get_by_label("Message to the person who shared it").fill(MESSAGE)
    analyst.get_by_role("button", name="Save grading and send message").click()
    expect(analyst.get_by_role("alert")).to_contain_text("Grading saved")
    expect(analyst.get_by_role("table", name="Gradings, latest first")).to_contain_text("1 B P")
    axe_check(analyst)

    # The analyst confirms the link: the two mentions of the car become one vehicle.
    link_row.get_by_role("button", name=f"Confirm link from {mine} to CS-0101/v1").click()
    expect(analyst.get_by_text("Link confirmed")).to_be_visible()
    expect(link_row).to_contain_text("Confirmed")
    axe_check(analyst)
    car = MentionEntity.objects.get(mention_id="CS-0101/v1").entity
    assert MentionEntity.objects.get(mention_id=mine).entity == car
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.CONFIRMED

    # From the car to its network, and from there to the girl's: the car and Danny D.
    link_row.get_by_role("link", name=car.reference).first.click()
    expect(analyst.get_by_role("heading", level=1)).to_contain_text(car.reference)
    axe_check(analyst)
    analyst.get_by_role("link", name=f"See the network around {car.reference}").click()
    expect(analyst.get_by_role("heading", level=1)).to_contain_text(
        f"Network around {car.reference}"
    )
    nodes = analyst.locator('table[data-table="nodes"]')
    expect(nodes).to_contain_text(known_earlier["child"])
    expect(nodes).to_contain_text("Danny D")
    axe_check(analyst)
    nodes.get_by_role("link", name=re.compile(known_earlier["child"])).click()
    expect(analyst.get_by_role("heading", level=1)).to_contain_text(
        f"Network around {known_earlier['child']}"
    )
    expect(nodes).to_contain_text(car.reference)
    axe_check(analyst)
    analyst.get_by_role("link", name="Show one more step").click()
    expect(nodes).to_contain_text(car.reference)
    expect(nodes.get_by_role("row").filter(has_text="Danny D")).to_contain_text("Person")
    axe_check(analyst)
    analyst.context.close()

    # The youth worker reads what became of it.
    worker.get_by_role("link", name="Shared intelligence").first.click()
    table = worker.get_by_role("table", name="Shared, newest first")
    expect(table.get_by_role("row").filter(has_text=report.reference)).to_contain_text(
        "A police intelligence record was created: Thank you."
    )
    axe_check(worker)
    worker.get_by_role("link", name=report.reference).click()
    _heading(worker, f"Intelligence {report.reference}")
    expect(worker.get_by_role("main")).to_contain_text(MESSAGE)
    axe_check(worker)
    worker.context.close()
