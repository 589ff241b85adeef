"""Pledge invitations to people without an account (issue 12): the email, the public page
where the pledge is taken once per link, the course read through the link, the cap per sender,
and the audit trail. Every person and address is fictional."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.learning.models import PledgeInvitation
from csehub.learning.services.pledge import (
    MAX_INVITATIONS_PER_DAY,
    pledge_invitation_pledge,
    pledge_invitations_send,
)

from .workbook_setup import workbook_load

pytestmark = pytest.mark.django_db

TAXI_DRIVER = "cab.driver@taxis.example"


@pytest.fixture
def invitation(school_practitioner, django_capture_on_commit_callbacks) -> PledgeInvitation:
    with django_capture_on_commit_callbacks(execute=True):
        [sent] = pledge_invitations_send(actor=school_practitioner, emails=[TAXI_DRIVER])
    return sent


def _page(invitation: PledgeInvitation) -> str:
    return reverse("learning:pledge-public", args=[invitation.token])


def test_the_email_asks_for_the_pledge_and_needs_no_account(invitation, school_practitioner):
    [message] = mail.outbox
    assert message.to == [TAXI_DRIVER]
    assert "I pledge my support to zero tolerance of CSE" in message.body
    assert "You do not need an account" in message.body
    assert _page(invitation) in message.body
    assert "call 999" in message.body
    assert invitation.expires_at is not None
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=30)
    assert len(invitation.token) >= 43  # 256 random bits


def test_someone_without_an_account_takes_the_pledge_once(invitation, school_practitioner):
    visitor = Client()  # not signed in
    page = visitor.get(_page(invitation))
    body = page.content.decode()
    assert page.status_code == 200
    assert school_practitioner.full_name in body
    assert "I pledge my support to zero tolerance of CSE" in body
    assert "Start the course" in body
    # The box must be ticked: checked on the server, not only in the browser.
    unticked = visitor.post(_page(invitation), {})
    assert unticked.status_code == 200
    assert "Tick the box to take the pledge" in unticked.content.decode()
    invitation.refresh_from_db()
    assert invitation.pledged_at is None
    taken = visitor.post(_page(invitation), {"pledge": "on"})
    assert taken.status_code == 302
    invitation.refresh_from_db()
    assert invitation.pledged_at is not None
    assert "Thank you for taking the pledge" in visitor.get(_page(invitation)).content.decode()
    # The same link cannot take a second pledge (forwarded, or the button pressed twice).
    with pytest.raises(ValidationError, match="already been taken"):
        pledge_invitation_pledge(token=invitation.token, pledged=True)
    again = visitor.post(_page(invitation), {"pledge": "on"})
    assert "Take the pledge</button>" not in again.content.decode()


def test_the_public_page_is_audited_with_ids_and_never_the_address_or_token(
    invitation, school_practitioner
):
    visitor = Client()
    visitor.get(_page(invitation))
    visitor.post(_page(invitation), {"pledge": "on"})
    events = AuditEvent.objects.filter(target_type="pledge_invitation", actor__isnull=True)
    assert {(e.verb, e.detail["action"]) for e in events} >= {
        (Verb.VIEWED, "pledge_page"),
        (Verb.CREATED, "pledged"),
    }
    assert all(e.target_id == str(invitation.pk) for e in events)
    assert all(e.partnership_id == school_practitioner.partnership_id for e in events)
    for event in events:
        assert TAXI_DRIVER not in str(event.detail) and invitation.token not in str(event.detail)


def test_an_expired_or_unknown_link_does_not_work(invitation):
    PledgeInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    visitor = Client()
    expired = visitor.get(_page(invitation))
    assert expired.status_code == 404
    assert "This link does not work" in expired.content.decode()
    assert visitor.post(_page(invitation), {"pledge": "on"}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.pledged_at is None
    unknown = visitor.get(reverse("learning:pledge-public", args=["not-a-real-token"]))
    assert unknown.status_code == 404
    denied = AuditEvent.objects.filter(target_type="pledge_invitation", outcome=Outcome.DENIED)
    assert {e.detail["result"] for e in denied} == {"expired", "unknown"}


def test_the_course_can_be_read_through_the_link_without_signing_in(invitation, tmp_path):
    workbook_load(tmp_path)
    visitor = Client()
    start = visitor.get(reverse("learning:pledge-public-course", args=[invitation.token]))
    assert start.status_code == 302
    page = visitor.get(start["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert "What child sexual exploitation is" in body
    signs = visitor.get(
        reverse("learning:pledge-public-section", args=[invitation.token, "spotting_the_signs"])
    ).content.decode()
    # The SAFEGUARD list is shown, but not as links to pages that need signing in.
    assert "Absent from school or repeatedly running away" in signs
    assert reverse("taxonomy:guidance-index") not in signs
    PledgeInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    assert visitor.get(start["Location"]).status_code == 404


def test_a_sender_can_send_only_so_many_invitations_in_a_day(school_practitioner):
    for batch in range(MAX_INVITATIONS_PER_DAY // 5):
        pledge_invitations_send(
            actor=school_practitioner,
            emails=[f"parent{batch}.{n}@families.example" for n in range(5)],
        )
    with pytest.raises(ValidationError, match="up to 20 invitations in a day: 0 left today"):
        pledge_invitations_send(actor=school_practitioner, emails=["one.more@families.example"])
    assert PledgeInvitation.objects.count() == MAX_INVITATIONS_PER_DAY
