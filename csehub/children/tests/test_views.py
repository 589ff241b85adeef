"""Recording children, the likely-duplicate warning, and who can see a child's page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q
from django.urls import reverse

from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.children import scopes
from csehub.children.models import CareStatus, Child, Ethnicity
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import ChildFactory, ConcernFactory

pytestmark = pytest.mark.django_db


def _child_form(**overrides):
    data = {
        "given_name": "Lexi",
        "family_name": "Marsh",
        "known_as": "",
        "aliases-TOTAL_FORMS": "3",
        "aliases-INITIAL_FORMS": "0",
        "aliases-0-name": "",
        "aliases-0-kind": "nickname",
        "aliases-1-name": "",
        "aliases-1-kind": "nickname",
        "aliases-2-name": "",
        "aliases-2-kind": "nickname",
        "age_known": "dob",
        "date_of_birth_day": "2",
        "date_of_birth_month": "4",
        "date_of_birth_year": "2011",
        "age_estimate_years": "",
        "gender": "female",
        "ethnicity": Ethnicity.NOT_RECORDED,
        "disability": "not_recorded",
        "care_status": CareStatus.NONE_KNOWN,
        "school_or_setting": "Elmfield Academy",
        "home_postcode": "fb1 2ab",
    }
    data.update(overrides)
    return data


def test_a_practitioner_records_a_child_with_no_likely_duplicate(school_practitioner):
    response = signed_in_client(school_practitioner).post(reverse("children:create"), _child_form())
    child = Child.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("children:detail", args=[child.pk])
    assert child.home_postcode == "FB1 2AB"
    assert child.care_status == CareStatus.NONE_KNOWN
    assert child.ethnicity == Ethnicity.NOT_RECORDED  # a gap, kept apart from "none"
    assert AuditEvent.objects.filter(verb=Verb.CREATED, target_type="child").exists()


def test_a_likely_duplicate_is_shown_before_a_new_record_is_made(school_practitioner):
    existing = ChildFactory(
        created_by=school_practitioner, given_name="Alexandra", family_name="Marsh"
    )
    client = signed_in_client(school_practitioner)
    response = client.post(reverse("children:create"), _child_form())
    page = response.content.decode()
    assert response.status_code == 200
    assert "This child may already have a record" in page
    assert "Alexandra Marsh" in page
    assert reverse("children:detail", args=[existing.pk]) in page
    assert Child.objects.count() == 1

    # "This is a different child" carries everything entered and creates the record.
    response = client.post(reverse("children:create"), {**_child_form(), "different_child": "yes"})
    assert response.status_code == 302
    assert Child.objects.count() == 2
    created = AuditEvent.objects.filter(verb=Verb.CREATED, target_type="child").get()
    assert created.detail["duplicates_shown"] == 1


def test_a_match_in_another_agency_is_mentioned_without_its_details(
    school_practitioner, other_practitioner
):
    ChildFactory(
        created_by=other_practitioner,
        given_name="Alexandra",
        family_name="Marsh",
        school_or_setting="Brookside High School",
    )
    response = signed_in_client(school_practitioner).post(reverse("children:create"), _child_form())
    page = response.content.decode()
    assert "A possible match exists in another agency" in page
    assert "contact the children's social care front door" in page
    assert "Alexandra" not in page
    assert "Brookside" not in page


def test_a_validation_error_keeps_everything_entered(school_practitioner):
    response = signed_in_client(school_practitioner).post(
        reverse("children:create"),
        _child_form(date_of_birth_month="13", home_postcode="not a postcode", known_as="Lex"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Date of birth must be a real date" in page
    assert "Enter a real postcode" in page
    assert 'value="Lexi"' in page and 'value="Lex"' in page and 'value="not a postcode"' in page
    assert 'value="2011"' in page
    assert Child.objects.count() == 0


def test_an_age_must_be_given_or_said_to_be_unknown(school_practitioner):
    response = signed_in_client(school_practitioner).post(
        reverse("children:create"), _child_form(age_known="estimate")
    )
    assert "Enter the child&#x27;s estimated age" in response.content.decode()
    response = signed_in_client(school_practitioner).post(
        reverse("children:create"),
        _child_form(age_known="unknown", given_name="Orla", family_name="Vance"),
    )
    assert response.status_code == 302
    assert Child.objects.get().age_not_known


def test_a_practitioner_sees_the_child_they_raised_a_concern_about(school_practitioner):
    concern = ConcernFactory(raised_by=school_practitioner)
    response = signed_in_client(school_practitioner).get(
        reverse("children:detail", args=[concern.child.pk])
    )
    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        verb=Verb.VIEWED,
        target_type="child",
        target_id=str(concern.child.pk),
        outcome=Outcome.ALLOWED,
    ).exists()


def test_another_agencys_practitioner_gets_404_and_a_denied_audit_event(
    school_practitioner, other_practitioner
):
    concern = ConcernFactory(raised_by=school_practitioner)
    response = signed_in_client(other_practitioner).get(
        reverse("children:detail", args=[concern.child.pk])
    )
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        actor=other_practitioner,
        verb=Verb.VIEWED,
        target_type="child",
        target_id=str(concern.child.pk),
        outcome=Outcome.DENIED,
    ).exists()


def test_the_safeguarding_lead_sees_children_their_agency_raised_concerns_about(
    school_practitioner, school_dsl, other_practitioner
):
    ours = ConcernFactory(raised_by=school_practitioner).child
    theirs = ConcernFactory(raised_by=other_practitioner).child
    client = signed_in_client(school_dsl)
    assert client.get(reverse("children:detail", args=[ours.pk])).status_code == 200
    assert client.get(reverse("children:detail", args=[theirs.pk])).status_code == 404
    listing = client.get(reverse("children:list")).content.decode()
    assert ours.given_name in listing and theirs.given_name not in listing


def test_a_social_worker_sees_their_allocated_children_only(school_practitioner, social_worker):
    allocated = ConcernFactory(raised_by=school_practitioner).child
    allocated.allocated_social_worker = social_worker
    allocated.save()
    other = ConcernFactory(raised_by=school_practitioner).child
    client = signed_in_client(social_worker)
    assert client.get(reverse("children:detail", args=[allocated.pk])).status_code == 200
    assert client.get(reverse("children:detail", args=[other.pk])).status_code == 404


def test_the_front_door_sees_every_child_in_the_partnership(school_practitioner, front_door):
    child = ConcernFactory(raised_by=school_practitioner).child
    assert (
        signed_in_client(front_door).get(reverse("children:detail", args=[child.pk])).status_code
        == 200
    )


def test_the_police_desk_sees_only_what_a_registered_scope_gives_it(
    school_practitioner, police_desk
):
    child = ConcernFactory(raised_by=school_practitioner).child
    client = signed_in_client(police_desk)
    assert client.get(reverse("children:detail", args=[child.pk])).status_code == 404

    def referred(user):
        return Q(pk=child.pk) if user == police_desk else None

    scopes.register_child_scope(referred)
    try:
        assert client.get(reverse("children:detail", args=[child.pk])).status_code == 200
    finally:
        scopes._providers.unregister(referred)


def test_the_front_door_allocates_a_social_worker(school_practitioner, front_door, social_worker):
    child = ConcernFactory(raised_by=school_practitioner).child
    data = _child_form(
        given_name=child.given_name,
        family_name=child.family_name,
        allocated_social_worker=str(social_worker.pk),
    )
    response = signed_in_client(front_door).post(reverse("children:edit", args=[child.pk]), data)
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.allocated_social_worker == social_worker
    assert child.date_of_birth == dt.date(2011, 4, 2)


def test_a_date_of_birth_before_1900_is_a_slip_and_is_refused(school_practitioner):
    response = signed_in_client(school_practitioner).post(
        reverse("children:create"), _child_form(date_of_birth_year="1011", known_as="Lex")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Date of birth must be in or after 1900" in page
    assert 'value="Lex"' in page
