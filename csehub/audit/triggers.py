"""Database triggers that make the audit table append-only, for SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

TABLE = "audit_auditevent"

# The columns that never change once written. Sealing (after commit) fills `sequence`,
# `prev_hash` and `hash` of a row that has none: the one UPDATE the triggers let through.
_FIXED = (
    "id",
    "at",
    "partnership_id",
    "actor_id",
    "child_id",
    "verb",
    "target_type",
    "target_id",
    "outcome",
    "request_id",
    "ip_address",
    "detail",
    "mac",
)
_SQLITE_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _FIXED)
_SQLITE_CREATE = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON {TABLE}
        WHEN OLD.hash IS NOT NULL OR OLD.sequence IS NOT NULL OR NEW.hash IS NULL
            OR NEW.sequence IS NULL OR {_SQLITE_CHANGED}
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END""",
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_no_update",
    "DROP TRIGGER IF EXISTS audit_no_delete",
]
_PG_NEW = ", ".join(f"NEW.{c}" for c in _FIXED)
_PG_OLD = ", ".join(f"OLD.{c}" for c in _FIXED)
_PG_CREATE = [
    f"""CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'UPDATE' AND OLD.hash IS NULL AND OLD.sequence IS NULL
            AND NEW.hash IS NOT NULL AND NEW.sequence IS NOT NULL
            AND ROW({_PG_NEW}) IS NOT DISTINCT FROM ROW({_PG_OLD}) THEN
           RETURN NEW;
         END IF;
         RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP;
       END;
       $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()""",
    f"""CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()""",
]
_PG_DROP = [
    f"DROP TRIGGER IF EXISTS audit_no_update_delete ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE}",
]


def statements_run(schema_editor: Any, statements: dict[str, list[str]]) -> None:
    """Run the statements written for this database vendor (migrations use it for triggers)."""
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


def create(schema_editor: Any) -> None:
    statements_run(schema_editor, {"sqlite": _SQLITE_CREATE, "postgresql": _PG_CREATE})


def drop(schema_editor: Any) -> None:
    statements_run(schema_editor, {"sqlite": _SQLITE_DROP, "postgresql": _PG_DROP})
