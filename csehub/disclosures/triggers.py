"""Database triggers that keep signed disclosures and their addenda unchanged (SQLite and
PostgreSQL). A draft can still be edited and then signed; once the stored row says "signed",
any UPDATE of it fails, whoever sends it. Deleting is left to retention rules (later)."""

from __future__ import annotations

from typing import Any

from csehub.audit.triggers import statements_run

DISCLOSURE_TABLE = "disclosures_disclosure"
ADDENDUM_TABLE = "disclosures_addendum"

_SQLITE_CREATE = [
    f"""CREATE TRIGGER IF NOT EXISTS disclosure_signed_no_update
        BEFORE UPDATE ON {DISCLOSURE_TABLE} WHEN OLD.status = 'signed'
        BEGIN SELECT RAISE(ABORT, 'a signed disclosure is read-only: UPDATE refused'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS addendum_no_update BEFORE UPDATE ON {ADDENDUM_TABLE}
        BEGIN SELECT RAISE(ABORT, 'addenda are append-only: UPDATE refused'); END""",
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS disclosure_signed_no_update",
    "DROP TRIGGER IF EXISTS addendum_no_update",
]
_PG_CREATE = [
    """CREATE OR REPLACE FUNCTION disclosure_refuse_signed_update() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'a signed disclosure is read-only: % refused', TG_OP; END;
       $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER disclosure_signed_no_update BEFORE UPDATE ON {DISCLOSURE_TABLE}
        FOR EACH ROW WHEN (OLD.status = 'signed')
        EXECUTE FUNCTION disclosure_refuse_signed_update()""",
    """CREATE OR REPLACE FUNCTION addendum_refuse_update() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'addenda are append-only: % refused', TG_OP; END;
       $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER addendum_no_update BEFORE UPDATE ON {ADDENDUM_TABLE}
        FOR EACH ROW EXECUTE FUNCTION addendum_refuse_update()""",
]
_PG_DROP = [
    f"DROP TRIGGER IF EXISTS disclosure_signed_no_update ON {DISCLOSURE_TABLE}",
    f"DROP TRIGGER IF EXISTS addendum_no_update ON {ADDENDUM_TABLE}",
]


def create(schema_editor: Any) -> None:
    statements_run(schema_editor, {"sqlite": _SQLITE_CREATE, "postgresql": _PG_CREATE})


def drop(schema_editor: Any) -> None:
    statements_run(schema_editor, {"sqlite": _SQLITE_DROP, "postgresql": _PG_DROP})
