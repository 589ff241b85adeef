"""Training records: My training, refresher reminders, and compliance for leads and partnership."""

from __future__ import annotations

import csv
import datetime as dt
import io
import smtplib

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from csehub.accounts.models import AgencyType, Role
from csehub.audit.models import AuditEvent, Verb
from csehub.learning.models import RefresherReminder
from csehub.learning.selectors.records import TrainingStatus, training_status
from csehub.learning.services import records as records_services
from csehub.learning.services.records import refresher_reminders_send
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import AgencyFactory, UserFactory

from .certificate_setup import course_make, record_make

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def today(time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC), tick=False)
    return TODAY


@pytest.mark.parametrize(
    ("due_on", "status"),
    [
        (None, TrainingStatus.NEVER),
        (TODAY + dt.timedelta(days=61), TrainingStatus.COMPLETED),
        (TODAY + dt.timedelta(days=60), TrainingStatus.DUE_SOON),
        (TODAY, TrainingStatus.DUE_SOON),
        (TODAY - dt.timedelta(days=1), TrainingStatus.OVERDUE),
    ],
)
def test_training_status(due_on, status):
    assert training_status(due_on=due_on, today=TODAY) == status


# My training -------------------------------------------------------------------------------


def test_my_training_shows_courses_certificates_and_refresher_tags(
    today, school_practitioner, school_dsl
):
    overdue = course_make("course_overdue", "Overdue course")
    due_soon = course_make("course_due_soon", "Due soon course")
    course_make("course_never", "Course never taken")
    record_make(
        learner=school_practitioner,
        reviewer=school_dsl,
        course=overdue,
        completed_on=dt.date(2023, 5, 1),
        due_on=dt.date(2026, 5, 1),
    )
    record_make(
        learner=school_practitioner,
        reviewer=school_dsl,
        course=due_soon,
        completed_on=dt.date(2023, 7, 1),
        due_on=dt.date(2026, 7, 1),
    )
    response = signed_in_client(school_practitioner).get(reverse("learning:my-training"))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">My training</h1>' in page
    assert "Overdue</strong>" in page
    assert "Due soon</strong>" in page
    assert "Not completed</strong>" in page
    assert "1 July 2026" in page


# Refresher reminders -----------------------------------------------------------------------


def _remind_on(time_machine, day: dt.date) -> int:
    time_machine.move_to(dt.datetime.combine(day, dt.time(6, 0), tzinfo=dt.UTC), tick=False)
    # The emails wait for the commit, which the test's own transaction never makes.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return refresher_reminders_send()


def test_reminders_go_once_at_60_30_and_0_days(time_machine, school_practitioner, school_dsl):
    record = record_make(
        learner=school_practitioner,
        reviewer=school_dsl,
        course=course_make(),
        completed_on=dt.date(2023, 9, 1),
        due_on=dt.date(2026, 9, 1),
    )
    assert _remind_on(time_machine, dt.date(2026, 7, 2)) == 0  # 61 days before
    assert _remind_on(time_machine, dt.date(2026, 7, 3)) == 1  # 60 days before
    assert _remind_on(time_machine, dt.date(2026, 7, 3)) == 0  # the same day again
    assert _remind_on(time_machine, dt.date(2026, 7, 20)) == 0
    assert _remind_on(time_machine, dt.date(2026, 8, 2)) == 1  # 30 days before
    assert _remind_on(time_machine, dt.date(2026, 8, 3)) == 0
    assert _remind_on(time_machine, dt.date(2026, 9, 1)) == 1  # on the day
    assert _remind_on(time_machine, dt.date(2026, 10, 1)) == 0  # overdue: already told
    assert sorted(
        RefresherReminder.objects.filter(record=record).values_list("days_before", flat=True)
    ) == [0, 30, 60]
    assert len(mail.outbox) == 3
    assert all(message.to == [school_practitioner.email] for message in mail.outbox)
    assert mail.outbox[0].subject == "Training refresher due: CSE awareness workbook (test)"
    assert "in 60 days" in mail.outbox[0].body
    assert "/learning/my-training/" in mail.outbox[0].body
    assert "due for a refresher today" in mail.outbox[2].body
    assert AuditEvent.objects.filter(target_type="refresher_reminder").count() == 3


