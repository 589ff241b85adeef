"""Recording, signing and adding to disclosures: once signed, nothing changes the record."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from csehub.audit.models import AuditEvent, Outcome
from csehub.disclosures import services
from csehub.disclosures.models import Addendum, Disclosure, DisclosureStatus
from csehub.testing.factories import TEST_PASSWORD

from .conftest import CHILDS_WORDS, details

pytestmark = pytest.mark.django_db


def test_signing_with_the_right_password_makes_the_record_signed(signed):
    stored = Disclosure.objects.get(pk=signed.pk)
    assert stored.status == DisclosureStatus.SIGNED
    assert stored.signed_at is not None
    assert stored.childs_words == CHILDS_WORDS.strip()  # kept as typed, quotes and all


def test_a_wrong_password_saves_nothing_and_is_audited(school_practitioner, child):
    with pytest.raises(ValidationError) as error:
        services.disclosure_create(
            actor=school_practitioner,
            child=child,
            details=details(),
            sign_with_password="not my password",
        )
    assert "The password is not right" in error.value.message_dict["password"][0]
    assert not Disclosure.objects.exists()
    assert AuditEvent.objects.filter(
        actor=school_practitioner, target_type="disclosure", outcome=Outcome.DENIED
    ).exists()


def test_signing_needs_the_childs_words_when_and_where(school_practitioner, child):
    with pytest.raises(ValidationError) as error:
        services.disclosure_create(
            actor=school_practitioner,
            child=child,
            details=details(childs_words="", place="", occurred_time=None),
            sign_with_password=TEST_PASSWORD,
        )
    assert set(error.value.message_dict) == {"childs_words", "place", "occurred_time"}


def test_a_draft_can_be_changed_then_signed(school_practitioner, child):
    draft = services.disclosure_create(
        actor=school_practitioner, child=child, details=details(place="")
    )
    assert draft.status == DisclosureStatus.DRAFT
    services.disclosure_update(
        actor=school_practitioner,
        disclosure=draft,
        details=details(),
        sign_with_password=TEST_PASSWORD,
    )
    assert Disclosure.objects.get(pk=draft.pk).is_signed


def test_a_wrong_password_leaves_the_stored_draft_as_it_was(school_practitioner, child):
    draft = services.disclosure_create(
        actor=school_practitioner, child=child, details=details(place="Corridor")
    )
    with pytest.raises(ValidationError):
        services.disclosure_update(
            actor=school_practitioner,
            disclosure=draft,
            details=details(place="Library"),
            sign_with_password="wrong",
        )
    stored = Disclosure.objects.get(pk=draft.pk)
    assert (stored.status, stored.place) == (DisclosureStatus.DRAFT, "Corridor")


def test_only_the_author_changes_a_draft(school_practitioner, school_dsl, child):
    draft = services.disclosure_create(actor=school_practitioner, child=child, details=details())
    with pytest.raises(PermissionDenied):
        services.disclosure_update(actor=school_dsl, disclosure=draft, details=details())


def test_a_signed_disclosure_cannot_be_changed_through_the_service(signed, school_practitioner):
    with pytest.raises(ValidationError, match=r"cannot be changed\. Add an addendum"):
        services.disclosure_update(
            actor=school_practitioner, disclosure=signed, details=details(place="Elsewhere")
        )
    assert Disclosure.objects.get(pk=signed.pk).place == "The library office"


def test_the_database_refuses_an_orm_update_of_a_signed_disclosure(signed):
    with pytest.raises(DatabaseError, match="read-only"), transaction.atomic():
        Disclosure.objects.filter(pk=signed.pk).update(childs_words="Something else")
    assert Disclosure.objects.get(pk=signed.pk).childs_words == CHILDS_WORDS.strip()


def test_the_database_refuses_a_raw_sql_update_of_a_signed_disclosure(signed):
    with (
        pytest.raises(DatabaseError, match="read-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE disclosures_disclosure SET childs_words = %s WHERE id = %s",
            ["Something else", signed.pk],
        )
    assert Disclosure.objects.get(pk=signed.pk).childs_words == CHILDS_WORDS.strip()


def test_the_database_refuses_unsigning(signed):
    with (
        pytest.raises(DatabaseError, match="read-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE disclosures_disclosure SET status = 'draft', signed_at = NULL WHERE id = %s",
            [signed.pk],
        )
    assert Disclosure.objects.get(pk=signed.pk).is_signed


def test_a_draft_can_still_be_updated_in_the_database(school_practitioner, child):
    draft = services.disclosure_create(actor=school_practitioner, child=child, details=details())
    Disclosure.objects.filter(pk=draft.pk).update(place="Changed")
    assert Disclosure.objects.get(pk=draft.pk).place == "Changed"


def test_addenda_append_and_leave_the_original_alone(signed, school_dsl, school_practitioner):
    first = services.addendum_add(
        actor=school_practitioner, disclosure=signed, text="The time was 10:25, not 10:15."
    )
    second = services.addendum_add(actor=school_dsl, disclosure=signed, text="Referred today.")
    assert list(signed.addenda.all()) == [first, second]
    assert (second.author, second.agency) == (school_dsl, school_dsl.agency)
    stored = Disclosure.objects.get(pk=signed.pk)
    assert stored.occurred_time.strftime("%H:%M") == "10:15"
    assert stored.updated_at == signed.updated_at


def test_an_addendum_cannot_be_changed_in_the_database(signed, school_practitioner):
    addendum = services.addendum_add(actor=school_practitioner, disclosure=signed, text="Note.")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Addendum.objects.filter(pk=addendum.pk).update(text="Changed")
    assert Addendum.objects.get(pk=addendum.pk).text == "Note."


def test_a_draft_takes_no_addenda(school_practitioner, child):
    draft = services.disclosure_create(actor=school_practitioner, child=child, details=details())
    with pytest.raises(ValidationError, match="still a draft"):
        services.addendum_add(actor=school_practitioner, disclosure=draft, text="Note.")


def test_an_empty_addendum_is_refused(signed, school_practitioner):
    with pytest.raises(ValidationError):
        services.addendum_add(actor=school_practitioner, disclosure=signed, text="  ")
