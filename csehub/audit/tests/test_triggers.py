"""The audit table is append-only: the database itself refuses UPDATE and DELETE.

The same tests run on SQLite and, with DATABASE_URL set, on PostgreSQL.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from csehub.audit.models import AuditEvent, Verb
from csehub.audit.services import audit_record, audit_seal_pending

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(school_practitioner):
    event = audit_record(
        actor=school_practitioner, verb=Verb.VIEWED, target_type="concern", target_id="42"
    )
    audit_seal_pending()
    event.refresh_from_db()
    return event


def _unchanged(event: AuditEvent) -> bool:
    stored = AuditEvent.objects.filter(pk=event.pk).values("target_id", "hash").first()
    return stored == {"target_id": "42", "hash": event.hash}


def test_orm_update_is_refused(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(target_id="43")
    assert _unchanged(event)


def test_orm_save_of_a_changed_row_is_refused(event):
    event.target_id = "43"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.save()
    assert _unchanged(event)


def test_orm_delete_is_refused(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert _unchanged(event)


def test_raw_sql_update_is_refused(event):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET target_id = %s WHERE id = %s", ["43", event.pk])
    assert _unchanged(event)


def test_raw_sql_delete_is_refused(event):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert _unchanged(event)


def test_inserting_still_works(event, school_practitioner):
    audit_record(actor=school_practitioner, verb=Verb.SIGNED_OUT)
    assert AuditEvent.objects.count() == 2


def test_a_sealed_row_cannot_be_sealed_again(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(hash="f" * 64, sequence=99)
    assert _unchanged(event)


def test_sealing_cannot_change_what_the_row_says(school_practitioner):
    unsealed = audit_record(actor=school_practitioner, verb=Verb.SIGNED_OUT, target_id="1")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=unsealed.pk).update(hash="e" * 64, sequence=5, target_id="2")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=unsealed.pk).update(target_id="2")
    assert AuditEvent.objects.get(pk=unsealed.pk).target_id == "1"
