"""The MACE panel as its coordinator and members would notice it: who sees a meeting, an
agenda built from what CSE Hub knows (children at risk, new links, listed persons, overdue
actions, children going missing more often), items added by hand, VOLT records and actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from csehub.accounts.models import Role
from csehub.audit.models import AuditEvent
from csehub.concerns import services as concern_services
from csehub.concerns.models import RiskLevel
from csehub.linking.models import Alert, AlertKind
from csehub.mace import selectors, services
from csehub.mace.models import ActionStatus, ItemSource, MeetingKind, Panel
from csehub.missing import services as missing_services
from csehub.taxonomy.services import taxonomy_load
from csehub.testing.factories import ChildFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)


@pytest.fixture
def coordinator(council):
    return UserFactory(agency=council, role=Role.MACE_COORDINATOR, full_name="Dan Chair")


@pytest.fixture
def panel(partnership):
    return Panel.objects.create(partnership=partnership, name="Testshire MACE panel")


def _submitted(actor, child, **involved):
    concern = concern_services.concern_create(actor=actor, child=child)
    return concern_services.concern_submit(
        actor=actor,
        concern=concern,
        answers=concern_services.ConcernAnswers(
            how_known="saw",
            what_was_seen="Seen getting into a car with an older man (fictional).",
            observed_on=TODAY - dt.timedelta(days=2),
            involved=concern_services.Involved(**involved),
        ),
    )


def test_members_see_their_panels_meetings_and_no_one_else_does(
    coordinator, panel, school_dsl, social_worker, police_analyst
):
    services.panel_member_add(actor=coordinator, panel=panel, member=school_dsl)
    membership = services.panel_member_add(actor=coordinator, panel=panel, member=social_worker)
    meeting = services.meeting_create(
        actor=coordinator, panel=panel, kind=MeetingKind.STRATEGIC, held_on=TODAY
    )
    for user, sees in ((coordinator, True), (school_dsl, True), (social_worker, True)):
        assert list(selectors.meetings_visible_to(user=user)) == ([meeting] if sees else [])
    assert list(selectors.meetings_visible_to(user=police_analyst)) == []
    services.panel_member_end(actor=coordinator, membership=membership)
    assert list(selectors.meetings_visible_to(user=social_worker)) == []
    with pytest.raises(ValidationError, match="already sits on the panel"):
        services.panel_member_add(actor=coordinator, panel=panel, member=school_dsl)
    with pytest.raises(PermissionDenied):
        services.panel_member_add(actor=school_dsl, panel=panel, member=police_analyst)


def test_a_case_agenda_is_built_from_what_cse_hub_knows(
    coordinator, panel, school_dsl, social_worker, council
):
    taxonomy_load(actor=None)
    at_risk = ChildFactory(created_by=school_dsl, given_name="Ada", family_name="Vale")
    concern = _submitted(school_dsl, at_risk)
    assessment = concern_services.risk_assessment_create(
        actor=school_dsl, concern=concern, immediate_danger=False, observations=[]
    )
    concern_services.risk_judgement_record(
        actor=school_dsl,
        assessment=assessment,
        level=RiskLevel.HIGH_RISK,
        rationale="She has disclosed being taken to a flat by an older man.",
    )
    # Two children named in concerns with the same plate: the second raises an alert.
    first = ChildFactory(created_by=school_dsl, given_name="Bea", family_name="Lowe")
    second = ChildFactory(created_by=school_dsl, given_name="Cal", family_name="Reed")
    _submitted(school_dsl, first, vehicles=[{"plate": "YX12 ABC"}])
    _submitted(school_dsl, second, vehicles=[{"plate": "YX12 ABC"}])
    alert = Alert.objects.get(kind=AlertKind.LINKS_SECOND_CHILD)
    # A child going missing more often.
    coordinator_of_missing = UserFactory(agency=council, role=Role.MISSING_COORDINATOR)
    runaway = ChildFactory(created_by=school_dsl, given_name="Dee", family_name="Sands")
    for days_ago in (20, 10, 3):
        seen = dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)
        missing_services.missing_episode_record(
            actor=coordinator_of_missing,
            child=runaway,
            details=missing_services.EpisodeDetails(
                reported_at=seen + dt.timedelta(hours=2),
                reported_by="Carer",
                last_seen_at=seen,
                last_seen_place="The bus station",
            ),
        )

    meeting = services.meeting_create(
        actor=coordinator, panel=panel, kind=MeetingKind.CASE, held_on=TODAY
    )
    items = list(meeting.items.order_by("position"))
    by_source = {}
    for item in items:
        by_source.setdefault(item.source, []).append(item)
    assert [i.child for i in by_source[ItemSource.CHILD_AT_RISK]] == [at_risk]
    assert by_source[ItemSource.CHILD_AT_RISK][0].title == "Ada Vale: high risk"
    linked = by_source[ItemSource.NEW_LINK]
    assert {i.child for i in linked} == {first, second}
    assert {i.alert for i in linked} == {alert}
    assert "new link through the vehicle" in linked[0].title
    assert [i.child for i in by_source[ItemSource.MISSING_MORE]] == [runaway]
    event = AuditEvent.objects.get(target_type="panel_meeting")
    assert event.detail["items"] == len(items)


def test_an_overdue_action_returns_to_the_next_agenda(coordinator, panel, social_worker, council):
    child = ChildFactory(created_by=social_worker, given_name="Eve", family_name="Hart")
    october = services.meeting_create(
        actor=coordinator, panel=panel, kind=MeetingKind.CASE, held_on=dt.date(2026, 10, 5)
    )
    item = services.agenda_item_add(actor=coordinator, meeting=october, title="Eve", child=child)
    services.agenda_item_record(
        actor=coordinator,
        item=item,
        record=services.ItemRecord(
            victim="Eve, 14, in care",
            offender="A man in his 20s known as Dee",
            location="A flat above the takeaway on Mill Street",
            theme="Party house",
            decisions="Serve a child abduction warning notice on Dee.",
        ),
    )
    notice = services.action_agree(
        actor=coordinator,
        item=item,
        details=services.ActionDetails(
            kind="abduction_notice",
            description="Serve a child abduction warning notice on Dee",
            owner=social_worker,
            agency=council,
            due_on=dt.date(2026, 10, 20),
        ),
    )
    plan = services.action_agree(
        actor=coordinator,
        item=item,
        details=services.ActionDetails(
            kind="school_safety_plan",
            description="A safety plan with her school",
            owner=social_worker,
            agency=council,
            due_on=dt.date(2026, 10, 25),
        ),
    )
    november = services.meeting_create(
        actor=coordinator, panel=panel, kind=MeetingKind.CASE, held_on=dt.date(2026, 11, 2)
    )
    # Both actions about Eve come back, each as its own item.
    first, second = november.items.filter(source=ItemSource.OVERDUE_ACTION).order_by("position")
    assert (first.action, first.child, second.action) == (notice, child, plan)
    assert first.title == "Overdue: child abduction warning notice, due 20/10/2026"
    services.action_close(actor=coordinator, action=notice, status=ActionStatus.DONE)
    services.action_close(actor=coordinator, action=plan, status=ActionStatus.DONE)
    december = services.meeting_create(
        actor=coordinator, panel=panel, kind=MeetingKind.CASE, held_on=TODAY
    )
    assert not december.items.filter(source=ItemSource.OVERDUE_ACTION).exists()


def test_an_action_that_cannot_be_right_is_refused_saying_why(coordinator, panel, social_worker):
    meeting = services.meeting_create(
        actor=coordinator, panel=panel, kind=MeetingKind.STRATEGIC, held_on=TODAY
    )
    item = services.agenda_item_add(actor=coordinator, meeting=meeting, title="Taxi firms")
    from csehub.testing.factories import AgencyFactory, PartnershipFactory

    elsewhere = AgencyFactory(partnership=PartnershipFactory(slug="otherton", name="Otherton"))
    with pytest.raises(ValidationError) as refused:
        services.action_agree(
            actor=coordinator,
            item=item,
            details=services.ActionDetails(
                kind="nonsense",
                description=" ",
                owner=social_worker,
                agency=elsewhere,
                due_on=TODAY,
                expires_on=TODAY,
            ),
        )
    errors = refused.value.message_dict
    assert set(errors) == {"kind", "description", "agency", "served_on"}
    with pytest.raises(ValidationError, match="at least one"):
        services.agenda_item_record(actor=coordinator, item=item, record=services.ItemRecord())
