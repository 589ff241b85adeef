"""The one way to write to the audit trail."""

from __future__ import annotations

import hmac
import logging
import os
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import context
from .chain import (
    CHAIN_FIELDS,
    CONTENT_FIELDS,
    GENESIS,
    Checkpoint,
    content_mac,
    seal_hash,
)
from .models import AuditEvent, Outcome, Verb

logger = logging.getLogger(__name__)

# Any constant will do: it names the lock that keeps sealing linear on PostgreSQL.
_PG_SEAL_LOCK = 7_031_905
# Rows sealed per statement batch.
_SEAL_BATCH = 500


def _lock_seal() -> None:
    # SQLite runs every transaction IMMEDIATE (settings), which already serialises writers.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_SEAL_LOCK])


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


@dataclass(frozen=True)
class AuditEntry:
    """One event for audit_record_each: audit_record's arguments, for an event with no actor
    (the engine, a scheduled job) or the same actor for every entry of a batch."""

    verb: Verb
    target_type: str = ""
    target_id: str | int = ""
    outcome: Outcome = Outcome.ALLOWED
    detail: dict[str, object] | None = None
    partnership: Any = None
    child: Any = None


def audit_record(
    *,
    actor: Any,
    verb: Verb,
    target_type: str = "",
    target_id: str | int = "",
    outcome: Outcome = Outcome.ALLOWED,
    detail: dict[str, object] | None = None,
    partnership: Any = None,
    child: Any = None,
) -> AuditEvent:
    """Append one event. Call it inside the service's transaction so both land or neither.
    (It is one INSERT, so it opens no transaction or savepoint of its own: a savepoint would
    cost two more statements on every request.)

    `partnership` (a Partnership or its id) defaults to the actor's; pass it for events with no
    actor. `child` (a Child or its id) names the child the event is about; an event whose
    target is a child names that child without being told.

    The row takes no lock: it is sealed into the chain after the transaction commits
    (`audit_seal_pending`), so a long transaction never holds up anyone else's.
    """
    event = _event(
        actor,
        AuditEntry(verb, target_type, target_id, outcome, detail, partnership, child),
    )
    event.save(force_insert=True)
    _seal_on_commit()
    return event


def audit_record_each(entries: Iterable[AuditEntry], *, actor: Any = None) -> list[AuditEvent]:
    """Append several events in one INSERT, in the order given (an arrival's alerts, say):
    each is checked and keyed as audit_record's is, and sealed after the commit the same way."""
    events = [_event(actor, entry) for entry in entries]
    if not events:
        return []
    AuditEvent.objects.bulk_create(events)
    _seal_on_commit()
    return events


def _event(actor: Any, entry: AuditEntry) -> AuditEvent:
    """The event, validated and keyed, not yet saved."""
    detail = entry.detail or {}
    _check_detail(detail)
    ctx = context.current.get()
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    partnership, child = entry.partnership, entry.child
    event = AuditEvent(
        at=timezone.now(),
        partnership_id=_id_of(partnership)
        if partnership is not None
        else (actor.partnership_id if signed_in else None),
        actor_id=actor.pk if signed_in else None,
        child_id=_id_of(child)
        if child is not None
        else _child_target(entry.target_type, entry.target_id),
        verb=entry.verb,
        target_type=entry.target_type,
        target_id=str(entry.target_id),
        outcome=entry.outcome,
        request_id=ctx.request_id,
        ip_address=ctx.ip_address,
        detail=detail,
    )
    # Validate first: cleaning normalises values (an IPv6 address, say), and the hash must
    # cover the values as the database will hand them back to `csehub audit verify`.
    # The actor and partnership are the caller's own objects (or ids it holds): checking that
    # they exist would cost two queries on every event, and every request writes one.
    event.full_clean(
        exclude=["mac", "sequence", "prev_hash", "hash", "actor", "partnership"],
        validate_constraints=False,
    )
    event.mac = content_mac({name: getattr(event, name) for name in CONTENT_FIELDS})
    return event


def _id_of(value: Any) -> int:
    return int(value.pk if hasattr(value, "pk") else value)


def _child_target(target_type: str, target_id: str | int) -> int | None:
    if target_type == "child" and str(target_id).isdigit():
        return int(target_id)
    return None


def _seal_on_commit() -> None:
    # Once per transaction is enough: the sealer takes every row committed and not yet sealed.
    pending = getattr(connection, "run_on_commit", [])
    if not any(entry[1] is _seal_after_commit for entry in pending):
        transaction.on_commit(_seal_after_commit, robust=True)