def test_a_late_first_run_sends_only_the_reminder_that_matters_now(
    time_machine, school_practitioner, school_dsl
):
    record_make(
        learner=school_practitioner,
        reviewer=school_dsl,
        course=course_make(),
        completed_on=dt.date(2023, 9, 1),
        due_on=dt.date(2026, 9, 1),
    )
    assert _remind_on(time_machine, dt.date(2026, 8, 20)) == 1
    assert list(RefresherReminder.objects.values_list("days_before", flat=True)) == [30]
    assert _remind_on(time_machine, dt.date(2026, 8, 21)) == 0


@pytest.mark.django_db(transaction=True)  # real commits: the email follows the commit
def test_a_reminder_the_mail_server_refuses_goes_on_the_next_run(
    time_machine, monkeypatch, school_practitioner, school_dsl
):
    record_make(
        learner=school_practitioner,
        reviewer=school_dsl,
        course=course_make(),
        completed_on=dt.date(2023, 9, 1),
        due_on=dt.date(2026, 9, 1),
    )

    def refuse(**_kwargs: object) -> None:
        raise smtplib.SMTPServerDisconnected("the mail server is down")

    monkeypatch.setattr(records_services, "send_mail", refuse)
    assert _remind_on(time_machine, dt.date(2026, 7, 3)) == 0
    assert not RefresherReminder.objects.exists()  # withdrawn, so the next run tries again

    monkeypatch.undo()
    assert _remind_on(time_machine, dt.date(2026, 7, 4)) == 1
    assert [m.to for m in mail.outbox] == [[school_practitioner.email]]


def test_only_the_latest_record_is_reminded_about(time_machine, school_practitioner, school_dsl):
    course = course_make()
    record_make(
        learner=school_practitioner,
        reviewer=school_dsl,
        course=course,
        completed_on=dt.date(2023, 7, 1),
        due_on=dt.date(2026, 7, 1),
    )
    record_make(
        learner=school_practitioner,
        reviewer=school_dsl,
        course=course,
        completed_on=dt.date(2026, 5, 1),
        due_on=dt.date(2029, 5, 1),
    )
    assert _remind_on(time_machine, dt.date(2026, 6, 15)) == 0
    assert mail.outbox == []


def test_the_remind_command_reports_what_it_sent(
    time_machine, school_practitioner, school_dsl, capsys
):
    record_make(
        learner=school_practitioner,
        reviewer=school_dsl,
        course=course_make(),
        completed_on=dt.date(2023, 9, 1),
        due_on=dt.date(2026, 9, 1),
    )
    time_machine.move_to(dt.datetime(2026, 7, 3, 6, 0, tzinfo=dt.UTC), tick=False)
    call_command("learning", "remind")
    call_command("learning", "remind")
    assert capsys.readouterr().out.splitlines() == [
        "Refresher reminders sent: 1",
        "Refresher reminders sent: 0",
    ]


# Compliance --------------------------------------------------------------------------------


@pytest.fixture
def staff(today, partnership, school, school_dsl, school_practitioner, police_analyst):
    """In the school: one in date, one due soon, one overdue, one never (plus the lead, never).
    In the police: one in date (the analyst)."""
    course = course_make()
    school_practitioner.team = "Year 9"
    school_practitioner.save()
    due_soon = UserFactory(
        agency=school, role=Role.PRACTITIONER, full_name="Dev Soon", team="Year 9"
    )
    overdue = UserFactory(
        agency=school, role=Role.PRACTITIONER, full_name="Olu Late", team="Year 10"
    )
    UserFactory(agency=school, role=Role.PRACTITIONER, full_name="=HYPERLINK(1)", team="Year 10")
    for person, due_on in (
        (school_practitioner, dt.date(2028, 1, 1)),
        (due_soon, dt.date(2026, 7, 15)),
        (overdue, dt.date(2026, 5, 1)),
        (police_analyst, dt.date(2027, 1, 1)),
    ):
        record_make(
            learner=person,
            reviewer=school_dsl,
            course=course,
            completed_on=due_on.replace(year=due_on.year - 3),
            due_on=due_on,
        )
    UserFactory(agency=school, role=Role.PRACTITIONER, is_system_account=True)
    UserFactory(agency=school, role=Role.PRACTITIONER, is_active=False)
    return course


