"""`csehub audit verify`: an untouched trail passes; a changed or removed row is named.

Tampering needs the append-only triggers lifted, which SQLite only allows outside a transaction,
so these tests run as transactional tests (the test settings let flush empty the table after).
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from csehub.audit import context, triggers
from csehub.audit.chain import row_hash
from csehub.audit.management.commands.audit import CHAIN_FIELDS
from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.audit.services import audit_record
from csehub.cli import main as csehub_main

pytestmark = pytest.mark.django_db(transaction=True)


def _verify(*args: str) -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


def _tamper(sql: str, params: list[object]) -> None:
    """What someone with rights over the database could do: lift the triggers, change, restore."""
    with connection.schema_editor() as editor:
        triggers.drop(editor)
        editor.execute(sql, params)
        triggers.create(editor)


@pytest.fixture
def trail(school_practitioner):
    events = [
        audit_record(
            actor=school_practitioner,
            verb=Verb.SIGNED_IN,
            target_type="user",
            target_id=school_practitioner.pk,
        ),
        audit_record(
            actor=school_practitioner, verb=Verb.VIEWED, target_type="concern", target_id="42"
        ),
        audit_record(actor=None, verb=Verb.SIGN_IN_FAILED, outcome=Outcome.DENIED),
        audit_record(actor=school_practitioner, verb=Verb.SIGNED_OUT),
    ]
    return events


def test_an_intact_trail_verifies(trail):
    code, output = _verify()
    assert code == 0
    assert "Audit trail intact: 4 events checked" in output
    assert f"Latest event: row 4, hash {trail[-1].hash}" in output


def test_an_empty_trail_verifies():
    code, output = _verify()
    assert (code, output.strip()) == (0, "Audit trail intact: 0 events checked")


def test_values_round_trip_through_the_database_unchanged(school_practitioner):
    """Times, addresses and JSON come back from SQLite and PostgreSQL as they were hashed."""
    cases = [
        ("2001:0db8:0000:0000:0000:0000:0000:0001", {"b": 1, "a": ["x", True, None]}),
        ("::ffff:192.0.2.1", {"nested": {"z": "été", "a": -3}, "big": 2**40}),
        ("203.0.113.9", {"fields": ["role", "agency"], "empty": {}, "quote": "\"'<>&"}),
        (None, {}),
    ]
    for at, (ip, detail) in zip(
        [
            dt.datetime(2025, 3, 30, 0, 59, 59, 999999, tzinfo=dt.UTC),  # the hour before BST
            dt.datetime(2025, 3, 30, 1, 0, 0, 1, tzinfo=dt.UTC),
            dt.datetime(2025, 10, 26, 1, 30, tzinfo=dt.UTC),  # the repeated hour in autumn
            dt.datetime(2024, 2, 29, 23, 59, 59, tzinfo=dt.UTC),
        ],
        cases,
        strict=True,
    ):
        token = context.current.set(context.RequestContext("f" * 32, ip))
        try:
            with time_machine.travel(at, tick=False):
                audit_record(
                    actor=school_practitioner,
                    verb=Verb.UPDATED,
                    target_type="user",
                    target_id="é-1",
                    detail=detail,
                )
        finally:
            context.current.reset(token)

    code, output = _verify("--chunk-size", "2")
    assert code == 0, output
    assert "Audit trail intact: 4 events checked" in output


def test_a_changed_row_is_detected_and_named(trail):
    _tamper("UPDATE audit_auditevent SET target_id = %s WHERE sequence = %s", ["43", 2])

    code, output = _verify()
    assert code == 1
    assert "row 2: its contents do not match its hash: the row was changed" in output
    assert "Audit trail broken: 1 problem found in 4 events checked" in output


def test_a_changed_row_with_a_recomputed_hash_breaks_the_next_link(trail):
    row = AuditEvent.objects.values(*CHAIN_FIELDS).get(sequence=2)
    forged = row_hash(**{**{k: v for k, v in row.items() if k != "hash"}, "target_id": "43"})
    _tamper(
        "UPDATE audit_auditevent SET target_id = %s, hash = %s WHERE sequence = %s",
        ["43", forged, 2],
    )

    code, output = _verify()
    assert code == 1
    assert "row 3: it does not link to the hash of the row before it" in output


def test_a_deleted_row_is_detected_as_a_gap(trail):
    _tamper("DELETE FROM audit_auditevent WHERE sequence = %s", [2])

    code, output = _verify()
    assert code == 1
    assert "row 3: row 2 before it is missing: it was deleted" in output
    assert "3 events checked" in output


def test_the_csehub_command_exits_with_the_result(trail, capsys):
    csehub_main(["audit", "verify"])
    assert "Audit trail intact: 4 events checked" in capsys.readouterr().out

    _tamper("UPDATE audit_auditevent SET ip_address = %s WHERE sequence = %s", ["198.51.100.7", 1])
    with pytest.raises(SystemExit) as exit_:
        csehub_main(["audit", "verify"])
    assert exit_.value.code == 1
    assert "row 1: its contents do not match its hash" in capsys.readouterr().out
