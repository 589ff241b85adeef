import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.intelligence import services as intelligence_services
from csehub.intelligence.services import SharedItems
from csehub.linking import services as linking_services
from csehub.linking.engine.arrival import link_on_arrival
from csehub.linking.models import Alert, AlertKind, LinkSuggestion, MentionEntity
from csehub.linking.tests.helpers import report_import
from csehub.mace import services
from csehub.mace.models import MaceListing
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import MeetingFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

DANNY = {"ref": "p1", "name": "Daniel Dorrington", "age_estimate": 30}
DANNY_AGAIN = {"ref": "p1", "name": "Danny Dorrington", "age_estimate": 31}


def _person_entity(partnership, analyst):
    """A person the analyst has resolved: two reports naming him, the link confirmed."""
    report_import(partnership, "A-0", persons=[DANNY])
    report_import(partnership, "A-1", persons=[DANNY])
    suggestion = LinkSuggestion.objects.get(mention_id="A-1/p1", target_mention_id="A-0/p1")
    linking_services.suggestion_confirm(actor=analyst, suggestion=suggestion)
    return MentionEntity.objects.get(mention_id="A-1/p1").entity


def _listed(partnership, police_analyst):
    entity = _person_entity(partnership, police_analyst)
    meeting = MeetingFactory(panel__partnership=partnership, held_on=dt.date(2026, 11, 2))
    services.mace_listing_add(actor=police_analyst, entity=entity, meeting=meeting)
    return entity


def test_a_partner_sharing_a_listed_persons_name_alerts_the_cse_team_by_email(
    partnership, police_analyst, social_worker, django_capture_on_commit_callbacks
):
    entity = _listed(partnership, police_analyst)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = intelligence_services.report_share(
            actor=social_worker,
            text="Danny Dorrington was waiting outside the school gates.",
            how_known="saw_it",
            observed_at=None,
            items=SharedItems(persons=[{"name": "Danny Dorrington", "age_estimate": 31}]),
        )
    alert = Alert.objects.get(kind=AlertKind.LINKS_MACE_PERSON)
    assert alert.entity == entity
    assert [m.mention_id.split("/")[0] for m in alert.mentions.all()] == [report.external_id]
    assert [m.to for m in mail.outbox] == [[police_analyst.email]]
    assert "MACE list" in mail.outbox[0].subject
    body = mail.outbox[0].body
    assert "MACE list" in body and "Dorrington" not in body and "Danny" not in body


def test_an_imported_report_naming_a_listed_person_raises_an_alert(partnership, police_analyst):
    entity = _listed(partnership, police_analyst)
    report_import(partnership, "A-2", persons=[DANNY_AGAIN])
    alert = Alert.objects.get(kind=AlertKind.LINKS_MACE_PERSON)
    assert alert.entity == entity
    assert list(alert.mentions.values_list("mention_id", flat=True)) == ["A-2/p1"]


def test_importing_the_same_report_again_raises_no_second_alert(partnership, police_analyst):
    _listed(partnership, police_analyst)
    report = report_import(partnership, "A-2", persons=[DANNY_AGAIN])
    link_on_arrival(report=report, notify=False)  # linked again, as a re-run would
    assert Alert.objects.filter(kind=AlertKind.LINKS_MACE_PERSON).count() == 1


def test_no_alert_once_the_person_is_taken_off_the_list(partnership, police_analyst):
    entity = _listed(partnership, police_analyst)
    listing = entity.mace_listings.get()
    services.mace_listing_remove(actor=police_analyst, listing=listing, meeting=listing.agreed_at)
    report_import(partnership, "A-2", persons=[DANNY_AGAIN])
    assert not Alert.objects.filter(kind=AlertKind.LINKS_MACE_PERSON).exists()


def test_an_unrelated_person_raises_no_alert(partnership, police_analyst):
    _listed(partnership, police_analyst)
    report_import(partnership, "A-2", persons=[{"ref": "p1", "name": "Imogen Castleford"}])
    assert not Alert.objects.filter(kind=AlertKind.LINKS_MACE_PERSON).exists()


def test_the_analyst_lists_a_person_from_the_entity_page_at_a_meeting(partnership, police_analyst):
    entity = _person_entity(partnership, police_analyst)
    meeting = MeetingFactory(panel__partnership=partnership, held_on=dt.date(2026, 11, 2))
    client = signed_in_client(police_analyst)
    page = client.get(reverse("linking:entity", args=[entity.pk]))
    assert "Not on the MACE list" in page.content.decode()
    add = reverse("mace:listing-add", args=[entity.pk])
    assert "Case meeting, 2 November 2026" in client.get(add).content.decode()
    response = client.post(add, {"meeting": meeting.pk})
    assert response.status_code == 302
    page = client.get(reverse("linking:entity", args=[entity.pk])).content.decode()
    assert "since the panel of 2 November 2026" in page
    listing = MaceListing.objects.get(entity=entity)
    assert (listing.agreed_at, listing.panel_date) == (meeting, dt.date(2026, 11, 2))
    event = AuditEvent.objects.get(
        verb=Verb.CREATED, target_type="mace_listing", target_id=str(listing.pk)
    )
    assert event.detail == {"entity": entity.pk, "meeting": meeting.pk}
    listed = client.get(reverse("mace:list")).content.decode()
    # The analyst does not sit on the panel: the meeting is named by its date, not opened.
    assert entity.reference in listed and "case meeting of 2 November 2026" in listed
    assert reverse("mace:meeting", args=[meeting.pk]) not in listed


