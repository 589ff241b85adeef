"""Sharing (quick and full forms, suggestions), the triage inbox, grading and access."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from csehub.accounts.models import AgencyType, Role
from csehub.audit.models import AuditEvent, Outcome
from csehub.intelligence.models import Grading, IntelligenceReport, ReportStatus
from csehub.intelligence.services import GradingAnswers, report_grade, report_share
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def youth_worker(partnership):
    youth = AgencyFactory(
        partnership=partnership,
        name="Testshire Youth Service",
        agency_type=AgencyType.YOUTH_SERVICE,
    )
    return UserFactory(agency=youth, role=Role.PRACTITIONER, full_name="Yan Worker")


def _share(user, text="A black BMW waits by the gate", **kw):
    return report_share(actor=user, text=text, how_known="saw_it", observed_at=None, **kw)


def _answers(**overrides):
    values = {
        "source_evaluation": "2",
        "intelligence_assessment": "B",
        "handling_code": "P",
        "outcome": "intelligence_record_created",
        "outcome_reference": "TS-INT-001",
        "feedback": "Thank you, this has been recorded.",
    }
    values.update(overrides)
    return values


def test_the_quick_form_shares_and_confirms_with_a_reference(school_practitioner):
    client = signed_in_client(school_practitioner)
    response = client.post(
        reverse("intelligence:share"),
        {
            "text": "An older lad gives Year 9 girls lifts",
            "observed_on_day": "2",
            "observed_on_month": "3",
            "observed_on_year": "2026",
            "observed_time": "21:30",
            "how_known": "was_told",
        },
        follow=True,
    )
    report = IntelligenceReport.objects.get()
    assert report.submitted_by == school_practitioner
    assert report.observed_time_known
    assert report.reference in response.content.decode()
    assert "Intelligence shared" in response.content.decode()


def test_the_quick_form_says_what_is_missing_and_keeps_the_text(school_practitioner):
    client = signed_in_client(school_practitioner)
    response = client.post(reverse("intelligence:share"), {"text": "Keep me"})
    page = response.content.decode()
    assert "Select how you know this" in page
    assert "Keep me" in page
    assert not IntelligenceReport.objects.exists()


TEXT = "Silver Audi, plate starting YX1, they call him Danny D, his number is 07700 900123"


def test_find_details_suggests_without_adding_anything(school_practitioner):
    client = signed_in_client(school_practitioner)
    response = client.post(reverse("intelligence:find-details"), {"text": TEXT})
    page = response.content.decode()
    assert "YX1*" in page and "Danny D" in page and "07700 900123" in page
    assert 'name="suggestion_add" value="plate:YX1*"' in page


def _full_post(client, **extra):
    data = {
        "text": TEXT,
        "how_known": "saw_it",
        **{
            f"{p}-TOTAL_FORMS": "0"
            for p in ("persons", "vehicles", "phones", "online", "locations")
        },
        **{
            f"{p}-INITIAL_FORMS": "0"
            for p in ("persons", "vehicles", "phones", "online", "locations")
        },
    }
    data.update(extra)
    return client.post(reverse("intelligence:share-full"), data)


def test_the_full_form_adds_only_confirmed_suggestions(school_practitioner):
    client = signed_in_client(school_practitioner)
    # Add the plate: the page comes back with a vehicle row filled in, no errors.
    response = _full_post(client, suggestion_add="plate:YX1*")
    page = response.content.decode()
    assert 'value="YX1*"' in page
    assert "There is a problem" not in page
    assert 'name="decided" value="plate:YX1*"' in page
    # Submit without deciding on the rest: asked to add or ignore them first.
    data = {
        "vehicles-TOTAL_FORMS": "1",
        "vehicles-0-plate": "YX1*",
        "decided": ["plate:YX1*"],
    }
    response = _full_post(client, submit="yes", **data)
    assert "Share without them" in response.content.decode()
    assert not IntelligenceReport.objects.exists()
    # Ignore the phone, then share without the nickname.
    response = _full_post(client, submit_anyway="yes", **data)
    assert response.status_code == 302
    report = IntelligenceReport.objects.get()
    assert [v.plate for v in report.vehicles.all()] == ["YX1*"]
    assert not report.phones.exists() and not report.persons.exists()


def test_an_added_nickname_fills_a_person_row_and_is_shared(school_practitioner):
    client = signed_in_client(school_practitioner)
    response = _full_post(client, suggestion_add="nickname:danny d")
    page = response.content.decode()
    assert 'name="persons-0-nickname"' in page and 'value="Danny D"' in page
    data = {"persons-TOTAL_FORMS": "1", "persons-0-nickname": "Danny D"}
    assert _full_post(client, submit_anyway="yes", **data).status_code == 302
    assert [p.nickname for p in IntelligenceReport.objects.get().persons.all()] == ["Danny D"]


def test_an_added_plate_brings_the_make_and_colour_written_beside_it(school_practitioner):
    client = signed_in_client(school_practitioner)
    response = _full_post(client, suggestion_add="plate:YX1*")
    page = response.content.decode()
    for name, value in (("plate", "YX1*"), ("make", "Audi"), ("colour", "silver")):
        assert re.search(rf'name="vehicles-0-{name}"[^>]*value="{re.escape(value)}"', page), name


def test_ignoring_a_suggestion_removes_it_from_the_list(school_practitioner):
    client = signed_in_client(school_practitioner)
    response = _full_post(client, suggestion_ignore="phone:+447700900123")
    page = response.content.decode()
    assert 'name="decided" value="phone:+447700900123"' in page
    assert 'value="phone:+447700900123"' not in page.replace(
        'name="decided" value="phone:+447700900123"', ""
    )


def test_removing_a_row_takes_it_off_the_page_and_keeps_the_others(school_practitioner):
    client = signed_in_client(school_practitioner)
    rows = {
        "vehicles-TOTAL_FORMS": "3",
        "vehicles-0-plate": "AB12 CDE",
        "vehicles-1-plate": "YX1*",
        "vehicles-2-plate": "KL34 MNO",
        "vehicles-2-colour": "Blue",
    }
    page = _full_post(client, remove="vehicles-1", **rows).content.decode()
    assert "YX1*" not in page.split('id="vehicles"')[1]
    assert 'name="vehicles-TOTAL_FORMS" value="2"' in page
    assert 'name="vehicles-0-plate" value="AB12 CDE"' in page
    assert 'name="vehicles-1-plate" value="KL34 MNO"' in page
    assert 'name="vehicles-1-colour" value="Blue"' in page
    assert "Vehicle 3" not in page


def test_the_full_form_without_javascript_finds_details(school_practitioner):
    client = signed_in_client(school_practitioner)
    page = _full_post(client, find="yes").content.decode()
    assert "We found 3 details" in page


def test_grading_sends_feedback_the_submitter_sees(
    school_practitioner, police_analyst, django_capture_on_commit_callbacks
):
    report = _share(school_practitioner)
    analyst = signed_in_client(police_analyst)
    inbox = analyst.get(reverse("intelligence:inbox") + "?status=submitted").content.decode()
    assert report.reference in inbox
    with django_capture_on_commit_callbacks(execute=True):
        response = analyst.post(
            reverse("intelligence:grade", args=[report.pk]), {**_answers(), "corrects": ""}
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.GRADED
    [email] = mail.outbox
    assert "responded to intelligence you shared" in email.body
    assert "BMW" not in email.body and school_practitioner.full_name not in email.body
    submitter = signed_in_client(school_practitioner)
    listing = submitter.get(reverse("intelligence:mine")).content.decode()
    assert "Thank you, this has been recorded." in listing and "New" in listing
    detail = submitter.get(reverse("intelligence:detail", args=[report.pk])).content.decode()
    assert "A police intelligence record was created" in detail
    assert "TS-INT-001" not in detail  # the police's own codes and references stay with them
    assert Grading.objects.get().submitter_read_at is not None


def test_an_intelligence_record_needs_its_reference_and_feedback_is_required(
    school_practitioner, police_analyst
):
    report = _share(school_practitioner)
    response = signed_in_client(police_analyst).post(
        reverse("intelligence:grade", args=[report.pk]),
        {**_answers(outcome_reference="", feedback=""), "corrects": ""},
    )
    page = response.content.decode()
    assert "Enter the reference of the intelligence record" in page
    assert "Write a short message to the person who shared it" in page
    assert not Grading.objects.exists()


def test_a_correction_keeps_the_first_grading(school_practitioner, police_analyst):
    report = _share(school_practitioner)
    first = report_grade(actor=police_analyst, report=report, answers=GradingAnswers(**_answers()))
    response = signed_in_client(police_analyst).post(
        reverse("intelligence:grade", args=[report.pk]),
        {**_answers(outcome="no_further_action", outcome_reference=""), "corrects": first.pk},
    )
    assert response.status_code == 302
    assert Grading.objects.count() == 2
    assert Grading.objects.get(corrects=first).outcome == "no_further_action"


def test_grading_twice_without_correcting_is_refused(school_practitioner, police_analyst):
    report = _share(school_practitioner)
    report_grade(actor=police_analyst, report=report, answers=GradingAnswers(**_answers()))
    response = signed_in_client(police_analyst).post(
        reverse("intelligence:grade", args=[report.pk]), {**_answers(), "corrects": ""}
    )
    assert "Someone else graded this report" in response.content.decode()
    assert Grading.objects.count() == 1


def test_a_partner_cannot_see_another_agencys_intelligence(school_practitioner, youth_worker):
    report = _share(youth_worker)
    response = signed_in_client(school_practitioner).get(
        reverse("intelligence:detail", args=[report.pk])
    )
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        actor=school_practitioner,
        target_type="intelligence_report",
        target_id=str(report.pk),
        outcome=Outcome.DENIED,
    ).exists()
    assert (
        report.reference
        not in signed_in_client(school_practitioner)
        .get(reverse("intelligence:mine"))
        .content.decode()
    )


def test_a_safeguarding_lead_sees_the_agencys_but_never_the_codes(
    school_practitioner, school_dsl, police_analyst
):
    report = _share(school_practitioner)
    report_grade(actor=police_analyst, report=report, answers=GradingAnswers(**_answers()))
    page = signed_in_client(school_dsl).get(reverse("intelligence:detail", args=[report.pk]))
    assert page.status_code == 200
    assert "Source evaluation" not in page.content.decode()
    assert (
        signed_in_client(school_dsl)
        .get(reverse("intelligence:grade", args=[report.pk]))
        .status_code
        == 403
    )


def test_a_practitioner_cannot_open_the_inbox(school_practitioner):
    response = signed_in_client(school_practitioner).get(reverse("intelligence:inbox"))
    assert response.status_code == 403


def test_viewing_a_report_is_audited(school_practitioner, police_analyst):
    report = _share(school_practitioner)
    signed_in_client(police_analyst).get(reverse("intelligence:grade", args=[report.pk]))
    assert AuditEvent.objects.filter(
        actor=police_analyst,
        verb="viewed",
        target_type="intelligence_report",
        target_id=str(report.pk),
        outcome=Outcome.ALLOWED,
    ).exists()


def test_the_inbox_filters_by_agency(school_practitioner, youth_worker, police_analyst):
    mine = _share(school_practitioner, text="From the school")
    theirs = _share(youth_worker, text="From the youth service")
    page = (
        signed_in_client(police_analyst)
        .get(reverse("intelligence:inbox") + f"?agency={youth_worker.agency_id}")
        .content.decode()
    )
    assert theirs.reference in page and mine.reference not in page
