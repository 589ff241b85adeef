import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

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
    services.mace_listing_add(actor=police_analyst, entity=entity, panel_date=dt.date(2026, 11, 2))
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
    services.mace_listing_remove(actor=police_analyst, listing=entity.mace_listings.get())
    report_import(partnership, "A-2", persons=[DANNY_AGAIN])
    assert not Alert.objects.filter(kind=AlertKind.LINKS_MACE_PERSON).exists()


def test_an_unrelated_person_raises_no_alert(partnership, police_analyst):
    _listed(partnership, police_analyst)
    report_import(partnership, "A-2", persons=[{"ref": "p1", "name": "Imogen Castleford"}])
    assert not Alert.objects.filter(kind=AlertKind.LINKS_MACE_PERSON).exists()


def test_the_analyst_lists_a_person_from_the_entity_page(partnership, police_analyst):
    entity = _person_entity(partnership, police_analyst)
    client = signed_in_client(police_analyst)
    page = client.get(reverse("linking:entity", args=[entity.pk]))
    assert "Not on the MACE list" in page.content.decode()
    add = reverse("mace:listing-add", args=[entity.pk])
    response = client.post(
        add, {"panel_date_day": "2", "panel_date_month": "11", "panel_date_year": "2026"}
    )
    assert response.status_code == 302
    page = client.get(reverse("linking:entity", args=[entity.pk])).content.decode()
    assert "since the panel of 2 November 2026" in page
    listing = MaceListing.objects.get(entity=entity)
    assert AuditEvent.objects.filter(
        verb=Verb.CREATED, target_type="mace_listing", target_id=str(listing.pk)
    ).exists()
    listed = client.get(reverse("mace:list")).content.decode()
    assert entity.reference in listed and "2 November 2026" in listed


def test_a_panel_date_that_is_missing_or_in_the_future_is_refused_and_kept(
    partnership, police_analyst
):
    entity = _person_entity(partnership, police_analyst)
    client = signed_in_client(police_analyst)
    add = reverse("mace:listing-add", args=[entity.pk])
    response = client.post(
        add, {"panel_date_day": "", "panel_date_month": "", "panel_date_year": ""}
    )
    assert response.status_code == 400
    assert "Enter the date of the panel" in response.content.decode()
    future = dt.date.today() + dt.timedelta(days=30)
    response = client.post(
        add,
        {
            "panel_date_day": str(future.day),
            "panel_date_month": str(future.month),
            "panel_date_year": str(future.year),
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "must be today or in the past" in page
    assert f'value="{future.year}"' in page
    assert not MaceListing.objects.exists()


def test_only_a_person_can_be_listed(partnership, police_analyst):
    report_import(partnership, "A-1", phones=[{"ref": "t1", "number": "07700 900123"}])
    report_import(partnership, "A-2", phones=[{"ref": "t1", "number": "07700900123"}])
    phone = MentionEntity.objects.get(mention_id="A-1/t1").entity
    client = signed_in_client(police_analyst)
    response = client.post(
        reverse("mace:listing-add", args=[phone.pk]),
        {"panel_date_day": "2", "panel_date_month": "11", "panel_date_year": "2026"},
    )
    assert response.status_code == 400
    assert "Only a person of concern" in response.content.decode()


def test_taking_someone_off_keeps_the_history(partnership, police_analyst):
    entity = _listed(partnership, police_analyst)
    listing = entity.mace_listings.get()
    client = signed_in_client(police_analyst)
    response = client.post(reverse("mace:listing-remove", args=[listing.pk]))
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.removed_by == police_analyst
    page = client.get(reverse("mace:list")).content.decode()
    assert "Nobody is on the MACE list" in page and "Taken off the list" in page
    assert (
        client.post(
            reverse("mace:listing-add", args=[entity.pk]),
            {"panel_date_day": "9", "panel_date_month": "11", "panel_date_year": "2026"},
        ).status_code
        == 302
    )
    assert MaceListing.objects.filter(entity=entity).count() == 2


def test_partners_cannot_see_or_change_the_list_and_each_refusal_is_audited(
    partnership, police_analyst, social_worker
):
    entity = _listed(partnership, police_analyst)
    listing = entity.mace_listings.get()
    client = signed_in_client(social_worker)
    for method, url in [
        ("get", reverse("mace:list")),
        ("get", reverse("mace:listing-add", args=[entity.pk])),
        ("post", reverse("mace:listing-remove", args=[listing.pk])),
    ]:
        before = AuditEvent.objects.filter(actor=social_worker, outcome=Outcome.DENIED).count()
        response = getattr(client, method)(url)
        assert response.status_code == 403, url
        after = AuditEvent.objects.filter(actor=social_worker, outcome=Outcome.DENIED).count()
        assert after == before + 1, url
    listing.refresh_from_db()
    assert listing.removed_at is None
