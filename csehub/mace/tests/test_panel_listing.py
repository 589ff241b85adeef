"""The MACE list as decisions of the panel's meetings: the coordinator puts a person on the list
or takes them off from the meeting's page, the list shows which meeting did it and the person's
history, and only whoever runs the panel can decide. Everyone here is fictional."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from csehub.accounts.models import Role
from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.linking import services as linking_services
from csehub.linking.models import Alert, AlertKind, LinkSuggestion, MentionEntity
from csehub.linking.tests.helpers import report_import
from csehub.mace import services
from csehub.mace.models import ItemSource, MaceListing, MeetingKind
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import (
    AgencyFactory,
    MeetingFactory,
    PartnershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DANNY = {"ref": "p1", "name": "Daniel Dorrington", "age_estimate": 30}
DANNY_AGAIN = {"ref": "p1", "name": "Danny Dorrington", "age_estimate": 31}


@pytest.fixture
def coordinator(council):
    return UserFactory(agency=council, role=Role.MACE_COORDINATOR, full_name="Dan Chair")


@pytest.fixture
def panel(coordinator, social_worker):
    panel = services.panel_create(actor=coordinator, name="Testshire MACE panel")
    services.panel_member_add(actor=coordinator, panel=panel, member=social_worker)
    return panel


@pytest.fixture
def danny(partnership, police_analyst):
    """A person the analyst has resolved: two reports naming him, the link confirmed."""
    report_import(partnership, "A-0", persons=[DANNY])
    report_import(partnership, "A-1", persons=[DANNY])
    suggestion = LinkSuggestion.objects.get(mention_id="A-1/p1", target_mention_id="A-0/p1")
    linking_services.suggestion_confirm(actor=police_analyst, suggestion=suggestion)
    return MentionEntity.objects.get(mention_id="A-1/p1").entity


def _decide(client, meeting, reference, decision, **extra):
    return client.post(
        reverse("mace:meeting-listing", args=[meeting.pk]),
        {"reference": reference, "decision": decision, **extra},
    )


def test_a_person_listed_at_one_meeting_and_taken_off_at_the_next(
    partnership, coordinator, panel, danny, police_analyst, social_worker
):
    first = services.meeting_create(
        actor=coordinator, panel=panel, kind=MeetingKind.STRATEGIC, held_on=dt.date(2026, 11, 2)
    )
    chair = signed_in_client(coordinator)
    # Any person, named by reference, from the meeting's own form.
    form = reverse("mace:meeting-listing", args=[first.pk])
    assert chair.get(form).status_code == 200
    answer = _decide(chair, first, danny.reference, "add")
    assert answer.status_code == 302 and answer["Location"].endswith("#mace-list")
    listing = MaceListing.objects.get(entity=danny)
    assert (listing.agreed_at, listing.panel_date, listing.listed_by) == (
        first,
        dt.date(2026, 11, 2),
        coordinator,
    )
    assert AuditEvent.objects.get(
        verb=Verb.CREATED, target_type="mace_listing", target_id=str(listing.pk)
    ).detail == {"entity": danny.pk, "meeting": first.pk}

    # The listing still raises the alert: a new report naming him links to the listed person.
    report_import(partnership, "A-2", persons=[DANNY_AGAIN])
    assert Alert.objects.filter(kind=AlertKind.LINKS_MACE_PERSON, entity=danny).count() == 1

    second = services.meeting_create(
        actor=coordinator, panel=panel, kind=MeetingKind.CASE, held_on=timezone.localdate()
    )
    item = second.items.get(source=ItemSource.LISTED_PERSON)
    page = chair.get(reverse("mace:meeting", args=[second.pk])).content.decode()
    assert f"{danny.reference} is on the MACE list, since the panel of 2 November 2026" in page
    assert "Remove from the MACE list" in page
    answer = _decide(chair, second, danny.reference, "remove", item=item.pk)
    assert answer.status_code == 302 and answer["Location"].endswith(f"#item-{item.pk}")
    listing.refresh_from_db()
    assert (listing.removed_at_meeting, listing.removed_by) == (second, coordinator)
    page = chair.get(reverse("mace:meeting", args=[second.pk])).content.decode()
    assert f"{danny.reference} is not on the MACE list" in page
    assert "Add to the MACE list" in page
    assert f"Taken off: {danny.reference}" in page

    # The coordinator opens the meetings from the list; the analyst, not on the panel, reads
    # their dates.
    listed = chair.get(reverse("mace:list")).content.decode()
    assert reverse("mace:meeting", args=[first.pk]) in listed
    assert reverse("mace:meeting", args=[second.pk]) in listed
    listed = signed_in_client(police_analyst).get(reverse("mace:list")).content.decode()
    assert "strategic meeting of 2 November 2026" in listed
    assert reverse("mace:meeting", args=[first.pk]) not in listed

    # A member reads the meeting's decisions, without the buttons to make them.
    page = signed_in_client(social_worker).get(reverse("mace:meeting", args=[second.pk]))
    text = page.content.decode()
    assert f"Taken off: {danny.reference}" in text
    assert "Add to the MACE list" not in text and "Record a MACE list decision" not in text


def test_each_wrong_answer_is_named_and_what_was_typed_is_kept(
    partnership, coordinator, panel, danny, police_analyst
):
    meeting = services.meeting_create(
        actor=coordinator, panel=panel, kind=MeetingKind.CASE, held_on=dt.date(2026, 11, 2)
    )
    chair = signed_in_client(coordinator)
    cases = [
        ("", "", ["Enter the person&#x27;s reference", "Choose whether the panel added"]),
        ("V-000001", "add", ["V-000001 is not a person"]),
        ("someone", "add", ["Enter a person&#x27;s reference, like P-000042"]),
        ("P-999999", "add", ["No person has that reference"]),
        (danny.reference, "remove", [f"{danny.reference} is not on the MACE list"]),
    ]
    for reference, decision, messages in cases:
        answer = _decide(chair, meeting, reference, decision)
        text = answer.content.decode()
        assert answer.status_code == 400, reference
        assert all(message in text for message in messages), (reference, text)
        if reference:
            assert f'value="{reference}"' in text
    services.mace_listing_add(actor=police_analyst, entity=danny, meeting=meeting)
    answer = _decide(chair, meeting, danny.reference.lower(), "add")
    assert f"{danny.reference} is already on the MACE list" in answer.content.decode()
    assert MaceListing.objects.count() == 1

    future = services.meeting_create(
        actor=coordinator,
        panel=panel,
        kind=MeetingKind.CASE,
        held_on=timezone.localdate() + dt.timedelta(days=14),
    )
    page = chair.get(reverse("mace:meeting", args=[future.pk])).content.decode()
    assert "Record a MACE list decision" not in page  # nothing can be agreed there yet
    answer = _decide(chair, future, danny.reference, "remove")
    assert answer.status_code == 400
    assert "has not been held yet" in answer.content.decode()
    assert MaceListing.objects.get().is_current


def test_only_whoever_runs_the_panel_decides_and_each_refusal_is_audited(
    partnership, coordinator, panel, danny, social_worker, school_dsl, police_analyst
):
    meeting = services.meeting_create(
        actor=coordinator, panel=panel, kind=MeetingKind.CASE, held_on=dt.date(2026, 11, 2)
    )
    url = reverse("mace:meeting-listing", args=[meeting.pk])
    # A member who does not run the panel, someone not on it, and the CSE team (who record
    # from the entity page instead): refused by the access policy, each refusal audited.
    for user in (social_worker, school_dsl, police_analyst):
        client = signed_in_client(user)
        for answer in (client.get(url), _decide(client, meeting, danny.reference, "add")):
            assert answer.status_code == 403, user
        denied = AuditEvent.objects.filter(
            actor=user, outcome=Outcome.DENIED, target_id="mace:meeting-listing"
        )
        assert denied.count() == 2, user
    # Another partnership's coordinator finds no such meeting, and the attempt is audited.
    elsewhere = PartnershipFactory(slug="elsewhere", name="Elsewhere Partnership")
    stranger = UserFactory(agency=AgencyFactory(partnership=elsewhere), role=Role.MACE_COORDINATOR)
    assert _decide(signed_in_client(stranger), meeting, danny.reference, "add").status_code == 404
    assert AuditEvent.objects.filter(
        actor=stranger,
        outcome=Outcome.DENIED,
        target_type="panel_meeting",
        target_id=str(meeting.pk),
    ).exists()
    assert not MaceListing.objects.exists()

    # The services refuse as well, whoever calls them.
    with pytest.raises(PermissionDenied):
        services.mace_listing_add(actor=social_worker, entity=danny, meeting=meeting)
    with pytest.raises(PermissionDenied):
        services.mace_listing_add(actor=stranger, entity=danny, meeting=meeting)
    with pytest.raises(PermissionDenied):
        services.mace_listing_add(
            actor=coordinator, entity=danny, meeting=MeetingFactory(panel__partnership=elsewhere)
        )


def test_a_removal_must_come_at_or_after_the_listing_and_a_relisting_after_the_removal(
    partnership, coordinator, panel, danny
):
    meetings = {
        day: MeetingFactory(panel=panel, held_on=dt.date(2026, month, day))
        for month, day in ((9, 7), (10, 5), (11, 2))
    }
    listing = services.mace_listing_add(actor=coordinator, entity=danny, meeting=meetings[5])
    with pytest.raises(ValidationError, match="listed at the panel of 5 October 2026"):
        services.mace_listing_remove(actor=coordinator, listing=listing, meeting=meetings[7])
    services.mace_listing_remove(actor=coordinator, listing=listing, meeting=meetings[2])
    with pytest.raises(ValidationError, match="is no longer on the MACE list"):
        services.mace_listing_remove(actor=coordinator, listing=listing, meeting=meetings[2])
    with pytest.raises(ValidationError, match="taken off the MACE list at the panel of 2 Nov"):
        services.mace_listing_add(actor=coordinator, entity=danny, meeting=meetings[5])
    services.mace_listing_add(actor=coordinator, entity=danny, meeting=meetings[2])
    assert MaceListing.objects.filter(entity=danny, removed_at__isnull=True).count() == 1


def test_listings_made_before_keep_their_panel_date_and_find_their_meeting_if_only_one(
    partnership, panel, danny, police_analyst
):
    from django.apps import apps

    migration = importlib.import_module("csehub.mace.migrations.0003_listing_at_meeting")
    one = MeetingFactory(panel=panel, held_on=dt.date(2026, 9, 7))
    MeetingFactory(panel=panel, held_on=dt.date(2026, 10, 5), kind=MeetingKind.STRATEGIC)
    MeetingFactory(panel=panel, held_on=dt.date(2026, 10, 5))
    # As listings were recorded before: a typed panel date, no meeting.
    matched = MaceListing.objects.create(
        partnership=partnership,
        entity=danny,
        panel_date=dt.date(2026, 9, 7),
        listed_by=police_analyst,
        removed_at=timezone.now(),
        removed_by=police_analyst,
    )
    two_that_day = MaceListing.objects.create(
        partnership=partnership,
        entity=danny,
        panel_date=dt.date(2026, 10, 5),
        listed_by=police_analyst,
    )
    migration._link_earlier_listings(apps, None)
    matched.refresh_from_db()
    two_that_day.refresh_from_db()
    assert (matched.agreed_at, matched.removed_at_meeting) == (one, None)
    assert two_that_day.agreed_at is None
    assert two_that_day.panel_date == dt.date(2026, 10, 5)
