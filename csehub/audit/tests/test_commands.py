"""`csehub audit verify` and `checkpoint`: an untouched trail passes; a changed, removed,
forged or cut row is named.

Tampering needs the append-only triggers lifted, which SQLite only allows outside a transaction,
so these tests run as transactional tests (the test settings let flush empty the table after).
"""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from csehub.audit import context, triggers
from csehub.audit.chain import CHAIN_FIELDS, content_mac, seal_hash
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
    trail[-1].refresh_from_db()  # sealed once its transaction committed
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
    assert "row 2: its contents do not match their keyed hash" in output
    assert "Audit trail broken: 1 problem found in 4 events checked" in output


def test_a_row_rehashed_without_the_key_is_detected(trail, settings):
    """Someone with the database but not the key recomputes the hashes with a key of their own."""
    row = AuditEvent.objects.values(*CHAIN_FIELDS).get(sequence=2)
    settings.CSEHUB_AUDIT_KEY = "a-guessed-key-" + "g" * 40
    changed = {**row, "target_id": "43"}
    mac = content_mac(changed)
    link = seal_hash(prev_hash=row["prev_hash"], sequence=2, mac=mac)
    settings.CSEHUB_AUDIT_KEY = "test-only-audit-key-" + "z" * 40
    _tamper(
        "UPDATE audit_auditevent SET target_id = %s, mac = %s, hash = %s WHERE sequence = %s",
        ["43", mac, link, 2],
    )

    code, output = _verify()
    assert code == 1
    assert "row 2: its contents do not match their keyed hash" in output
    assert "row 2: its seal does not match" in output
    assert "row 3: it does not link to the hash of the row before it" in output


def test_a_deleted_row_is_detected_as_a_gap(trail):
    _tamper("DELETE FROM audit_auditevent WHERE sequence = %s", [2])

    code, output = _verify()
    assert code == 1
    assert "row 3: row 2 before it is missing: it was deleted" in output
    assert "3 events checked" in output


def _checkpoint(path) -> str:
    out = StringIO()
    call_command("audit", "checkpoint", str(path), stdout=out)
    return out.getvalue()


def test_a_cut_tail_is_caught_against_a_checkpoint(trail, tmp_path):
    checkpoint = tmp_path / "head.json"
    assert "row 4" in _checkpoint(checkpoint)
    _tamper("DELETE FROM audit_auditevent WHERE sequence >= %s", [3])

    # What is left still links up: only the checkpoint shows that rows are gone.
    assert _verify()[0] == 0
    code, output = _verify("--against", str(checkpoint))
    assert code == 1
    assert "row 4: the checkpoint of" in output
    assert "trail now ends at row 2: rows were cut from the end" in output


def test_a_rewritten_tail_is_caught_against_a_checkpoint(trail, tmp_path):
    checkpoint = tmp_path / "head.json"
    _checkpoint(checkpoint)
    _tamper("DELETE FROM audit_auditevent WHERE sequence = %s", [4])
    audit_record(actor=None, verb=Verb.SIGN_IN_FAILED, outcome=Outcome.DENIED)

    code, output = _verify("--against", str(checkpoint))
    assert code == 1
    assert "row 4: its hash differs from the checkpoint's" in output


def test_an_appended_forgery_is_caught(trail, tmp_path):
    checkpoint = tmp_path / "head.json"
    _checkpoint(checkpoint)
    last = AuditEvent.objects.values(*CHAIN_FIELDS).get(sequence=4)
    forged = {**last, "id": last["id"] + 1000, "verb": Verb.SIGNED_OUT, "target_id": "x"}
    _tamper(
        "INSERT INTO audit_auditevent (id, at, partnership_id, actor_id, child_id, verb, "
        "target_type, target_id, outcome, request_id, ip_address, detail, mac, sequence, "
        "prev_hash, hash) VALUES (%s, %s, %s, %s, NULL, %s, '', %s, 'allowed', '', NULL, "
        "'{}', %s, %s, %s, %s)",
        [
            forged["id"],
            forged["at"],
            forged["partnership_id"],
            forged["actor_id"],
            forged["verb"],
            forged["target_id"],
            "b" * 64,
            5,
            last["hash"],
            "c" * 64,
        ],
    )

    code, output = _verify("--against", str(checkpoint))
    assert code == 1
    assert "row 5: its contents do not match their keyed hash" in output
    assert "row 5: its seal does not match" in output


