"""The disclosure pages: the steps beside the form, signing, the quotation, addenda."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csehub.audit.models import AuditEvent, Outcome
from csehub.children.chronology import chronology_for
from csehub.disclosures import services
from csehub.disclosures.models import Disclosure
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import TEST_PASSWORD, UserFactory

from .conftest import details

pytestmark = pytest.mark.django_db

FORM = {
    "occurred_on": "20/11/2026",
    "occurred_time": "10:15",
    "place": "The library office",
    "who_was_present": "No one else.",
    "childs_words": "He said I owe him now.",
    "practitioner_response": "I listened and said I would tell the safeguarding lead.",
    "who_was_told": "Dana Lead.",
}


def test_the_form_shows_the_steps_where_they_are_needed(school_practitioner, child):
    page = signed_in_client(school_practitioner).get(reverse("disclosures:create", args=[child.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "What to do when a child tells you" in text
    for step in ("Receive.", "Reassure.", "React.", "Record.", "Support."):
        assert step in text
    assert "Do not promise to keep it a secret" in text


def test_a_wrong_password_keeps_everything_entered(school_practitioner, child):
    response = signed_in_client(school_practitioner).post(
        reverse("disclosures:create", args=[child.pk]), {**FORM, "sign": "1", "password": "nope"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "The password is not right" in text
    assert "He said I owe him now." in text
    assert "The library office" in text
    assert not Disclosure.objects.exists()


def test_signing_from_the_form_shows_the_childs_words_as_a_quotation(school_practitioner, child):
    client = signed_in_client(school_practitioner)
    response = client.post(
        reverse("disclosures:create", args=[child.pk]),
        {**FORM, "sign": "1", "password": TEST_PASSWORD},
    )
    disclosure = Disclosure.objects.get()
    assert response["Location"] == reverse("disclosures:detail", args=[disclosure.pk])
    assert disclosure.is_signed
    page = client.get(response["Location"]).content.decode()
    assert '<blockquote class="govuk-inset-text app-childs-words">' in page
    assert "He said I owe him now." in page
    assert "This record cannot be changed" in page
    # Changing a signed record is not offered, and its edit page is not found.
    edit = client.get(reverse("disclosures:edit", args=[disclosure.pk]))
    assert edit.status_code == 404


def test_a_draft_is_saved_without_a_password(school_practitioner, child):
    response = signed_in_client(school_practitioner).post(
        reverse("disclosures:create", args=[child.pk]), {**FORM, "draft": "1"}
    )
    assert response.status_code == 302
    assert not Disclosure.objects.get().is_signed


def test_an_addendum_from_the_page(signed, school_dsl):
    client = signed_in_client(school_dsl)
    response = client.post(
        reverse("disclosures:addendum", args=[signed.pk]), {"text": "Referred this morning."}
    )
    assert response.status_code == 302
    page = client.get(reverse("disclosures:detail", args=[signed.pk])).content.decode()
    assert "Referred this morning." in page
    assert "Added by Dana Lead" in page


def test_another_schools_practitioner_cannot_read_it(signed, partnership):
    outsider = UserFactory(role="practitioner")
    response = signed_in_client(outsider).get(reverse("disclosures:detail", args=[signed.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        actor=outsider, target_type="disclosure", outcome=Outcome.DENIED
    ).exists()


def test_a_draft_is_the_authors_alone(school_practitioner, school_dsl, child):
    draft = services.disclosure_create(actor=school_practitioner, child=child, details=details())
    response = signed_in_client(school_dsl).get(reverse("disclosures:detail", args=[draft.pk]))
    assert response.status_code == 404


def test_disclosures_and_addenda_appear_in_the_chronology(signed, school_practitioner):
    services.addendum_add(actor=school_practitioner, disclosure=signed, text="A correction.")
    kinds = [e.kind for e in chronology_for(child=signed.child, user=school_practitioner)]
    assert "disclosure" in kinds
    assert "disclosure_addendum" in kinds


def test_wording_guidance_is_shown_once_for_what_the_practitioner_wrote(school_practitioner, child):
    client = signed_in_client(school_practitioner)
    url = reverse("disclosures:create", args=[child.pk])
    flagged = {**FORM, "draft": "1", "practitioner_response": "She is putting herself at risk."}
    first = client.post(url, flagged)
    assert first.status_code == 200
    assert "Please look at the wording guidance" in first.content.decode()
    assert not Disclosure.objects.exists()


def test_the_childs_own_words_are_never_checked(school_practitioner, child):
    response = signed_in_client(school_practitioner).post(
        reverse("disclosures:create", args=[child.pk]),
        {**FORM, "draft": "1", "childs_words": "I was putting myself at risk, he's my boyfriend"},
    )
    assert response.status_code == 302
