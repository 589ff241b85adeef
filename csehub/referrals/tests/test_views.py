"""Referral pages as each team sees them, and who cannot see them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from csehub.audit.models import AuditEvent, Outcome
from csehub.children.chronology import chronology_for
from csehub.children.selectors import children_visible_to
from csehub.concerns.selectors import concerns_visible_to
from csehub.deadlines.clocks import LONDON
from csehub.referrals import services
from csehub.referrals.models import Destination, Notification, Referral, ReferralOutcome
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import ChildFactory, ConcernFactory

from .conftest import CHILD_GIVEN_NAME, refer

pytestmark = pytest.mark.django_db


def test_the_police_desk_cannot_see_a_school_referral_sent_only_to_the_front_door(
    csc_referral, police_desk
):
    client = signed_in_client(police_desk)
    response = client.get(reverse("referrals:detail", args=[csc_referral.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        actor=police_desk,
        target_type="referral",
        target_id=str(csc_referral.pk),
        outcome=Outcome.DENIED,
    ).exists()
    team = client.get(reverse("referrals:team")).content.decode()
    assert CHILD_GIVEN_NAME not in team
    assert not children_visible_to(user=police_desk).exists()
    assert not concerns_visible_to(user=police_desk).exists()


def test_the_police_desk_sees_the_child_in_a_referral_sent_to_it_and_nothing_else(
    police_referral, police_desk, school_practitioner
):
    other = ConcernFactory(
        raised_by=school_practitioner, child=ChildFactory(created_by=school_practitioner)
    )
    assert list(children_visible_to(user=police_desk)) == [police_referral.child]
    assert list(concerns_visible_to(user=police_desk)) == [police_referral.concern]
    assert other.child not in children_visible_to(user=police_desk)
    response = signed_in_client(police_desk).get(
        reverse("referrals:detail", args=[police_referral.pk])
    )
    assert response.status_code == 200
    assert "AB12 C?D" in response.content.decode()


def test_the_safeguarding_lead_refers_from_the_form(
    school_dsl, concern, council, police, front_door, police_desk, social_worker
):
    client = signed_in_client(school_dsl)
    url = reverse("referrals:create", args=[concern.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Make a referral" in page.content.decode()
    response = client.post(
        url,
        {
            "destinations": [Destination.CHILDRENS_SOCIAL_CARE, Destination.POLICE_CSE_DESK],
            "front_door": council.pk,
            "police_desk": police.pk,
            "what_was_seen": "Seen with an older man in a grey car.",
            "child_details": "Year 9.",
            "request": "A strategy discussion, please.",
            "extra_kind": "username",
            "extra_value": "grey_car_guy",
        },
    )
    assert response.status_code == 302
    referrals = Referral.objects.order_by("destination")
    assert [r.destination for r in referrals] == [
        Destination.CHILDRENS_SOCIAL_CARE,
        Destination.POLICE_CSE_DESK,
    ]
    assert referrals[0].risk_details.get().value == "grey_car_guy"
    assert Notification.objects.filter(recipient=front_door).count() == 1
    assert Notification.objects.filter(recipient=police_desk).count() == 1


def test_the_form_keeps_what_was_entered_and_names_the_problem(school_dsl, concern, council):
    response = signed_in_client(school_dsl).post(
        reverse("referrals:create", args=[concern.pk]),
        {"destinations": [Destination.CHILDRENS_SOCIAL_CARE], "what_was_seen": "Kept text."},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select the front door to send the referral to" in page
    assert "Kept text." in page


def test_a_practitioner_cannot_open_the_referral_form(school_practitioner, concern):
    response = signed_in_client(school_practitioner).get(
        reverse("referrals:create", args=[concern.pk])
    )
    assert response.status_code == 403


def test_the_front_door_records_an_outcome_and_the_practitioner_sees_it(
    csc_referral, front_door, school_practitioner
):
    client = signed_in_client(front_door)
    assert client.post(reverse("referrals:receive", args=[csc_referral.pk])).status_code == 302
    assert client.post(reverse("referrals:screen", args=[csc_referral.pk])).status_code == 302
    missing = client.post(
        reverse("referrals:outcome", args=[csc_referral.pk]), {"outcome": "assessment"}
    )
    assert "Give the reason for this outcome" in missing.content.decode()
    done = client.post(
        reverse("referrals:outcome", args=[csc_referral.pk]),
        {"outcome": "assessment", "reason": "A social worker will visit this week."},
    )
    assert done.status_code == 302
    practitioner = signed_in_client(school_practitioner)
    mine = practitioner.get(reverse("referrals:made")).content.decode()
    assert "Assessment" in mine
    detail = practitioner.get(reverse("referrals:detail", args=[csc_referral.pk])).content.decode()
    assert "Outcome: Assessment" in detail
    assert "A social worker will visit this week." in detail
    nav = practitioner.get(reverse("referrals:notifications")).content.decode()
    assert "Notifications (2 new)" in nav  # received, then the outcome


def test_the_police_desk_outcome_form_asks_for_its_reference(police_referral, police_desk):
    services.referral_receive(actor=police_desk, referral=police_referral)
    services.referral_screen(actor=police_desk, referral=police_referral)
    response = signed_in_client(police_desk).post(
        reverse("referrals:outcome", args=[police_referral.pk]),
        {"outcome": ReferralOutcome.STRATEGY_DISCUSSION, "reason": "Flagged."},
    )
    page = response.content.decode()
    assert "Enter the police reference for the CSE-flagged record" in page
    assert "Select whether a CSE-flagged record already existed" in page


def test_overdue_referrals_are_flagged_on_the_work_lists(school_dsl, concern, council, front_door):
    with time_machine.travel(dt.datetime(2026, 11, 27, 15, 0, tzinfo=LONDON), tick=False):
        refer(school_dsl, concern, Destination.CHILDRENS_SOCIAL_CARE, agency=council)
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=LONDON), tick=False):
        team = signed_in_client(front_door).get(reverse("referrals:team")).content.decode()
        made = signed_in_client(school_dsl).get(reverse("referrals:made")).content.decode()
    assert "Overdue" in team
    assert "Overdue" in made


def test_a_notification_opens_its_referral_and_is_marked_read(csc_referral, front_door):
    note = Notification.objects.get(recipient=front_door)
    response = signed_in_client(front_door).get(
        reverse("referrals:notification-open", args=[note.pk])
    )
    assert response["Location"] == reverse("referrals:detail", args=[csc_referral.pk])
    note.refresh_from_db()
    assert note.read_at is not None


def test_someone_elses_notification_is_not_found(csc_referral, school_dsl, front_door):
    note = Notification.objects.get(recipient=front_door)
    response = signed_in_client(school_dsl).get(
        reverse("referrals:notification-open", args=[note.pk])
    )
    assert response.status_code == 404


def test_referrals_and_decisions_appear_in_the_childs_chronology(
    csc_referral, front_door, school_dsl
):
    services.referral_receive(actor=front_door, referral=csc_referral)
    services.referral_screen(actor=front_door, referral=csc_referral)
    services.referral_outcome_record(
        actor=front_door,
        referral=csc_referral,
        outcome=ReferralOutcome.EARLY_HELP,
        reason="Early help hub to offer support.",
    )
    entries = chronology_for(child=csc_referral.child, user=school_dsl)
    mine = [e for e in entries if e.kind.startswith("referral")]
    assert [e.kind for e in mine] == [
        "referral",
        "referral_step",
        "referral_step",
        "referral_outcome",
    ]
    assert mine[-1].title == "Outcome: Early help"


def test_the_childs_page_lists_referrals_and_offers_the_next_actions(csc_referral, school_dsl):
    page = signed_in_client(school_dsl).get(
        reverse("children:detail", args=[csc_referral.child_id])
    )
    text = page.content.decode()
    assert f"Referral {csc_referral.pk}" in text
    assert reverse("referrals:create", args=[csc_referral.concern_id]) in text
    assert reverse("disclosures:create", args=[csc_referral.child_id]) in text


def test_a_practitioner_is_offered_to_ask_their_lead(concern, school_practitioner):
    text = (
        signed_in_client(school_practitioner)
        .get(reverse("children:detail", args=[concern.child_id]))
        .content.decode()
    )
    assert reverse("referrals:request", args=[concern.pk]) in text
    assert reverse("referrals:create", args=[concern.pk]) not in text


def test_the_screening_note_stays_with_the_receiving_team(
    csc_referral, front_door, school_practitioner
):
    client = signed_in_client(front_door)
    client.post(reverse("referrals:receive", args=[csc_referral.pk]))
    client.post(reverse("referrals:screen", args=[csc_referral.pk]), {"note": "No open case."})
    client.post(
        reverse("referrals:outcome", args=[csc_referral.pk]),
        {"outcome": "assessment", "reason": "A social worker will visit this week."},
    )
    url = reverse("referrals:detail", args=[csc_referral.pk])
    assert "No open case." in client.get(url).content.decode()
    seen_by_referrer = signed_in_client(school_practitioner).get(url).content.decode()
    assert "A social worker will visit this week." in seen_by_referrer
    assert "No open case." not in seen_by_referrer


def test_the_police_desk_sees_the_cse_flag_on_its_list_and_on_a_new_referral(
    school_dsl, concern, police, police_desk, police_referral
):
    services.referral_receive(actor=police_desk, referral=police_referral)
    services.referral_screen(actor=police_desk, referral=police_referral)
    desk = signed_in_client(police_desk)
    before = desk.get(reverse("referrals:team")).content.decode()
    assert "CSE flag" in before
    assert "No flag recorded" in before

    services.referral_outcome_record(
        actor=police_desk,
        referral=police_referral,
        outcome=ReferralOutcome.STRATEGY_DISCUSSION,
        reason="Record created.",
        police_reference="FB/26/0107",
        flagged_record_existed=False,
    )
    # A second referral about the same child: the desk sees it is already flagged.
    second = refer(school_dsl, concern, Destination.POLICE_CSE_DESK, agency=police)
    listing = desk.get(reverse("referrals:team")).content.decode()
    assert listing.count("CSE flagged") == 2
    assert f"Police reference FB/26/0107 (from referral {police_referral.pk})" in listing
    detail = desk.get(reverse("referrals:detail", args=[second.pk])).content.decode()
    assert "CSE flagged" in detail
    assert "Police reference FB/26/0107" in detail


def test_the_cse_flag_column_is_the_police_desks(csc_referral, front_door):
    page = signed_in_client(front_door).get(reverse("referrals:team")).content.decode()
    assert "CSE flag" not in page
