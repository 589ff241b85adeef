"""The pledge: taking it, ticking its promises, inviting colleagues, and counting the
invitations that turned into completed courses. Every person is fictional."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from csehub.audit.models import AuditEvent, Verb
from csehub.learning.models import Pledge, PledgeInvitation
from csehub.learning.services import workbook as workbook_services
from csehub.learning.services.pledge import (
    pledge_invitations_mark_completed,
    pledge_invitations_send,
    pledge_take,
)
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import UserFactory

from .workbook_setup import submitted_attempt, workbook_load

pytestmark = pytest.mark.django_db

PLEDGE = reverse("learning:pledge")
INVITE = reverse("learning:pledge-invite")
REPORT = reverse("learning:pledge-report")


@pytest.fixture
def workbook(db, tmp_path):
    return workbook_load(tmp_path)


def _confirm_workbook(*, learner, reviewer, workbook) -> None:
    attempt = submitted_attempt(learner=learner, reviewer=reviewer, course=workbook)
    workbook_services.attempt_confirm(actor=reviewer, attempt=attempt, discussed_with_learner=True)


def test_a_user_takes_the_pledge_and_ticks_its_promises_over_time(school_practitioner):
    client = signed_in_client(school_practitioner)
    page = client.get(PLEDGE).content.decode()
    assert "Take the pledge" in page
    assert "tell five people what you have learned" in page

    response = client.post(PLEDGE, {"action": "take"})
    assert response.status_code == 302
    pledge = Pledge.objects.get(user=school_practitioner)
    assert not (pledge.found_out_more or pledge.completed_course or pledge.told_five_people)
    assert AuditEvent.objects.filter(
        actor=school_practitioner, verb=Verb.CREATED, target_type="pledge"
    ).exists()
    page = client.get(PLEDGE).content.decode()
    assert "Thank you for taking the pledge" in page
    assert "Your pledge" in page

    client.post(PLEDGE, {"action": "update", "found_out_more": "on"})
    pledge.refresh_from_db()
    assert pledge.found_out_more and not pledge.told_five_people
    client.post(PLEDGE, {"action": "update", "found_out_more": "on", "told_five_people": "on"})
    pledge.refresh_from_db()
    assert pledge.found_out_more and pledge.told_five_people
    page = client.get(PLEDGE).content.decode()
    assert 'name="told_five_people" type="checkbox" value="on" checked' in page
    assert (
        AuditEvent.objects.filter(
            actor=school_practitioner, verb=Verb.UPDATED, target_type="pledge"
        ).count()
        == 2
    )


def test_taking_the_pledge_twice_keeps_one_pledge(school_practitioner):
    first = pledge_take(actor=school_practitioner)
    assert pledge_take(actor=school_practitioner) == first
    assert Pledge.objects.count() == 1


def test_a_bad_address_is_named_and_nothing_is_sent(school_practitioner):
    client = signed_in_client(school_practitioner)
    response = client.post(
        INVITE,
        {"email_1": "jo.bloggs@agency.test", "email_2": "", "email_3": "not-an-address"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Email address 3 must be in the correct format, like name@example.org" in html
    assert 'href="#id_email_3"' in html
    assert 'value="jo.bloggs@agency.test"' in html
    assert 'value="not-an-address"' in html
    assert mail.outbox == []
    assert not PledgeInvitation.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter at least one email address"),
        (
            {"email_1": "sam@agency.test", "email_2": "SAM@agency.test"},
            "Email address 2 is the same as one above it",
        ),
        ({"email_1": "OWN"}, "Email address 1 is your own"),
    ],
)
def test_invitation_addresses_are_checked_one_by_one(school_practitioner, data, message):
    data = {k: school_practitioner.email if v == "OWN" else v for k, v in data.items()}
    response = signed_in_client(school_practitioner).post(INVITE, data)
    assert message in response.content.decode()
    assert mail.outbox == []


def test_invitations_are_emailed_with_a_link_of_their_own(
    school_practitioner, django_capture_on_commit_callbacks
):
    client = signed_in_client(school_practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            INVITE, {"email_1": "jo.bloggs@agency.test", "email_4": "kit.moss@agency.test"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert {m.to[0] for m in mail.outbox} == {"jo.bloggs@agency.test", "kit.moss@agency.test"}
    tokens = set()
    for message in mail.outbox:
        assert school_practitioner.full_name in message.subject
        assert "complete the partnership's CSE awareness course" in message.body
        link = re.search(r"https?://\S+/learning/pledge/take/(\S+)/", message.body)
        assert link is not None
        tokens.add(link.group(1))
    assert tokens == set(PledgeInvitation.objects.values_list("token", flat=True))
    assert AuditEvent.objects.filter(verb=Verb.INVITATION_SENT).count() == 2
    page = client.get(PLEDGE).content.decode()
    assert "Invitation sent to 2 people" in page
    assert "kit.moss@agency.test" in page


def test_invitation_emails_wait_until_the_invitations_are_committed(
    school_practitioner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pledge_invitations_send(actor=school_practitioner, emails=["jo.bloggs@agency.test"])
    assert mail.outbox == []  # rolled back now, nobody would hold a link to nothing
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["jo.bloggs@agency.test"]]


def test_following_the_link_signed_in_accepts_the_invitation(school_practitioner, school_dsl):
    (invitation,) = pledge_invitations_send(
        actor=school_practitioner, emails=["someone.else@agency.test"]
    )
    url = reverse("learning:pledge-invitation", args=[invitation.token])
    # Signed out, the link asks for sign-in first and comes back.
    anonymous = signed_in_client(school_dsl).__class__().get(url)
    assert anonymous.status_code == 302 and "/sign-in/" in anonymous["Location"]

    response = signed_in_client(school_dsl).get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:index")
    invitation.refresh_from_db()
    assert invitation.accepted_user == school_dsl and invitation.accepted_at is not None
    assert not invitation.completed
    # The sender following their own link changes nothing.
    (own,) = pledge_invitations_send(actor=school_practitioner, emails=["a.n.other@agency.test"])
    signed_in_client(school_practitioner).get(
        reverse("learning:pledge-invitation", args=[own.token])
    )
    own.refresh_from_db()
    assert own.accepted_user is None


def test_an_invitation_counts_as_completed_when_the_invitee_completes_the_workbook(
    workbook, school_practitioner, school_dsl
):
    invitee = UserFactory(agency=school_practitioner.agency, email="jo.bloggs@agency.test")
    pledge_take(actor=invitee)
    by_email, other = pledge_invitations_send(
        actor=school_practitioner, emails=["Jo.Bloggs@agency.test", "nobody@agency.test"]
    )
    assert pledge_invitations_mark_completed(user=invitee) == 0  # not completed yet

    _confirm_workbook(learner=invitee, reviewer=school_dsl, workbook=workbook)

    by_email.refresh_from_db()
    other.refresh_from_db()
    assert by_email.completed and by_email.accepted_user == invitee
    assert not other.completed
    assert Pledge.objects.get(user=invitee).completed_course
    page = signed_in_client(school_practitioner).get(PLEDGE).content.decode()
    assert "Completed the course" in page


def test_an_invitation_accepted_by_link_completes_whatever_the_address(
    workbook, school_practitioner, school_dsl
):
    (invitation,) = pledge_invitations_send(
        actor=school_practitioner, emails=["personal.address@example.org"]
    )
    invitee = UserFactory(agency=school_practitioner.agency)
    signed_in_client(invitee).get(reverse("learning:pledge-invitation", args=[invitation.token]))
    _confirm_workbook(learner=invitee, reviewer=school_dsl, workbook=workbook)
    invitation.refresh_from_db()
    assert invitation.completed


def test_the_partnership_sees_how_many_pledged_and_how_many_invitations_completed(
    workbook, school_practitioner, school_dsl, partnership_admin
):
    pledge_take(actor=school_practitioner)
    pledge_take(actor=school_dsl)
    invitee = UserFactory(agency=school_practitioner.agency, email="jo.bloggs@agency.test")
    pledge_invitations_send(
        actor=school_practitioner,
        emails=["jo.bloggs@agency.test", "kit.moss@agency.test", "lee.park@agency.test"],
    )
    _confirm_workbook(learner=invitee, reviewer=school_dsl, workbook=workbook)

    response = signed_in_client(partnership_admin).get(REPORT)
    assert response.status_code == 200
    html = re.sub(r"\s+", " ", response.content.decode())
    assert 'People who have taken the pledge</dt><dd class="govuk-summary-list__value">2' in html
    assert 'Invitations sent</dt><dd class="govuk-summary-list__value">3' in html
    assert (
        "Invitations that led to a completed course</dt>"
        '<dd class="govuk-summary-list__value">1' in html
    )
    assert "Elmfield Academy" in html
    assert school_practitioner.full_name not in html  # counts only
    assert signed_in_client(school_practitioner).get(REPORT).status_code == 403
