"""Inserting a bulk import's rows: many statements' worth of rows in one, values as they are.

Django's bulk_create prepares every value of every row through its field (a few microseconds
each) and, on SQLite, splits the rows into statements of 999 values: at a bulk import's tens of
thousands of rows a batch, that was a fifth of the import. Here only the fields whose values the
driver cannot take as they are (dates, times, JSON) go through the field; the rest are read
from the instances and sent in multi-row statements, with the keys back from RETURNING.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, cast

from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone

from csehub.intelligence.models import IntelligenceReport, Mention

from ...models import Entity, IndexedMention, LinkReason, LinkSuggestion, NameKey
from ..index import mention_row, name_keys_of
from ..scoring import Reason, Score

# Values per statement: under SQLite's default limit (32,766 since 3.32) and PostgreSQL's 65,535.
MOST_VALUES = 30_000
MOST_ROWS = 1000
# Fields whose values both drivers take as Python holds them.
_AS_THEY_ARE = {
    "CharField",
    "TextField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
    "BooleanField",
    "FloatField",
    "ForeignKey",
}


def _most_values() -> int:
    if connection.vendor != "sqlite":
        return MOST_VALUES
    connection.ensure_connection()
    raw = connection.connection
    if hasattr(raw, "getlimit"):
        return min(MOST_VALUES, raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    return 999


def _fields(model: type[Model]) -> list[Field[Any, Any]]:
    """Every column but an automatic primary key."""
    return [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and f.get_internal_type() in {"AutoField", "BigAutoField"})
    ]


def _reader(field: Field[Any, Any]) -> Callable[[Model], object]:
    attname = field.attname
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)
    if field.get_internal_type() in _AS_THEY_ARE:
        return lambda obj: getattr(obj, attname)
    return lambda obj: field.get_db_prep_save(getattr(obj, attname), connection)


def values_insert(
    model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[object]], *, keys: bool
) -> list[int]:
    """Insert `rows` (values of `columns`, ready for the driver) in order; their new keys, in
    that order, with `keys`. The database checks the keys and constraints."""
    if not rows:
        return []
    quote = connection.ops.quote_name
    pk = model._meta.pk
    assert pk is not None
    names = [quote(cast("Field[Any, Any]", model._meta.get_field(c)).column) for c in columns]
    table = quote(model._meta.db_table)
    if connection.vendor == "postgresql":
        return _copied(table, quote(pk.column), names, rows, keys=keys)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    returning = f" RETURNING {quote(pk.column)}" if keys else ""
    size = max(1, min(MOST_ROWS, _most_values() // len(columns)))
    made: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            params: list[Any] = [value for row in chunk for value in row]
            values = ", ".join([one] * len(chunk))
            sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES {values}{returning}"  # noqa: S608
            cursor.execute(sql, params)
            if keys:
                found = [key for (key,) in cursor.fetchall()]
                assert len(found) == len(chunk)
                made += found
    return made


def _copied(
    table: str, pk: str, names: list[str], rows: Sequence[Sequence[object]], *, keys: bool
) -> list[int]:
    """PostgreSQL: the rows sent with COPY, a tenth of the time a statement of many rows takes
    to plan and run. The keys are taken from the table's sequence first (in order: each is
    higher than the one before, as the keys of rows inserted one by one would be)."""
    made: list[int] = []
    with connection.cursor() as cursor:
        if keys:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk.strip('"'), len(rows)],
            )
            made = sorted(key for (key,) in cursor.fetchall())
            names = [pk, *names]
            rows = [(key, *row) for key, row in zip(made, rows, strict=True)]
        with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    return made


def rows_insert(model: type[Model], objs: Sequence[Model], *, keys: bool = False) -> None:
    """Insert new instances of `model`, in order; with `keys`, each gets its primary key.

    As with bulk_create, the instances are not validated here (the caller checks their fields,
    the database the keys and constraints) and no signals are sent.
    """
    if not objs:
        return
    if keys and not connection.features.can_return_rows_from_bulk_insert:
        model._default_manager.bulk_create(objs, batch_size=MOST_ROWS)
        return
    fields = _fields(model)
    readers = [_reader(f) for f in fields]
    for obj in objs:
        # As bulk_create does: a related instance saved since it was set gives its key.
        obj._prepare_related_fields_for_save(operation_name="rows_insert")  # type: ignore[attr-defined]
    rows = [[read(obj) for read in readers] for obj in objs]
    made = values_insert(model, [f.name for f in fields], rows, keys=keys)
    alias = connection.alias
    for number, obj in enumerate(objs):
        if keys:
            obj.pk = made[number]
        obj._state.adding = False
        obj._state.db = alias


def index_rows_write(
    mentions: Sequence[tuple[IntelligenceReport, Mention]],
) -> list[IndexedMention]:
    """Index the mentions of newly stored reports (a bulk import's batch), in the order given:
    the keys the rows get say which arrived first. The reports hold nothing in the index yet."""
    made = [mention_row(report, mention) for report, mention in mentions]
    rows_insert(IndexedMention, made, keys=True)
    values_insert(
        NameKey,
        ["mention", "key"],
        [(row.pk, key) for row in made for key in name_keys_of(row)],
        keys=False,
    )
    if connection.vendor == "postgresql":
        # The batch is linked next, by look-ups whose plans rest on the tables' statistics. A
        # bulk load outruns autovacuum: without this, a fresh partnership's first batches are
        # planned as if the index were empty (every person read for each name key, about 1 s a
        # look-up). Sampling costs a fraction of a second even at a million rows.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {IndexedMention._meta.db_table}, {NameKey._meta.db_table}")
    return made


def pairs_insert(
    pairs: list[tuple[IndexedMention, IndexedMention, Score, str]],
    entities: dict[str, Entity],
    decided: set[frozenset[str]],
) -> int:
    """arrival.pairs_write as plain rows: the pairs and their reasons, but none an analyst has
    `decided`. How many pairs were written.

    Every value comes from indexed rows and the scoring, not from a person: the database's
    constraints check the weight, the status and that no mention is paired with itself (a
    model instance and full_clean each were a tenth of the batch).
    """
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    made: list[tuple[object, ...]] = []
    reasons: list[list[Reason]] = []
    for row, known, score, status in pairs:
        if frozenset((row.mention_id, known.mention_id)) in decided:
            continue
        target = entities.get(known.mention_id)
        made.append(
            (
                row.partnership_id,
                row.entity_type,
                row.mention_id,
                known.mention_id,
                target.pk if target is not None else None,
                score.weight,
                str(status),
                now,
            )
        )
        reasons.append(score.reasons)
    columns = [
        "partnership",
        "entity_type",
        "mention_id",
        "target_mention_id",
        "target_entity",
        "weight",
        "status",
        "created_at",
    ]
    keys = values_insert(LinkSuggestion, columns, made, keys=True)
    values_insert(
        LinkReason,
        ["suggestion", "field", "how", "detail", "contribution"],
        [
            (key, reason.field, str(reason.how), reason.detail[:200], reason.contribution)
            for key, found in zip(keys, reasons, strict=True)
            for reason in found
        ],
        keys=False,
    )
    return len(made)
