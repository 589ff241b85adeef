"""The information governance pages: searching the audit log and downloading it as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse

from csehub.accounts.models import AgencyType, Role
from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.audit.services import audit_record
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import AgencyFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("audit:search")
EXPORT = reverse("audit:export")


def _rows(body: str) -> int:
    """Rows in the results table, not counting the header row."""
    return body.count('<tr class="govuk-table__row">') - 1


@pytest.fixture
def events(school_practitioner, social_worker):
    with time_machine.travel(dt.datetime(2025, 3, 1, 10, 0, tzinfo=dt.UTC), tick=False):
        audit_record(
            actor=school_practitioner, verb=Verb.VIEWED, target_type="concern", target_id="R-1001"
        )
    with time_machine.travel(dt.datetime(2025, 3, 5, 10, 0, tzinfo=dt.UTC), tick=False):
        audit_record(
            actor=social_worker, verb=Verb.UPDATED, target_type="referral", target_id="R-2002"
        )
    with time_machine.travel(dt.datetime(2025, 3, 9, 10, 0, tzinfo=dt.UTC), tick=False):
        audit_record(
            actor=school_practitioner,
            verb=Verb.VIEWED,
            target_type="referral",
            target_id="R-3003",
            outcome=Outcome.DENIED,
        )
        # A failed sign-in to one of this partnership's accounts: no actor, but its partnership.
        audit_record(
            actor=None,
            verb=Verb.SIGN_IN_FAILED,
            target_type="sign_in",
            target_id="R-4004",
            outcome=Outcome.DENIED,
            partnership=school_practitioner.partnership,
        )


@pytest.fixture
def ig(ig_officer):
    return signed_in_client(ig_officer)


def test_search_shows_events_newest_first_with_who_what_and_outcome(ig, events):
    body = ig.get(SEARCH).content.decode()
    assert '<h1 class="govuk-heading-l">Audit log</h1>' in body
    assert "4 events recorded" in body
    assert "Priya Teacher" in body and "Sam Worker" in body and "Not signed in" in body
    assert "Concern R-1001" in body and "Referral R-2002" in body
    assert body.index("R-4004") < body.index("R-3003") < body.index("R-2002") < body.index("R-1001")
    assert "Sign-in failed" in body and "Denied" in body
    assert (
        "1 Mar 2025 10:00:00" in body
    )  # London time equals UTC in March before the clocks go forward


def test_searching_is_itself_audited_with_filter_names_but_no_values(
    ig, ig_officer, events, social_worker
):
    ig.get(SEARCH, {"user": social_worker.pk, "verb": "updated", "record_id": "R-2002"})
    searched = AuditEvent.objects.get(verb=Verb.SEARCHED)
    assert searched.actor_id == ig_officer.pk
    assert searched.target_type == "audit_log"
    assert searched.detail == {"filters": ["record_id", "user", "verb"]}
    assert "R-2002" not in str(searched.detail)


@pytest.mark.parametrize(
    ("filters", "shown", "hidden"),
    [
        ({"verb": "updated"}, ["R-2002"], ["R-1001", "R-3003", "R-4004"]),
        ({"outcome": "denied"}, ["R-3003", "R-4004"], ["R-1001", "R-2002"]),
        ({"record_type": "referral"}, ["R-2002", "R-3003"], ["R-1001", "R-4004"]),
        ({"record_type": "referral", "record_id": "R-3003"}, ["R-3003"], ["R-2002", "R-1001"]),
        (
            {
                "from_day": "4",
                "from_month": "3",
                "from_year": "2025",
                "to_day": "5",
                "to_month": "3",
                "to_year": "2025",
            },
            ["R-2002"],
            ["R-1001", "R-3003"],
        ),
        ({"to_day": "1", "to_month": "3", "to_year": "2025"}, ["R-1001"], ["R-2002", "R-3003"]),
    ],
)
def test_filters_narrow_the_results_and_stay_filled_in(ig, events, filters, shown, hidden):
    body = ig.get(SEARCH, filters).content.decode()
    for target in shown:
        assert target in body
    for target in hidden:
        assert target not in body
    assert f"{len(shown)} event{'s' if len(shown) > 1 else ''} match" in body
    for value in filters.values():
        assert f'value="{value}"' in body


def test_filter_by_chosen_user_or_by_email(ig, events, social_worker):
    by_choice = ig.get(SEARCH, {"user": social_worker.pk}).content.decode()
    by_email = ig.get(SEARCH, {"email": social_worker.email.upper()}).content.decode()
    for body in (by_choice, by_email):
        assert "R-2002" in body
        assert "R-1001" not in body and "R-4004" not in body
    assert f'<option value="{social_worker.pk}" selected>' in by_choice


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (
            {"from_day": "31", "from_month": "2", "from_year": "2025"},
            "The start date must be a real date",
        ),
        (
            {"from_day": "x", "from_month": "2", "from_year": "2025"},
            "The start date must be a real date",
        ),
        ({"from_day": "1", "from_year": "2025"}, "The start date must include a month"),
        (
            {"to_day": "1", "to_month": "2", "to_year": "25"},
            "The year of the end date must have 4 numbers",
        ),
        (
            {
                "from_day": "10",
                "from_month": "3",
                "from_year": "2025",
                "to_day": "1",
                "to_month": "3",
                "to_year": "2025",
            },
            "The end date must be after the start date",
        ),
        (
            {"from_day": "1", "from_month": "1", "from_year": "0001"},
            "The start date must be between 1900 and 2999",
        ),
        ({"email": "someone@nowhere.test"}, "No one in your partnership has that email address"),
    ],
)
def test_bad_filters_get_a_specific_message_and_keep_the_answers(ig, events, filters, message):
    response = ig.get(SEARCH, filters)
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert body.count(message) == 2  # in the error summary and next to the field
    assert "govuk-form-group--error" in body
    assert "<title>Error: Audit log - CSE Hub" in body
    for value in filters.values():
        assert f'value="{value}"' in body
    assert "govuk-table" not in body  # no results until the filters make sense
    assert not AuditEvent.objects.filter(verb=Verb.SEARCHED).exists()


def test_results_come_in_pages_of_fifty_that_do_not_shift(ig, school_practitioner):
    for number in range(120):
        audit_record(
            actor=school_practitioner,
            verb=Verb.VIEWED,
            target_type="concern",
            target_id=f"C-{number:03d}",
        )

    first = ig.get(SEARCH).content.decode()
    assert "120 events recorded" in first
    assert "Showing 1 to 50, newest first" in first
    assert _rows(first) == 50
    assert 'class="govuk-pagination"' in first and 'aria-current="page"' in first
    assert "C-119" in first and "C-070" in first and "C-069" not in first

    # New events (including the search just recorded) arrive, but page 3 is the same page 3.
    audit_record(
        actor=school_practitioner, verb=Verb.VIEWED, target_type="concern", target_id="C-NEW"
    )
    next_href = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    third_href = next_href.replace("&amp;", "&").replace("page=2", "page=3")
    third = ig.get(SEARCH + third_href).content.decode()
    assert "Showing 101 to 120, newest first" in third
    assert _rows(third) == 20
    assert "C-019" in third and "C-000" in third and "C-NEW" not in third
    assert "<title>Audit log (page 3 of 3)" in third


def test_a_mangled_page_address_still_shows_results(ig, events):
    response = ig.get(SEARCH, {"until": "²", "page": "x"})
    assert response.status_code == 200
    assert "R-4004" in response.content.decode()


def test_practitioner_is_refused_and_the_attempt_is_recorded(school_practitioner):
    client = signed_in_client(school_practitioner)
    assert client.get(SEARCH).status_code == 403
    assert client.get(EXPORT).status_code == 403
    denied = AuditEvent.objects.filter(actor=school_practitioner, outcome=Outcome.DENIED)
    assert set(denied.values_list("target_id", flat=True)) == {"audit:search", "audit:export"}


def _export_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))


def test_export_streams_csv_with_formulas_made_harmless(ig, ig_officer, school_practitioner):
    audit_record(
        actor=school_practitioner,
        verb=Verb.VIEWED,
        target_type="concern",
        target_id='=HYPERLINK("http://example.test","click")',
    )
    audit_record(
        actor=school_practitioner, verb=Verb.VIEWED, target_type="concern", target_id="@SUM(A1)"
    )

    body = ig.get(SEARCH).content.decode()
    assert "Download these results as CSV" in body

    response = ig.get(EXPORT, {"record_type": "concern"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    rows = _export_rows(response)
    assert rows[0][:4] == ["Event number", "Time", "User id", "User"]
    record_ids = [row[6] for row in rows[1:]]
    assert record_ids == ["'@SUM(A1)", '\'=HYPERLINK("http://example.test","click")']
    assert {row[3] for row in rows[1:]} == {"Priya Teacher"}

    exported = AuditEvent.objects.get(verb=Verb.EXPORTED)
    assert exported.actor_id == ig_officer.pk
    assert exported.detail == {"filters": ["record_type"], "rows": 2}


def test_export_with_bad_filters_goes_back_to_the_search_page(ig, events):
    response = ig.get(EXPORT, {"from_day": "31", "from_month": "2", "from_year": "2025"})
    assert response.status_code == 302
    page = ig.get(response.url).content.decode()
    assert "The start date must be a real date" in page
    assert not AuditEvent.objects.filter(verb=Verb.EXPORTED).exists()


def test_information_governance_of_another_partnership_sees_only_their_own(
    events, school_practitioner
):
    elsewhere = PartnershipFactory(slug="elsewhere", name="Elsewhere Safeguarding Partnership")
    agency = AgencyFactory(
        partnership=elsewhere,
        name="Elsewhere Council",
        agency_type=AgencyType.CHILDRENS_SOCIAL_CARE,
    )
    their_ig = UserFactory(
        agency=agency, role=Role.INFORMATION_GOVERNANCE, full_name="Casey Records"
    )
    their_worker = UserFactory(agency=agency, role=Role.SOCIAL_WORKER, full_name="Robin Elsewhere")
    audit_record(actor=their_worker, verb=Verb.VIEWED, target_type="concern", target_id="E-5005")
    audit_record(
        actor=None,
        verb=Verb.SIGN_IN_FAILED,
        target_type="api_token",
        target_id="E-6006",
        outcome=Outcome.DENIED,
        partnership=elsewhere,
    )
    # Events that belong to no known partnership (a token nobody holds) are nobody's to see.
    audit_record(
        actor=None,
        verb=Verb.SIGN_IN_FAILED,
        target_type="api_token",
        target_id="N-7007",
        outcome=Outcome.DENIED,
    )
    client = signed_in_client(their_ig)

    body = client.get(SEARCH).content.decode()
    assert "E-5005" in body and "Robin Elsewhere" in body and "E-6006" in body
    # Another partnership's events with no actor (failed sign-ins with addresses) stay hidden.
    for theirs in ("R-1001", "R-2002", "R-3003", "R-4004", "N-7007", "Priya Teacher", "Sam Worker"):
        assert theirs not in body

    refused = client.get(SEARCH, {"user": school_practitioner.pk}).content.decode()
    assert "Select a user from the list" in refused
    assert "R-1001" not in refused

    rows = _export_rows(client.get(EXPORT))
    # Their own searches are in it too (record type audit_log); this partnership's events are not.
    assert {row[6] for row in rows[1:] if row[5] != "audit_log"} == {"E-5005", "E-6006"}
