"""Making referrals and moving them through their states, only as the services allow."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from csehub.audit.models import AuditEvent
from csehub.concerns.models import ConcernStatus
from csehub.referrals import services
from csehub.referrals.models import (
    Destination,
    Notification,
    NotificationVerb,
    Referral,
    ReferralOutcome,
    ReferralState,
    ReferralTransition,
)
from csehub.testing.factories import ConcernFactory

from .conftest import CHILD_FAMILY_NAME, CHILD_GIVEN_NAME, content, refer

pytestmark = pytest.mark.django_db


def _no_child_names(message) -> None:
    for text in (message.subject, message.body):
        assert CHILD_GIVEN_NAME not in text
        assert CHILD_FAMILY_NAME not in text


def test_one_concern_makes_one_referral_per_destination(
    school_dsl, concern, council, police, front_door, police_desk, social_worker
):
    referrals = services.referrals_create(
        actor=school_dsl,
        concern=concern,
        addressees=[
            services.Addressee(Destination.CHILDRENS_SOCIAL_CARE, council),
            services.Addressee(Destination.ALLOCATED_SOCIAL_WORKER),
            services.Addressee(Destination.POLICE_CSE_DESK, police),
        ],
        content=content(),
    )
    assert [r.destination for r in referrals] == [
        Destination.CHILDRENS_SOCIAL_CARE,
        Destination.ALLOCATED_SOCIAL_WORKER,
        Destination.POLICE_CSE_DESK,
    ]
    assert referrals[1].to_user == social_worker
    assert all(r.state == ReferralState.SUBMITTED for r in referrals)
    assert all(r.risk_details.get().value == "AB12 C?D" for r in referrals)
    assert ReferralTransition.objects.filter(to_state=ReferralState.SUBMITTED).count() == 3
    assert AuditEvent.objects.filter(target_type="referral", verb="created").count() == 3


def test_the_receiving_team_is_notified_in_the_app_and_by_email_without_the_childs_name(
    csc_referral, front_door, other_front_door, police_desk
):
    # other_front_door joined after the referral was sent, so only front_door was told.
    notes = Notification.objects.filter(verb=NotificationVerb.REFERRAL_RECEIVED)
    assert [n.recipient for n in notes] == [front_door]
    assert notes.get().referral == csc_referral
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [front_door.email]
    assert "A referral has been sent to your team" in message.body
    assert f"https://csehub.test/referrals/{csc_referral.pk}/" in message.body
    _no_child_names(message)


def test_a_practitioner_cannot_refer_but_can_ask_their_lead(
    school_practitioner, school_dsl, concern, council, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionDenied):
        refer(school_practitioner, concern, Destination.CHILDRENS_SOCIAL_CARE, agency=council)
    with django_capture_on_commit_callbacks(execute=True):
        told = services.referral_request_from_lead(actor=school_practitioner, concern=concern)
    assert told == 1
    note = Notification.objects.get(recipient=school_dsl)
    assert note.verb == NotificationVerb.REFERRAL_REQUESTED
    assert note.concern == concern
    _no_child_names(mail.outbox[0])


def test_asking_the_lead_twice_tells_them_once_until_they_have_opened_it(
    school_practitioner, school_dsl, concern, django_capture_on_commit_callbacks
):
    # A double click on "Ask my safeguarding lead": one notification and one email.
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            told = services.referral_request_from_lead(actor=school_practitioner, concern=concern)
        assert told == 1
    note = Notification.objects.get(recipient=school_dsl, concern=concern)
    assert [m.to for m in mail.outbox] == [[school_dsl.email]]
    asked = AuditEvent.objects.filter(target_type="concern", detail__action="referral_requested")
    assert asked.count() == 1
    # Once the lead has opened it, asking again is a new request.
    services.notification_mark_read(actor=school_dsl, notification=note)
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_request_from_lead(actor=school_practitioner, concern=concern)
    assert Notification.objects.filter(recipient=school_dsl, concern=concern).count() == 2
    assert len(mail.outbox) == 2


def test_a_draft_concern_cannot_be_referred(school_dsl, school_practitioner, child, council):
    draft = ConcernFactory(
        raised_by=school_practitioner, child=child, status=ConcernStatus.DRAFT, submitted_at=None
    )
    with pytest.raises(PermissionDenied):  # a draft is its author's alone
        refer(school_dsl, draft, Destination.CHILDRENS_SOCIAL_CARE, agency=council)


def test_information_for_a_social_worker_needs_one(school_dsl, school_practitioner, concern):
    concern.child.allocated_social_worker = None
    concern.child.save()
    with pytest.raises(ValidationError, match="no allocated social worker"):
        refer(school_dsl, concern, Destination.ALLOCATED_SOCIAL_WORKER)


def test_the_front_door_must_be_a_childrens_social_care_agency(school_dsl, concern, school):
    with pytest.raises(ValidationError, match="Choose where in your partnership"):
        refer(school_dsl, concern, Destination.CHILDRENS_SOCIAL_CARE, agency=school)


def test_an_open_referral_to_the_same_place_is_not_doubled(
    csc_referral, school_dsl, concern, council
):
    with pytest.raises(ValidationError, match="already been sent"):
        refer(school_dsl, concern, Destination.CHILDRENS_SOCIAL_CARE, agency=council)


def test_the_front_door_moves_a_referral_through_every_state(csc_referral, front_door):
    services.referral_receive(actor=front_door, referral=csc_referral)
    services.referral_screen(actor=front_door, referral=csc_referral, note="Checked records.")
    services.referral_outcome_record(
        actor=front_door,
        referral=csc_referral,
        outcome=ReferralOutcome.STRATEGY_DISCUSSION,
        reason="Several warning signs and an adult with a car.",
    )
    csc_referral.refresh_from_db()
    assert csc_referral.state == ReferralState.OUTCOME_RECORDED
    assert csc_referral.outcome == ReferralOutcome.STRATEGY_DISCUSSION
    assert csc_referral.decided_at is not None
    steps = list(csc_referral.transitions.values_list("from_state", "to_state", "actor"))
    assert steps == [
        ("", "submitted", csc_referral.referred_by_id),
        ("submitted", "received", front_door.pk),
        ("received", "screened", front_door.pk),
        ("screened", "outcome_recorded", front_door.pk),
    ]
    last = csc_referral.transitions.last()
    assert last.reason == "Several warning signs and an adult with a car."


@pytest.mark.parametrize(
    ("steps", "attempt", "message"),
    [
        ([], "screen", "Mark the referral as received first"),
        ([], "outcome", "Mark the referral as received first"),
        (["receive"], "receive", "This referral has already been received"),
        (["receive"], "outcome", "Screen the referral before recording an outcome"),
        (["receive", "screen"], "screen", "This referral has already been screened"),
        (["receive", "screen"], "receive", "A referral that is screened cannot be marked"),
        (["receive", "screen", "outcome"], "receive", "An outcome has already been recorded"),
        (["receive", "screen", "outcome"], "outcome", "An outcome has already been recorded"),
    ],
)
def test_illegal_steps_are_refused_with_a_clear_message(
    csc_referral, front_door, steps, attempt, message
):
    def do(step: str) -> None:
        if step == "receive":
            services.referral_receive(actor=front_door, referral=csc_referral)
        elif step == "screen":
            services.referral_screen(actor=front_door, referral=csc_referral)
        else:
            services.referral_outcome_record(
                actor=front_door,
                referral=csc_referral,
                outcome=ReferralOutcome.ASSESSMENT,
                reason="Needs an assessment.",
            )

    for step in steps:
        do(step)
    state_before = Referral.objects.get(pk=csc_referral.pk).state
    count_before = ReferralTransition.objects.count()
    with pytest.raises(ValidationError, match=message):
        do(attempt)
    assert Referral.objects.get(pk=csc_referral.pk).state == state_before
    assert ReferralTransition.objects.count() == count_before


def test_an_outcome_needs_a_reason(csc_referral, front_door):
    services.referral_receive(actor=front_door, referral=csc_referral)
    services.referral_screen(actor=front_door, referral=csc_referral)
    with pytest.raises(ValidationError) as error:
        services.referral_outcome_record(
            actor=front_door, referral=csc_referral, outcome=ReferralOutcome.EARLY_HELP, reason=" "
        )
    assert error.value.message_dict == {"reason": ["Give the reason for this outcome"]}
    assert Referral.objects.get(pk=csc_referral.pk).state == ReferralState.SCREENED


def test_the_front_door_cannot_record_information_only(csc_referral, front_door):
    services.referral_receive(actor=front_door, referral=csc_referral)
    services.referral_screen(actor=front_door, referral=csc_referral)
    with pytest.raises(ValidationError, match="Select an outcome"):
        services.referral_outcome_record(
            actor=front_door,
            referral=csc_referral,
            outcome=ReferralOutcome.INFORMATION_ONLY,
            reason="Noted.",
        )


def test_the_police_desk_must_record_its_reference(police_referral, police_desk):
    services.referral_receive(actor=police_desk, referral=police_referral)
    services.referral_screen(actor=police_desk, referral=police_referral)
    with pytest.raises(ValidationError) as error:
        services.referral_outcome_record(
            actor=police_desk,
            referral=police_referral,
            outcome=ReferralOutcome.STRATEGY_DISCUSSION,
            reason="Flagged and passed to the CSE team.",
            police_reference="  ",
        )
    assert set(error.value.message_dict) == {"police_reference", "flagged_record_existed"}
    services.referral_outcome_record(
        actor=police_desk,
        referral=police_referral,
        outcome=ReferralOutcome.STRATEGY_DISCUSSION,
        reason="Flagged and passed to the CSE team.",
        police_reference="FB-2026-004417",
        flagged_record_existed=False,
    )
    police_referral.refresh_from_db()
    assert police_referral.police_reference == "FB-2026-004417"
    assert police_referral.flagged_record_existed is False


def test_only_the_team_it_was_sent_to_moves_a_referral(
    csc_referral, police_desk, school_dsl, social_worker
):
    for outsider in (police_desk, school_dsl, social_worker):
        with pytest.raises(PermissionDenied, match="Only the team the referral was sent to"):
            services.referral_receive(actor=outsider, referral=csc_referral)


def test_the_social_worker_acknowledges_information_without_screening(
    info_referral, social_worker, front_door
):
    with pytest.raises(PermissionDenied):
        services.referral_receive(actor=front_door, referral=info_referral)
    services.referral_receive(actor=social_worker, referral=info_referral)
    services.referral_outcome_record(
        actor=social_worker,
        referral=info_referral,
        outcome=ReferralOutcome.INFORMATION_ONLY,
        reason="Read and added to my plan for the child.",
    )
    info_referral.refresh_from_db()
    assert info_referral.outcome == ReferralOutcome.INFORMATION_ONLY


def test_the_referrer_and_the_concern_raiser_are_told_the_outcome(
    csc_referral, front_door, school_dsl, school_practitioner, django_capture_on_commit_callbacks
):
    services.referral_receive(actor=front_door, referral=csc_referral)
    services.referral_screen(actor=front_door, referral=csc_referral)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_outcome_record(
            actor=front_door,
            referral=csc_referral,
            outcome=ReferralOutcome.ASSESSMENT,
            reason="A social worker will assess.",
            site_url="https://csehub.test",
        )
    told = Notification.objects.filter(verb=NotificationVerb.REFERRAL_OUTCOME)
    assert {n.recipient for n in told} == {school_dsl, school_practitioner}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [school_dsl.email, school_practitioner.email]
    )
    for message in mail.outbox:
        assert "An outcome has been recorded" in message.body
        _no_child_names(message)
