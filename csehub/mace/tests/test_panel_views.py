"""The panel's pages with real records: members read the agenda and minutes, others find
nothing (and the attempt is audited), and only the coordinator runs the panel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from csehub.accounts.models import Role
from csehub.audit.models import AuditEvent, Outcome
from csehub.children.chronology import chronology_for
from csehub.mace import services
from csehub.mace.models import ActionStatus, DisruptionAction, MeetingKind
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import ChildFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(council):
    return UserFactory(agency=council, role=Role.MACE_COORDINATOR, full_name="Dan Chair")


@pytest.fixture
def recorded(coordinator, social_worker, school_dsl):
    panel = services.panel_create(actor=coordinator, name="Testshire MACE panel")
    services.panel_member_add(actor=coordinator, panel=panel, member=social_worker)
    child = ChildFactory(
        created_by=school_dsl,
        given_name="Eve",
        family_name="Hart",
        allocated_social_worker=social_worker,
    )
    meeting = services.meeting_create(
        actor=coordinator, panel=panel, kind=MeetingKind.CASE, held_on=dt.date(2026, 12, 1)
    )
    item = services.agenda_item_add(actor=coordinator, meeting=meeting, title="Eve", child=child)
    services.agenda_item_record(
        actor=coordinator,
        item=item,
        record=services.ItemRecord(
            offender="A man known as Dee", decisions="Serve a notice on Dee.", minutes="Agreed."
        ),
    )
    return panel, meeting, item, child


def test_a_member_reads_the_agenda_and_the_minutes_reach_the_chronology(recorded, social_worker):
    _panel, meeting, _item, child = recorded
    page = signed_in_client(social_worker).get(reverse("mace:meeting", args=[meeting.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "A man known as Dee" in text
    assert "Record VOLT" not in text  # members read; the coordinator records
    entries = [e for e in chronology_for(child=child, user=social_worker) if e.kind == "mace_item"]
    assert [e.summary for e in entries] == ["Decisions: Serve a notice on Dee. Minutes: Agreed."]


def test_someone_not_on_the_panel_finds_nothing_and_is_audited(recorded, school_dsl):
    _panel, meeting, _item, child = recorded
    client = signed_in_client(school_dsl)
    assert client.get(reverse("mace:meeting", args=[meeting.pk])).status_code == 404
    assert "No meetings" not in client.get(reverse("mace:meetings")).content.decode()
    assert "You do not sit on a MACE panel" in client.get(reverse("mace:meetings")).content.decode()
    assert AuditEvent.objects.filter(
        actor=school_dsl, target_type="panel_meeting", outcome=Outcome.DENIED
    ).exists()
    assert not [e for e in chronology_for(child=child, user=school_dsl) if e.kind == "mace_item"]


def test_a_member_who_leaves_stops_seeing_the_meeting(recorded, coordinator, social_worker):
    panel, meeting, _item, _child = recorded
    membership = panel.memberships.get(user=social_worker, left_at__isnull=True)
    signed_in_client(coordinator).post(reverse("mace:member-end", args=[membership.pk]))
    assert (
        signed_in_client(social_worker).get(reverse("mace:meeting", args=[meeting.pk])).status_code
        == 404
    )


def test_only_the_coordinator_runs_the_panel_and_each_refusal_is_audited(recorded, social_worker):
    panel, meeting, item, _child = recorded
    member = signed_in_client(social_worker)
    for name, pk in (
        ("mace:item-record", item.pk),
        ("mace:action-agree", item.pk),
        ("mace:meeting-create", panel.pk),
        ("mace:members", panel.pk),
    ):
        assert member.get(reverse(name, args=[pk])).status_code == 403, name
        assert AuditEvent.objects.filter(
            actor=social_worker, outcome=Outcome.DENIED, target_id=name
        ).exists(), name
    answer = member.post(reverse("mace:meeting", args=[meeting.pk]), {"title": "Taxi firms"})
    assert answer.status_code == 403
    assert not meeting.items.filter(title="Taxi firms").exists()


def test_the_network_views_are_the_coordinators_not_every_members(
    recorded, coordinator, social_worker
):
    """Sitting on the panel gives the meeting, not the CSE team's network: the coordinator
    sees the MACE list, the alerts and the network measures; a member from children's social
    care is refused each, and each refusal is audited."""
    names = ("mace:list", "linking:alerts", "linking:network-measures")
    chair = signed_in_client(coordinator)
    for name in names:
        assert chair.get(reverse(name)).status_code == 200, name
    member = signed_in_client(social_worker)
    for name in names:
        assert member.get(reverse(name)).status_code == 403, name
        assert AuditEvent.objects.filter(
            actor=social_worker, outcome=Outcome.DENIED, target_id=name
        ).exists(), name


def test_an_action_form_refused_keeps_what_was_typed(recorded, coordinator, social_worker):
    _panel, _meeting, item, _child = recorded
    answer = signed_in_client(coordinator).post(
        reverse("mace:action-agree", args=[item.pk]),
        {
            "kind": "abduction_notice",
            "description": "Serve a notice on Dee",
            "owner_email": "nobody@nowhere.test",
            "due_on": "20/12/2026",
            "expires_on": "20/06/2027",
        },
    )
    text = answer.content.decode()
    assert "No one in this partnership has that email address" in text
    assert "Serve a notice on Dee" in text
    assert not DisruptionAction.objects.exists()
    answer = signed_in_client(coordinator).post(
        reverse("mace:action-agree", args=[item.pk]),
        {
            "kind": "abduction_notice",
            "description": "Serve a notice on Dee",
            "owner_email": social_worker.email,
            "due_on": "20/12/2026",
            "expires_on": "20/06/2027",
        },
    )
    assert "Enter the date the notice was served" in answer.content.decode()
    answer = signed_in_client(coordinator).post(
        reverse("mace:action-agree", args=[item.pk]),
        {
            "kind": "abduction_notice",
            "description": "Serve a notice on Dee",
            "owner_email": social_worker.email,
            "due_on": "20/12/2026",
            "served_on": "02/12/2026",
            "expires_on": "20/06/2027",
        },
        follow=True,
    )
    assert "The action has been recorded" in answer.content.decode()
    action = DisruptionAction.objects.get()
    assert (action.owner, action.agency_id, action.status) == (
        social_worker,
        social_worker.agency_id,
        ActionStatus.OPEN,
    )
