import pytest
from django.urls import reverse

from csehub.audit.models import AuditEvent, Outcome
from csehub.intelligence.services import SharedItems, report_share
from csehub.linking.models import LinkSuggestion, MentionEntity, SuggestionStatus
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import PartnershipFactory

from .helpers import report_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(partnership, school_practitioner):
    report_import(partnership, "A-1", vehicles=[{"ref": "v1", "plate": "YX12 ABC"}])
    return report_share(
        actor=school_practitioner,
        text="A silver car, plate YX1? ?BC, picked her up outside the takeaway.",
        how_known="saw_it",
        observed_at=None,
        items=SharedItems(vehicles=[{"plate": "YX1? ?BC"}]),
    )


def test_the_analyst_sees_what_a_report_links_to_and_why(shared, police_analyst):
    page = signed_in_client(police_analyst).get(reverse("intelligence:grade", args=[shared.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Links" in text and "A-1/v1" in text
    assert "Partial plate fits" in text and "YX1??BC fits YX12ABC" in text


def test_the_analyst_confirms_a_link_from_the_report_page(shared, police_analyst):
    suggestion = LinkSuggestion.objects.get(mention_id=f"{shared.external_id}/v1")
    page = signed_in_client(police_analyst).post(
        reverse("linking:suggestion-decide", args=[suggestion.pk]),
        {"decision": "confirm", "next": reverse("intelligence:grade", args=[shared.pk])},
        follow=True,
    )
    assert "Link confirmed" in page.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.CONFIRMED
    entity = MentionEntity.objects.get(mention_id="A-1/v1").entity
    page = signed_in_client(police_analyst).get(reverse("linking:entity", args=[entity.pk]))
    assert page.status_code == 200
    assert f"{shared.external_id}/v1" in page.content.decode()


def test_the_analyst_sees_what_the_engine_resolved_and_can_undo_it(shared, police_analyst):
    # The partial plate fits the one known plate: the engine joined the two.
    mine = f"{shared.external_id}/v1"
    suggestion = LinkSuggestion.objects.get(mention_id=mine)
    assert suggestion.status == SuggestionStatus.RESOLVED
    client = signed_in_client(police_analyst)
    page = client.get(reverse("intelligence:grade", args=[shared.pk]))
    text = page.content.decode()
    assert "Resolved by the engine" in text and "Not the same" in text
    page = client.post(
        reverse("linking:suggestion-decide", args=[suggestion.pk]),
        {"decision": "reject", "next": reverse("intelligence:grade", args=[shared.pk])},
        follow=True,
    )
    assert "Link rejected" in page.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REJECTED
    assert (
        MentionEntity.objects.get(mention_id=mine).entity_id
        != MentionEntity.objects.get(mention_id="A-1/v1").entity_id
    )


def test_a_partner_never_sees_match_results_on_their_own_report(shared, school_practitioner):
    page = signed_in_client(school_practitioner).get(
        reverse("intelligence:detail", args=[shared.pk])
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "A-1/v1" not in text and "Partial plate fits" not in text


@pytest.mark.parametrize("name", ["linking:alerts"])
def test_a_school_practitioner_cannot_open_analyst_pages(name, school_practitioner, shared):
    assert signed_in_client(school_practitioner).get(reverse(name)).status_code == 403


def test_a_school_practitioner_cannot_decide_links(shared, school_practitioner):
    suggestion = LinkSuggestion.objects.get(mention_id=f"{shared.external_id}/v1")
    client = signed_in_client(school_practitioner)
    response = client.post(
        reverse("linking:suggestion-decide", args=[suggestion.pk]), {"decision": "confirm"}
    )
    assert response.status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.RESOLVED  # as the engine left it


def test_a_school_practitioner_cannot_open_an_entity(partnership, school_practitioner):
    report_import(partnership, "A-1", phones=[{"ref": "t1", "number": "07700 900123"}])
    report_import(partnership, "A-2", phones=[{"ref": "t1", "number": "07700 900123"}])
    entity = MentionEntity.objects.get(mention_id="A-1/t1").entity
    url = reverse("linking:entity", args=[entity.pk])
    assert signed_in_client(school_practitioner).get(url).status_code == 403


def test_the_alerts_page_lists_alerts(partnership, police_analyst):
    phone = {"ref": "t1", "number": "07700 900123"}
    report_import(
        partnership, "A-1", children=[{"ref": "c1", "name": "Jessica Ashdown"}], phones=[phone]
    )
    report_import(
        partnership, "A-2", children=[{"ref": "c1", "name": "Olivia Brackley"}], phones=[phone]
    )
    page = signed_in_client(police_analyst).get(reverse("linking:alerts"))
    assert page.status_code == 200
    assert "2 children" in page.content.decode()


def _phone_entity(partnership, prefix, number):
    report_import(partnership, f"{prefix}-1", phones=[{"ref": "t1", "number": number}])
    report_import(partnership, f"{prefix}-2", phones=[{"ref": "t1", "number": number}])
    return MentionEntity.objects.get(mention_id=f"{prefix}-1/t1").entity


def test_the_analyst_merges_two_entities_by_reference(partnership, police_analyst):
    keep = _phone_entity(partnership, "A", "07700 900123")
    other = _phone_entity(partnership, "B", "07700 900456")
    client = signed_in_client(police_analyst)
    response = client.post(
        reverse("linking:entity-merge", args=[keep.pk]), {"other": other.reference}
    )
    assert response.status_code == 302
    assert MentionEntity.objects.get(mention_id="B-1/t1").entity_id == keep.pk


def test_merging_an_entity_of_another_partnership_is_refused_and_audited(
    partnership, police_analyst
):
    keep = _phone_entity(partnership, "A", "07700 900123")
    elsewhere = PartnershipFactory(slug="elsewhere", name="Elsewhere Partnership")
    hidden = _phone_entity(elsewhere, "X", "07700 900789")
    client = signed_in_client(police_analyst)
    response = client.post(
        reverse("linking:entity-merge", args=[keep.pk]), {"other": hidden.reference}
    )
    assert response.status_code == 400
    assert "No entity has that reference" in response.content.decode()
    assert MentionEntity.objects.get(mention_id="X-1/t1").entity_id == hidden.pk
    assert AuditEvent.objects.filter(
        actor=police_analyst,
        target_type="link_entity",
        target_id=str(hidden.pk),
        outcome=Outcome.DENIED,
    ).exists()