def test_an_unsealed_forgery_is_never_sealed(trail):
    last = AuditEvent.objects.values("id", "at", "partnership_id").get(sequence=4)
    _tamper(
        "INSERT INTO audit_auditevent (id, at, partnership_id, actor_id, child_id, verb, "
        "target_type, target_id, outcome, request_id, ip_address, detail, mac, sequence, "
        "prev_hash, hash) VALUES (%s, %s, %s, NULL, NULL, 'signed_in', '', '', 'allowed', '', "
        "NULL, '{}', %s, NULL, '', NULL)",
        [last["id"] + 1000, last["at"], last["partnership_id"], "d" * 64],
    )
    audit_record(actor=None, verb=Verb.SIGN_IN_FAILED, outcome=Outcome.DENIED)

    code, output = _verify()
    assert code == 1
    assert f"event id {last['id'] + 1000}: it is outside the chain" in output
    # The genuine event after it was sealed as usual.
    assert AuditEvent.objects.filter(sequence=5, verb=Verb.SIGN_IN_FAILED).exists()


def test_a_changed_or_foreign_checkpoint_is_refused(trail, tmp_path, settings):
    checkpoint = tmp_path / "head.json"
    _checkpoint(checkpoint)
    data = json.loads(checkpoint.read_text())
    checkpoint.write_text(json.dumps({**data, "sequence": 2}))
    code, output = _verify("--against", str(checkpoint))
    assert code == 2
    assert "its signature does not match" in output

    _checkpoint(checkpoint)
    settings.CSEHUB_AUDIT_KEY = "another-partnerships-key-" + "k" * 40
    code, output = _verify("--against", str(checkpoint))
    assert code == 2
    assert "its signature does not match" in output

    checkpoint.write_text("not json")
    assert _verify("--against", str(checkpoint)) == (
        2,
        f"Cannot use the checkpoint {checkpoint}: it is not JSON (Expecting value at line 1)\n",
    )
    code, output = _verify("--against", str(tmp_path / "missing.json"))
    assert code == 2
    assert output.startswith("Cannot read the checkpoint")


def test_checkpoints_are_written_on_a_schedule_as_the_trail_grows(
    school_practitioner, tmp_path, settings
):
    settings.CSEHUB_AUDIT_CHECKPOINT_DIR = str(tmp_path)
    settings.CSEHUB_AUDIT_CHECKPOINT_MINUTES = 15
    audit_record(actor=school_practitioner, verb=Verb.SIGNED_IN)
    latest = tmp_path / "latest.json"
    first = json.loads(latest.read_text())
    assert first["sequence"] == 1

    audit_record(actor=school_practitioner, verb=Verb.SIGNED_OUT)
    assert json.loads(latest.read_text()) == first  # not due yet

    settings.CSEHUB_AUDIT_CHECKPOINT_MINUTES = 0
    audit_record(actor=school_practitioner, verb=Verb.SIGNED_IN)
    assert json.loads(latest.read_text())["sequence"] == 3
    assert _verify("--against", str(latest))[0] == 0


def test_the_csehub_command_exits_with_the_result(trail, capsys):
    csehub_main(["audit", "verify"])
    assert "Audit trail intact: 4 events checked" in capsys.readouterr().out

    _tamper("UPDATE audit_auditevent SET ip_address = %s WHERE sequence = %s", ["198.51.100.7", 1])
    with pytest.raises(SystemExit) as exit_:
        csehub_main(["audit", "verify"])
    assert exit_.value.code == 1
    assert "row 1: its contents do not match their keyed hash" in capsys.readouterr().out
