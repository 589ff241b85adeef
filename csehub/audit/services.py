"""The one way to write to the audit trail."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from . import context
from .chain import GENESIS, row_hash
from .models import AuditEvent, Outcome, Verb

# Any constant will do: it names the lock that keeps the chain linear on PostgreSQL.
_PG_CHAIN_LOCK = 7_031_905


def _lock_chain() -> None:
    # SQLite runs every transaction IMMEDIATE (settings), which already serialises writers.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_CHAIN_LOCK])


def _check_detail(value: object, path: str = "detail") -> None:
    """Detail holds ids and codes: strings, whole numbers, booleans, lists and maps of them.

    Floats are refused because PostgreSQL's jsonb may hand back a different spelling of the
    same number (1e3 comes back as 1000), which would break the hash of an untouched row.
    """
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_detail(item, f"{path}[{index}]")
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"audit {path} keys must be strings, not {type(key).__name__}")
            _check_detail(item, f"{path}.{key}")
        return
    raise TypeError(f"audit {path} must hold ids and codes, not {type(value).__name__}")


@transaction.atomic
def audit_record(
    *,
    actor: Any,
    verb: Verb,
    target_type: str = "",
    target_id: str | int = "",
    outcome: Outcome = Outcome.ALLOWED,
    detail: dict[str, object] | None = None,
) -> AuditEvent:
    """Append one event. Call it inside the service's transaction so both land or neither."""
    detail = detail or {}
    _check_detail(detail)
    _lock_chain()
    ctx = context.current.get()
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    last = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
    event = AuditEvent(
        sequence=(last["sequence"] + 1) if last else 1,
        at=timezone.now(),
        actor_id=actor_id,
        verb=verb,
        target_type=target_type,
        target_id=str(target_id),
        outcome=outcome,
        request_id=ctx.request_id,
        ip_address=ctx.ip_address,
        detail=detail,
        prev_hash=last["hash"] if last else GENESIS,
    )
    # Validate first: cleaning normalises values (an IPv6 address, say), and the hash must
    # cover the values as the database will hand them back to `csehub audit verify`.
    event.full_clean(exclude=["hash"])
    event.hash = row_hash(
        prev_hash=event.prev_hash,
        sequence=event.sequence,
        at=event.at,
        actor_id=event.actor_id,
        verb=str(event.verb),
        target_type=event.target_type,
        target_id=event.target_id,
        outcome=str(event.outcome),
        request_id=event.request_id,
        ip_address=event.ip_address,
        detail=event.detail,
    )
    event.save(force_insert=True)
    return event


@transaction.atomic
def audit_log_search_record(*, actor: Any, filter_names: list[str]) -> AuditEvent:
    """Searching the audit trail is itself audited: which filters were used, never their values."""
    return audit_record(
        actor=actor,
        verb=Verb.SEARCHED,
        target_type="audit_log",
        detail={"filters": sorted(filter_names)},
    )


@transaction.atomic
def audit_log_export_record(*, actor: Any, filter_names: list[str], row_count: int) -> AuditEvent:
    return audit_record(
        actor=actor,
        verb=Verb.EXPORTED,
        target_type="audit_log",
        detail={"filters": sorted(filter_names), "rows": row_count},
    )


@transaction.atomic
def list_view_record(*, actor: Any, target_type: str, ids: Sequence[int]) -> AuditEvent:
    """A page listing records about children (a work list, an inbox) was shown: which ones.

    Lists show names and summaries, so they are reads of those records too; the event holds
    the ids shown, never what the page said about them.
    """
    return audit_record(
        actor=actor,
        verb=Verb.VIEWED,
        target_type=f"{target_type}_list",
        detail={"ids": [int(i) for i in ids]},
    )