class _Sealer:
    """When this process last sealed, and the timer that seals what it left for later."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last = float("-inf")
        self.timer: threading.Timer | None = None


_sealer = _Sealer()


def _seal_after_commit() -> None:
    """Seal now, or, when this process sealed less than CSEHUB_AUDIT_SEAL_INTERVAL_SECONDS
    ago, leave the rows to one seal at the end of the interval (any process's seal takes every
    pending row, so under load one seal serves many requests instead of each taking its own
    turn at the lock)."""
    interval = settings.CSEHUB_AUDIT_SEAL_INTERVAL_SECONDS
    if interval > 0:
        now = time.monotonic()
        with _sealer.lock:
            wait = _sealer.last + interval - now
            if wait > 0:
                if _sealer.timer is None:
                    _sealer.timer = threading.Timer(wait, _seal_from_timer)
                    _sealer.timer.daemon = True
                    _sealer.timer.start()
                return
            _sealer.last = now
    audit_seal_pending()
    audit_checkpoint_if_due()


def _seal_from_timer() -> None:
    with _sealer.lock:
        _sealer.timer = None
        _sealer.last = time.monotonic()
    try:
        audit_seal_pending()
        audit_checkpoint_if_due()
    except Exception:
        # The rows stay pending (each with its keyed hash): the next seal takes them.
        logger.exception("sealing the audit trail from the timer failed")
    finally:
        connection.close()  # this thread's own connection


def audit_seal_pending() -> int:
    """Seal every committed, unsealed row into the chain, oldest first. Returns how many.

    A row whose keyed hash does not match was not written by this service (or was changed
    before its seal): it is left out of the chain, and `csehub audit verify` reports it.
    """
    sealed = 0
    after_id = 0
    while True:
        with transaction.atomic():
            _lock_seal()
            head = (
                AuditEvent.objects.filter(sequence__isnull=False)
                .order_by("-sequence")
                .values_list("sequence", "hash")
                .first()
            )
            sequence, prev_hash = (head[0] or 0, str(head[1])) if head else (0, GENESIS)
            rows = list(
                AuditEvent.objects.filter(sequence__isnull=True, id__gt=after_id)
                .order_by("id")
                .values(*CHAIN_FIELDS)[:_SEAL_BATCH]
            )
            batch: list[tuple[int, str, str, int]] = []
            for row in rows:
                if not hmac.compare_digest(content_mac(row), str(row["mac"])):
                    continue
                sequence += 1
                link = seal_hash(prev_hash=prev_hash, sequence=sequence, mac=str(row["mac"]))
                batch.append((sequence, prev_hash, link, row["id"]))
                prev_hash = link
            _seals_write(batch)
            sealed += len(batch)
        if len(rows) < _SEAL_BATCH:
            return sealed
        after_id = int(rows[-1]["id"])


def _seals_write(batch: list[tuple[int, str, str, int]]) -> None:
    """Each row's (sequence, prev_hash, hash, id) in one prepared UPDATE run for them all:
    `bulk_update` builds a CASE per field over the whole batch, and a seal of 500 rows spent
    most of its time there."""
    if not batch:
        return
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    update = f"UPDATE {table} SET sequence = %s, prev_hash = %s, hash = %s WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(update, batch)


def audit_checkpoint_write(*, path: Path) -> Checkpoint:
    """Seal what is pending, then write the signed head of the chain to a file, atomically."""
    audit_seal_pending()
    head = (
        AuditEvent.objects.filter(sequence__isnull=False)
        .order_by("-sequence")
        .values_list("sequence", "hash")
        .first()
    )
    checkpoint = Checkpoint(
        sequence=(head[0] or 0) if head else 0,
        hash=str(head[1]) if head else GENESIS,
        written_at=timezone.now(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="utf-8") as file:
        file.write(checkpoint.to_json())
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)
    return checkpoint


def audit_checkpoint_if_due() -> Checkpoint | None:
    """The scheduled checkpoint: rewrite `latest.json` when the last one is old enough.

    It runs after sealing, so a trail that grows is checkpointed at least every
    CSEHUB_AUDIT_CHECKPOINT_MINUTES, and a trail that does not grow needs no new one.
    """
    directory = getattr(settings, "CSEHUB_AUDIT_CHECKPOINT_DIR", None)
    if not directory:
        return None
    path = Path(directory) / "latest.json"
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        age = float("inf")
    if age < settings.CSEHUB_AUDIT_CHECKPOINT_MINUTES * 60:
        return None
    return audit_checkpoint_write(path=path)


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
