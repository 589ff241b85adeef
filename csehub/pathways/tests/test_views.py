"""The Pathway page and the contact directory, as a signed-in practitioner sees them."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from csehub.testing.clients import signed_in_client

pytestmark = pytest.mark.django_db

PATHWAY = reverse("pathways:pathway")
CONTACTS = reverse("pathways:contacts")
LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize("url", [PATHWAY, CONTACTS])
def test_anonymous_users_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_the_pathway_page_starts_with_immediate_danger(shipped, fernbridge_practitioner):
    response = signed_in_client(fernbridge_practitioner).get(PATHWAY)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Fernbridge referral pathway for child exploitation" in page
    assert "Is the child in immediate danger?" in page
    assert 'type="radio"' in page
    assert "The whole pathway" in page
    assert "Example configuration" not in page


def test_walking_the_pathway_shows_outcomes_and_who_to_call(shipped, fernbridge_practitioner):
    with time_machine.travel(datetime.datetime(2026, 11, 27, 16, 45, tzinfo=LONDON), tick=False):
        response = signed_in_client(fernbridge_practitioner).get(
            PATHWAY,
            {
                "partnership": "fernbridge",
                "immediate_danger": "no",
                "warning_signs_identified": "yes",
                "allocated_social_worker": "yes",
            },
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert "What to do" in page
    assert "Refer to children&#x27;s social care" in page
    assert "Send to the allocated social worker for information" in page
    assert "Send to the police referral desk" in page
    # Friday 16:45: the front door has closed, so its out-of-hours line is shown.
    assert "closes at 16:30 on Fridays, so this is the out-of-hours line" in page
    assert "01632 960999" in page
    assert "01632 960200" in page  # the police desk is open round the clock


def test_immediate_danger_shows_999_before_the_next_question(shipped, fernbridge_practitioner):
    response = signed_in_client(fernbridge_practitioner).get(
        PATHWAY, {"immediate_danger": "yes", "asked": "immediate_danger"}
    )
    main = response.content.decode().split('id="main-content"')[1]
    assert main.index("Call 999") < main.index("Have you identified warning signs")


def test_continuing_without_an_answer_shows_an_error(shipped, fernbridge_practitioner):
    response = signed_in_client(fernbridge_practitioner).get(
        PATHWAY, {"immediate_danger": "no", "asked": "warning_signs_identified"}
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Select an answer to the question: Have you identified warning signs" in page
    assert "<title>Error:" in page


def test_an_example_partnership_is_marked_as_an_example(shipped, fernbridge_practitioner):
    client = signed_in_client(fernbridge_practitioner)
    page = client.get(PATHWAY, {"partnership": "southwark"}).content.decode()
    assert "Example configuration" in page
    assert "Multi-agency referral pathway for child sexual exploitation" in page
    contacts = client.get(CONTACTS, {"partnership": "leeds"}).content.decode()
    assert "Example configuration" in contacts
    assert "0113 3760336" in contacts
    assert "assumed office hours" in contacts


def test_another_live_partnership_is_not_shown(shipped, school_practitioner):
    # school_practitioner belongs to Testshire; Fernbridge is live, not an example.
    response = signed_in_client(school_practitioner).get(PATHWAY, {"partnership": "fernbridge"})
    assert response.status_code == 404


def test_a_partnership_without_a_pathway_gets_a_plain_message(shipped, school_practitioner):
    response = signed_in_client(school_practitioner).get(PATHWAY)
    page = response.content.decode()
    assert response.status_code == 200
    assert "No referral pathway has been loaded" in page
    assert "North Lincolnshire (example)" in page  # examples are offered


def test_the_contact_directory_shows_who_to_call_now_and_hours(shipped, fernbridge_practitioner):
    with time_machine.travel(datetime.datetime(2026, 12, 25, 10, 0, tzinfo=LONDON), tick=False):
        response = signed_in_client(fernbridge_practitioner).get(CONTACTS)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Who to call now" in page
    assert "It is a bank holiday (Christmas Day)" in page
    assert "Call 01632 960999" in page
    assert "Opening hours of the children&#x27;s front door" in page
    assert "08:30 to 16:30" in page
    assert "If a child is in immediate danger, call 999 first." in page


def test_north_lincolnshire_directory_on_a_friday_afternoon(shipped, fernbridge_practitioner):
    query = {"partnership": "north-lincolnshire"}
    # Sessions have a time limit, so each client signs in at the frozen time it is used.
    with time_machine.travel(datetime.datetime(2026, 11, 27, 16, 29, tzinfo=LONDON), tick=False):
        before = signed_in_client(fernbridge_practitioner).get(CONTACTS, query).content.decode()
    with time_machine.travel(datetime.datetime(2026, 11, 27, 16, 31, tzinfo=LONDON), tick=False):
        after = signed_in_client(fernbridge_practitioner).get(CONTACTS, query).content.decode()
    assert "Call 01724 296500" in before
    assert "Call 01724 296555" in after


def test_who_to_call_at_a_chosen_moment_as_the_command_answers(shipped, fernbridge_practitioner):
    # Asked on a Monday morning: "what if I ring the front door at 16:45 on Friday?"
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0, tzinfo=LONDON), tick=False):
        response = signed_in_client(fernbridge_practitioner).get(
            CONTACTS, {"partnership": "fernbridge", "on": "27/11/2026", "at": "16:45"}
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Who to call at 16:45 on Friday 27 November 2026" in page
    assert "closes at 16:30 on Fridays, so this is the out-of-hours line" in page
    assert "Back to now" in page


def test_a_chosen_moment_can_be_another_partnerships_directory(shipped, fernbridge_practitioner):
    response = signed_in_client(fernbridge_practitioner).get(
        CONTACTS, {"partnership": "north-lincolnshire", "on": "25/12/2026", "at": "10:00"}
    )
    page = response.content.decode()
    assert "Who to call at 10:00 on Friday 25 December 2026" in page
    assert "bank holiday (Christmas Day)" in page


def test_a_date_without_a_time_is_refused_and_the_advice_stays_for_now(
    shipped, fernbridge_practitioner
):
    response = signed_in_client(fernbridge_practitioner).get(
        CONTACTS, {"partnership": "fernbridge", "on": "27/11/2026", "at": ""}
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter both a date and a time, or neither to see who to call now" in page
    assert "Who to call now" in page


def test_where_fernbridge_departs_from_the_seed_flowchart_the_page_says_why(
    shipped, fernbridge_practitioner
):
    response = signed_in_client(fernbridge_practitioner).get(
        PATHWAY,
        {
            "partnership": "fernbridge",
            "immediate_danger": "no",
            "warning_signs_identified": "yes",
            "allocated_social_worker": "no",
        },
    )
    page = response.content.decode()
    assert "Send to the police referral desk" in page
    assert "Where this pathway differs from the seed pathway, and why" in page
    assert "a child with no social worker has no one else" in page


def test_a_pathway_that_follows_the_seed_claims_no_difference(shipped, fernbridge_practitioner):
    page = (
        signed_in_client(fernbridge_practitioner)
        .get(PATHWAY, {"partnership": "southwark"})
        .content.decode()
    )
    assert "differs from the seed pathway" not in page


def test_the_whole_pathway_reads_as_written(shipped, fernbridge_practitioner):
    page = signed_in_client(fernbridge_practitioner).get(PATHWAY).content.decode()
    tree = page.split("The whole pathway")[1]
    assert "If “I do not know”:" in tree
    assert "If i do not know" not in tree
    # The first question is a GOV.UK paragraph, so it is in the service's typeface.
    assert (
        '<p class="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">'
        "Is the child in immediate danger?</p>" in tree
    )