def test_a_meeting_not_chosen_not_held_yet_or_elsewhere_is_refused_with_what_was_chosen_kept(
    partnership, police_analyst
):
    entity = _person_entity(partnership, police_analyst)
    held = MeetingFactory(panel__partnership=partnership, held_on=dt.date(2026, 11, 2))
    future = MeetingFactory(
        panel__partnership=partnership, held_on=timezone.localdate() + dt.timedelta(days=30)
    )
    elsewhere = MeetingFactory(
        panel__partnership=PartnershipFactory(slug="elsewhere", name="Elsewhere"),
        held_on=dt.date(2026, 11, 2),
    )
    client = signed_in_client(police_analyst)
    add = reverse("mace:listing-add", args=[entity.pk])
    form = client.get(add).content.decode()
    assert f'value="{held.pk}"' in form
    assert f'value="{future.pk}"' not in form and f'value="{elsewhere.pk}"' not in form
    response = client.post(add, {"meeting": ""})
    assert response.status_code == 400
    assert "Choose the panel meeting that agreed to list this person" in response.content.decode()
    for meeting in (future, elsewhere):
        response = client.post(add, {"meeting": meeting.pk})
        assert response.status_code == 400
        assert "Choose one of the panel&#x27;s meetings held on or before today" in (
            response.content.decode()
        )
    assert not MaceListing.objects.exists()


def test_only_a_person_can_be_listed(partnership, police_analyst):
    report_import(partnership, "A-1", phones=[{"ref": "t1", "number": "07700 900123"}])
    report_import(partnership, "A-2", phones=[{"ref": "t1", "number": "07700900123"}])
    phone = MentionEntity.objects.get(mention_id="A-1/t1").entity
    meeting = MeetingFactory(panel__partnership=partnership)
    client = signed_in_client(police_analyst)
    response = client.post(reverse("mace:listing-add", args=[phone.pk]), {"meeting": meeting.pk})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Only a person of concern" in text
    assert f'<option value="{meeting.pk}" selected>' in text  # the choice is kept


def test_taking_someone_off_at_a_later_meeting_keeps_the_history(partnership, police_analyst):
    entity = _person_entity(partnership, police_analyst)
    first, earlier, later, again = (
        MeetingFactory(panel__partnership=partnership, held_on=day)
        for day in (
            dt.date(2026, 9, 7),
            dt.date(2026, 8, 3),
            dt.date(2026, 10, 5),
            dt.date(2026, 11, 2),
        )
    )
    listing = services.mace_listing_add(actor=police_analyst, entity=entity, meeting=first)
    client = signed_in_client(police_analyst)
    remove = reverse("mace:listing-remove", args=[listing.pk])
    form = client.get(remove).content.decode()
    # Only meetings since the listing could have taken the person off.
    assert f'value="{later.pk}"' in form and f'value="{earlier.pk}"' not in form
    response = client.post(remove, {"meeting": earlier.pk})
    assert response.status_code == 400
    listing.refresh_from_db()
    assert listing.is_current
    response = client.post(remove, {"meeting": later.pk})
    assert response.status_code == 302
    listing.refresh_from_db()
    assert (listing.removed_by, listing.removed_at_meeting) == (police_analyst, later)
    page = client.get(reverse("mace:list")).content.decode()
    assert "Nobody is on the MACE list" in page and "Taken off the list" in page
    assert "case meeting of 5 October 2026" in page
    response = client.post(reverse("mace:listing-add", args=[entity.pk]), {"meeting": again.pk})
    assert response.status_code == 302
    assert MaceListing.objects.filter(entity=entity).count() == 2
    text = " ".join(client.get(reverse("mace:list")).content.decode().split())
    history = [
        "Listed at the case meeting of 7 September 2026",
        "Taken off at the case meeting of 5 October 2026",
        "Listed again at the case meeting of 2 November 2026",
    ]
    assert all(step in text for step in history)
    assert text.index(history[0]) < text.index(history[1]) < text.index(history[2])


def test_partners_cannot_see_or_change_the_list_and_each_refusal_is_audited(
    partnership, police_analyst, social_worker
):
    entity = _listed(partnership, police_analyst)
    listing = entity.mace_listings.get()
    client = signed_in_client(social_worker)
    for method, url in [
        ("get", reverse("mace:list")),
        ("get", reverse("mace:listing-add", args=[entity.pk])),
        ("get", reverse("mace:listing-remove", args=[listing.pk])),
        ("post", reverse("mace:listing-remove", args=[listing.pk])),
    ]:
        before = AuditEvent.objects.filter(actor=social_worker, outcome=Outcome.DENIED).count()
        response = getattr(client, method)(url)
        assert response.status_code == 403, url
        after = AuditEvent.objects.filter(actor=social_worker, outcome=Outcome.DENIED).count()
        assert after == before + 1, url
    listing.refresh_from_db()
    assert listing.removed_at is None
