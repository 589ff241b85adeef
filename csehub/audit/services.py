"""The one way to write to the audit trail."""

from __future__ import annotations

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
    _lock_chain()
    ctx = context.current.get()
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    last = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
    sequence = (last["sequence"] + 1) if last else 1
    prev_hash = last["hash"] if last else GENESIS
    at = timezone.now()
    detail = detail or {}
    event = AuditEvent(
        sequence=sequence,
        at=at,
        actor_id=actor_id,
        verb=verb,
        target_type=target_type,
        target_id=str(target_id),
        outcome=outcome,
        request_id=ctx.request_id,
        ip_address=ctx.ip_address,
        detail=detail,
        prev_hash=prev_hash,
    )
    event.hash = row_hash(
        prev_hash=prev_hash,
        sequence=sequence,
        at=at,
        actor_id=actor_id,
        verb=str(verb),
        target_type=target_type,
        target_id=str(target_id),
        outcome=str(outcome),
        request_id=ctx.request_id,
        ip_address=ctx.ip_address,
        detail=detail,
    )
    event.full_clean()
    event.save(force_insert=True)
    return event
