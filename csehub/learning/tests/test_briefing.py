"""The Awareness Plus briefing: its content, the presenter and audience views, and recording
who attended. Every person is fictional."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from csehub.accounts.models import Role
from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.learning.models import (
    BriefingAttendance,
    BriefingSession,
    CourseKind,
    TrainingRecord,
    TrainingSource,
)
from csehub.learning.selectors.briefing import briefing_slides
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import UserFactory

from .briefing_setup import BRIEFING, briefing_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def briefing(db, tmp_path):
    return briefing_load(tmp_path)


def _present(number: int) -> str:
    return reverse("learning:briefing-present", args=[BRIEFING, number])


def _audience(number: int) -> str:
    return reverse("learning:briefing-audience", args=[BRIEFING, number])


def _record_url() -> str:
    return reverse("learning:briefing-session-create", args=[BRIEFING])


def _session_data(held_on: dt.date, agency, attendees, **extra) -> dict[str, object]:
    return {
        "held_on_day": str(held_on.day),
        "held_on_month": str(held_on.month),
        "held_on_year": str(held_on.year),
        "location": "Staff room, Elmfield Academy",
        "agency": str(agency.pk),
        "attendees": [str(person.pk) for person in attendees],
        "action": "save",
        **extra,
    }


# content


def test_the_briefing_loads_as_slides_each_with_points_and_presenter_notes(briefing):
    assert briefing.kind == CourseKind.BRIEFING
    slides = briefing_slides(course=briefing)
    assert 12 <= len(slides) <= 16
    titles = [slide.title for slide in slides]
    assert titles[1] == "What child sexual exploitation is"
    for slide in slides:
        assert any(block["type"] == "list" and block["items"] for block in slide.section.blocks)
        # A few paragraphs of notes, kept apart rather than run together.
        assert len(slide.section.presenter_notes.split("\n\n")) >= 2, slide.title
    definition = " ".join(slides[1].section.blocks[0]["items"])
    assert "under 18" in definition


# presenter and audience views


def test_the_presenter_view_shows_the_slide_its_notes_the_next_slide_and_the_number(
    briefing, school_dsl
):
    slides = briefing_slides(course=briefing)
    response = signed_in_client(school_dsl).get(_present(2))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Presenter view: slide 2 of {len(slides)}, {slides[1].title}" in html
    assert "Presenter notes" in html
    assert "legally consent to sex, which is 16" in html  # slide 2's notes
    assert "Next slide" in html and slides[2].title in html
    assert f'href="{_present(3)}" rel="next"' in html
    assert f'href="{_present(1)}" rel="prev"' in html
    assert reverse("learning:briefing-audience", args=[BRIEFING, 2]) in html
    assert 'src="/static/learning/briefing.js"' in html


def test_the_audience_view_shows_the_slide_but_never_the_notes(briefing, school_dsl):
    response = signed_in_client(school_dsl).get(_audience(2))
    assert response.status_code == 200
    html = response.content.decode()
    assert "What child sexual exploitation is" in html
    assert "Anyone under 18, including 16 and 17 year olds" in html
    assert "Presenter notes" not in html
    for slide in briefing_slides(course=briefing):
        assert slide.section.presenter_notes.split("\n\n")[0] not in html
    assert "data-app-fullscreen" in html
    assert f'href="{_audience(3)}" rel="next"' in html


def test_a_slide_that_does_not_exist_is_not_found(briefing, school_dsl):
    client = signed_in_client(school_dsl)
    total = len(briefing_slides(course=briefing))
    assert client.get(_present(total + 1)).status_code == 404
    assert client.get(_present(0)).status_code == 404
    assert client.get(reverse("learning:briefing-present", args=["no_such", 1])).status_code == 404


@pytest.mark.parametrize(
    "url_name", ["learning:briefing-present", "learning:briefing-audience"], ids=str
)
def test_a_practitioner_cannot_open_the_briefing_views(briefing, school_practitioner, url_name):
    response = signed_in_client(school_practitioner).get(reverse(url_name, args=[BRIEFING, 1]))
    assert response.status_code == 403
    assert signed_in_client(school_practitioner).get(_record_url()).status_code == 403


@pytest.mark.parametrize(
    "role", [Role.SAFEGUARDING_LEAD, Role.MACE_COORDINATOR, Role.PARTNERSHIP_ADMIN], ids=str
)
def test_leads_and_the_partnership_can_present(briefing, school, role):
    presenter = UserFactory(agency=school, role=role)
    assert signed_in_client(presenter).get(_present(1)).status_code == 200


# recording a session


def test_recording_a_session_puts_the_briefing_on_each_attendees_training_record(
    briefing, school_dsl, school_practitioner, police
):
    colleague = UserFactory(agency=school_dsl.agency, full_name="Casey Colleague")
    officer = UserFactory(agency=police, full_name="Robin Officer")
    held_on = dt.date(2026, 1, 15)
    client = signed_in_client(school_dsl)
    response = client.post(
        _record_url(),
        _session_data(held_on, school_dsl.agency, [school_practitioner, colleague, officer]),
    )
    session = BriefingSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:briefing-session-detail", args=[session.pk])
    assert session.presenter == school_dsl
    assert session.held_on == held_on
    assert session.location == "Staff room, Elmfield Academy"
    assert BriefingAttendance.objects.filter(session=session).count() == 3

    records = TrainingRecord.objects.filter(briefing_session=session)
    assert {r.user for r in records} == {school_practitioner, colleague, officer}
    for record in records:
        assert record.source == TrainingSource.BRIEFING_ATTENDANCE
        assert record.completed_on == held_on
        assert record.refresher_due_on == dt.date(2029, 1, 15)
    assert AuditEvent.objects.filter(
        actor=school_dsl, verb=Verb.CREATED, target_type="briefing_session", target_id=session.pk
    ).exists()
    assert (
        AuditEvent.objects.filter(
            actor=school_dsl, verb=Verb.CREATED, target_type="training_record"
        ).count()
        == 3
    )

    detail = client.get(response["Location"]).content.decode()
    assert "Session recorded: 3 people" in detail
    assert "Robin Officer" in detail and "Testshire Police" in detail

    # The attendee sees it on their own training record.
    mine = signed_in_client(school_practitioner).get(reverse("learning:my-training"))
    assert briefing.title in mine.content.decode()
    assert "15 January 2026" in mine.content.decode()


def test_a_future_date_is_refused_and_nothing_entered_is_lost(
    briefing, school_dsl, school_practitioner
):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = signed_in_client(school_dsl).post(
        _record_url(), _session_data(tomorrow, school_dsl.agency, [school_practitioner])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "The date of the briefing must be today or in the past" in html
    assert 'value="Staff room, Elmfield Academy"' in html
    assert f'value="{tomorrow.year}"' in html
    assert f'value="{school_practitioner.pk}" checked' in html
    assert not BriefingSession.objects.exists()
    assert not TrainingRecord.objects.exists()


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the date of the briefing"),
        ("31", "2", "2026", "Date of the briefing must be a real date"),
        ("3", "", "2026", "Date of the briefing must include a month"),
    ],
)
def test_the_date_must_be_a_real_whole_date(
    briefing, school_dsl, school_practitioner, day, month, year, message
):
    data = _session_data(timezone.localdate(), school_dsl.agency, [school_practitioner])
    data.update(held_on_day=day, held_on_month=month, held_on_year=year)
    response = signed_in_client(school_dsl).post(_record_url(), data)
    assert message in response.content.decode()
    assert 'href="#id_held_on_day"' in response.content.decode()
    assert not BriefingSession.objects.exists()


def test_someone_must_have_attended(briefing, school_dsl):
    response = signed_in_client(school_dsl).post(
        _record_url(), _session_data(timezone.localdate(), school_dsl.agency, [])
    )
    html = response.content.decode()
    assert "Select at least one person who attended" in html
    assert 'href="#id_attendees"' in html
    assert not BriefingSession.objects.exists()


def test_people_from_another_agency_are_added_to_the_list_without_losing_anything(
    briefing, school_dsl, school_practitioner, police
):
    UserFactory(agency=police, full_name="Robin Officer")
    client = signed_in_client(school_dsl)
    first = client.get(_record_url()).content.decode()
    assert school_practitioner.full_name in first
    assert "Robin Officer" not in first
    data = _session_data(timezone.localdate(), school_dsl.agency, [school_practitioner])
    data.update(action="show_agency", other_agency=str(police.pk))
    response = client.post(_record_url(), data)
    html = response.content.decode()
    assert "There is a problem" not in html
    assert "Robin Officer" in html
    assert f'value="{school_practitioner.pk}" checked' in html
    assert 'value="Staff room, Elmfield Academy"' in html
    assert f'name="shown" value="{police.pk}"' in html
    assert not BriefingSession.objects.exists()


def test_a_safeguarding_lead_records_sessions_only_for_their_own_agency(
    briefing, school_dsl, school_practitioner, police
):
    response = signed_in_client(school_dsl).post(
        _record_url(), _session_data(timezone.localdate(), police, [school_practitioner])
    )
    assert "Choose the agency the briefing was for" in response.content.decode()
    assert not BriefingSession.objects.exists()


def test_a_session_is_seen_by_its_agency_and_the_partnership_only(
    briefing, school_dsl, school_practitioner, police, partnership_admin
):
    session = signed_in_client(school_dsl).post(
        _record_url(),
        _session_data(timezone.localdate(), school_dsl.agency, [school_practitioner]),
    )
    url = session["Location"]
    assert signed_in_client(partnership_admin).get(url).status_code == 200
    police_lead = UserFactory(agency=police, role=Role.SAFEGUARDING_LEAD)
    assert signed_in_client(police_lead).get(url).status_code == 404
    assert AuditEvent.objects.filter(
        actor=police_lead, target_type="briefing_session", outcome=Outcome.DENIED
    ).exists()
    listing = signed_in_client(school_dsl).get(reverse("learning:briefing-list")).content.decode()
    assert "Start presenting" in listing and url in listing
