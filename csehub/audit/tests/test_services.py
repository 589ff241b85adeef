"""Writing to the audit trail: rows land with their transaction and are sealed after it."""

from __future__ import annotations

import pytest

from csehub.audit import context
from csehub.audit.chain import CHAIN_FIELDS, GENESIS, content_mac, find_breaks
from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.audit.services import (
    AuditEntry,
    audit_record,
    audit_record_each,
    audit_seal_pending,
)
from csehub.testing.factories import ChildFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def test_sealing_links_rows_into_a_chain_that_verifies(school_practitioner):
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
    # Inside the test's transaction nothing has committed, so nothing is sealed yet.
    assert first.sequence is None and first.hash is None

    assert audit_seal_pending() == 3

    for event in (first, second, third):
        event.refresh_from_db()
    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    rows = AuditEvent.objects.order_by("sequence").values(*CHAIN_FIELDS)
    assert list(find_breaks(iter(rows))) == []
    assert audit_seal_pending() == 0


def test_events_written_together_are_sealed_in_order_and_verify(school_practitioner):
    before = audit_record(actor=school_practitioner, verb=Verb.SIGNED_IN)
    child = ChildFactory(created_by=school_practitioner)
    together = audit_record_each(
        [
            AuditEntry(Verb.CREATED, "link_alert", 7, partnership=school_practitioner.partnership),
            AuditEntry(Verb.VIEWED, "child", child.pk, partnership=school_practitioner.partnership),
        ]
    )
    assert audit_record_each([]) == []

    assert audit_seal_pending() == 3

    stored = list(AuditEvent.objects.order_by("sequence"))
    assert [e.pk for e in stored] == [before.pk, *(e.pk for e in together)]
    assert [(e.target_type, e.target_id, e.child_id) for e in stored[1:]] == [
        ("link_alert", "7", None),
        ("child", str(child.pk), child.pk),
    ]
    assert all(e.actor_id is None for e in stored[1:])
    rows = AuditEvent.objects.order_by("sequence").values(*CHAIN_FIELDS)
    assert list(find_breaks(iter(rows))) == []


def test_events_written_together_are_checked_like_one(school_practitioner):
    with pytest.raises(TypeError, match="ids and codes"):
        audit_record_each([AuditEntry(Verb.VIEWED, detail={"score": 0.5})])
    assert not AuditEvent.objects.exists()


def test_the_keyed_hash_covers_the_row_as_stored(school_practitioner):
    event = audit_record(
        actor=school_practitioner, verb=Verb.VIEWED, target_type="concern", target_id="7"
    )
    stored = AuditEvent.objects.values(*CHAIN_FIELDS).get(pk=event.pk)
    assert content_mac(stored) == stored["mac"]
    assert content_mac({**stored, "target_id": "8"}) != stored["mac"]
    assert content_mac({**stored, "child_id": 99}) != stored["mac"]


def test_the_hash_depends_on_the_audit_key(school_practitioner, settings):
    event = audit_record(actor=school_practitioner, verb=Verb.SIGNED_OUT)
    stored = AuditEvent.objects.values(*CHAIN_FIELDS).get(pk=event.pk)
    settings.CSEHUB_AUDIT_KEY = "another-key-" + "q" * 40
    assert content_mac(stored) != stored["mac"]


def test_events_carry_the_actors_partnership_and_the_child(school_practitioner):
    child = ChildFactory(created_by=school_practitioner)
    about_child = audit_record(
        actor=school_practitioner, verb=Verb.VIEWED, target_type="child", target_id=child.pk
    )
    about_concern = audit_record(
        actor=school_practitioner,
        verb=Verb.VIEWED,
        target_type="concern",
        target_id=5,
        child=child,
    )
    elsewhere = PartnershipFactory(slug="elsewhere", name="Elsewhere Partnership")
    no_actor = audit_record(
        actor=None, verb=Verb.SIGN_IN_FAILED, outcome=Outcome.DENIED, partnership=elsewhere
    )

    assert about_child.partnership_id == school_practitioner.partnership_id
    assert about_child.child_id == child.pk
    assert about_concern.child_id == child.pk
    assert (no_actor.partnership_id, no_actor.actor_id) == (elsewhere.pk, None)
    assert AuditEvent.objects.filter(child_id=child.pk).count() == 2


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
