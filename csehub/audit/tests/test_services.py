"""Writing to the audit trail: every row links to the one before it."""

from __future__ import annotations

import pytest

from csehub.audit import context
from csehub.audit.chain import GENESIS, find_breaks, row_hash
from csehub.audit.management.commands.audit import CHAIN_FIELDS
from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_audit_record_builds_a_chain_that_verifies(school_practitioner):
    first = audit_record(
        actor=school_practitioner,
        verb=Verb.SIGNED_IN,
        target_type="user",
        target_id=school_practitioner.pk,
    )
    second = audit_record(actor=None, verb=Verb.SIGN_IN_FAILED, outcome=Outcome.DENIED)
    third = audit_record(
        actor=school_practitioner,
        verb=Verb.VIEWED,
        target_type="concern",
        target_id=42,
        detail={"fields": ["status"]},
    )

    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    rows = AuditEvent.objects.order_by("sequence").values(*CHAIN_FIELDS)
    assert list(find_breaks(iter(rows))) == []


def test_the_hash_covers_the_row_as_stored(school_practitioner):
    event = audit_record(
        actor=school_practitioner, verb=Verb.VIEWED, target_type="concern", target_id="7"
    )
    stored = AuditEvent.objects.values(*CHAIN_FIELDS).get(pk=event.pk)
    fields = {k: v for k, v in stored.items() if k != "hash"}
    assert row_hash(**fields) == stored["hash"]
    assert row_hash(**{**fields, "target_id": "8"}) != stored["hash"]


def test_request_id_and_address_come_from_the_request_context(school_practitioner):
    token = context.current.set(context.RequestContext("abc123", "192.0.2.10"))
    try:
        event = audit_record(actor=school_practitioner, verb=Verb.SIGNED_OUT)
    finally:
        context.current.reset(token)
    event.refresh_from_db()
    assert (event.request_id, event.ip_address) == ("abc123", "192.0.2.10")


def test_detail_must_hold_ids_and_codes_not_fractions(school_practitioner):
    # A float could come back from PostgreSQL spelt differently and break an untouched chain.
    with pytest.raises(TypeError, match=r"detail\.score"):
        audit_record(actor=school_practitioner, verb=Verb.UPDATED, detail={"score": 0.5})
    assert not AuditEvent.objects.exists()