def test_a_lead_sees_their_agency_only(staff, school_dsl):
    response = signed_in_client(school_dsl).get(reverse("learning:compliance"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "5 people" in page
    totals = response.context["totals"]
    assert (totals.completed, totals.due_soon, totals.overdue, totals.never) == (1, 1, 1, 2)
    assert "Alex Analyst" not in page
    assert "Priya Teacher" in page
    assert response.context["by_agency"] is None
    by_team = {group.label: group for group in response.context["by_team"]}
    assert by_team["Year 10"].overdue == 1
    assert by_team["Year 10"].never == 1


def test_a_lead_cannot_filter_to_another_agency(staff, school_dsl, police):
    response = signed_in_client(school_dsl).get(
        reverse("learning:compliance"), {"agency": police.pk}
    )
    assert "Alex Analyst" not in response.content.decode()


def test_filters_narrow_the_people(staff, school_dsl):
    client = signed_in_client(school_dsl)
    overdue = client.get(reverse("learning:compliance"), {"status": "overdue"})
    assert [row.person.full_name for row in overdue.context["rows"]] == ["Olu Late"]
    team = client.get(reverse("learning:compliance"), {"team": "Year 9"})
    assert sorted(row.person.full_name for row in team.context["rows"]) == [
        "Dev Soon",
        "Priya Teacher",
    ]
    role = client.get(reverse("learning:compliance"), {"role": Role.SAFEGUARDING_LEAD})
    assert [row.person.full_name for row in role.context["rows"]] == ["Dana Lead"]
    bad = client.get(reverse("learning:compliance"), {"status": "nonsense"})
    assert "Select a training status from the list" in bad.content.decode()


def test_the_partnership_sees_every_agency(staff, partnership_admin, police):
    response = signed_in_client(partnership_admin).get(reverse("learning:compliance"))
    page = response.content.decode()
    assert "Alex Analyst" in page
    by_agency = {group.label: group for group in response.context["by_agency"]}
    assert by_agency["Testshire Police"].completed == 1
    assert by_agency["Elmfield Academy"].total == 5
    assert by_agency["Testshire Children's Services"].never == 1  # the administrator
    completed = signed_in_client(partnership_admin).get(
        reverse("learning:compliance"), {"status": "completed"}
    )
    names = sorted(row.person.full_name for row in completed.context["rows"])
    assert names == ["Alex Analyst", "Priya Teacher"]
    police_only = signed_in_client(partnership_admin).get(
        reverse("learning:compliance"), {"agency": police.pk}
    )
    assert [row.person.full_name for row in police_only.context["rows"]] == ["Alex Analyst"]


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_the_lead_exports_their_agency_as_csv_with_formulas_made_inert(staff, school_dsl):
    response = signed_in_client(school_dsl).get(reverse("learning:compliance-export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0][:3] == ["Name", "Email", "Agency"]
    names = sorted(row[0] for row in rows[1:])
    assert names == ["'=HYPERLINK(1)", "Dana Lead", "Dev Soon", "Olu Late", "Priya Teacher"]
    assert {row[2] for row in rows[1:]} == {"Elmfield Academy"}
    statuses = {row[0]: row[9] for row in rows[1:]}
    assert statuses["Olu Late"] == "Overdue"
    assert statuses["Dev Soon"] == "Due soon"
    assert statuses["Dana Lead"] == "Not completed"
    assert AuditEvent.objects.filter(
        actor=school_dsl, verb=Verb.EXPORTED, target_type="training_compliance"
    ).exists()


def test_the_partnership_export_covers_every_agency(staff, partnership_admin):
    rows = _csv(signed_in_client(partnership_admin).get(reverse("learning:compliance-export")))
    assert {row[2] for row in rows[1:]} == {
        "Elmfield Academy",
        "Testshire Police",
        "Testshire Children's Services",
    }


def test_practitioners_and_other_agencies_leads_see_no_compliance(
    staff, partnership, school_practitioner
):
    assert (
        signed_in_client(school_practitioner).get(reverse("learning:compliance")).status_code == 403
    )
    assert (
        signed_in_client(school_practitioner).get(reverse("learning:compliance-export")).status_code
        == 403
    )
    other_lead = UserFactory(
        agency=AgencyFactory(partnership=partnership, agency_type=AgencyType.HEALTH),
        role=Role.SAFEGUARDING_LEAD,
    )
    response = signed_in_client(other_lead).get(reverse("learning:compliance"))
    names = [row.person.full_name for row in response.context["rows"]]
    assert names == [other_lead.full_name]
