"""What each report of a bulk import's batch found known when it arrived: its candidates,
and who is seen with each phone, account and full plate (see the package)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from django.db import connection
from django.db.models import QuerySet
from django.db.models.base import ModelState

from csehub.intelligence.normalise import name_keys

from ...models import (
    EntityType,
    IndexedMention,
    NameKey,
)
from .. import plates
from ..evidence import CONTAINERS_PER_IDENTIFIER, MOST_ROWS_FITTING
from ..index import (
    MAX_PER_IDENTIFIER,
    MAX_PER_NAME_KEY,
    MAX_PER_TYPO_KEY,
    _newest_few,
    name_keys_of,
)
from ..plate_search import FoundPlate, like_fits, likes_compatible

_NAMED = (EntityType.PERSON, EntityType.CHILD, EntityType.LOCATION)
# Keys per IN (...) list: well under SQLite's limit of host parameters.
KEYS_PER_QUERY = 500
# Lookups per UNION ALL: SQLite allows 500 terms in one compound statement.
UNION_MOST = 200


# ---------------------------------------------------------------------------------------------
# Candidates: what was known when each report arrived, looked up once for the batch
# ---------------------------------------------------------------------------------------------

# Which column each lookup of index.candidates reads, per entity type.
_COLUMNS = {
    EntityType.PHONE: ("e164",),
    EntityType.ONLINE: ("username",),
    EntityType.LOCATION: ("postcode", "name"),
}


def _lookup_keys(row: IndexedMention) -> list[tuple[str, str]]:
    """(column, value) of each identifier lookup index.candidates makes for the row."""
    if row.entity_type == EntityType.VEHICLE and row.plate:
        return [
            ("plate", row.plate) if row.is_partial else ("plate_confusable", row.plate_confusable)
        ]
    found = []
    for column in _COLUMNS.get(row.entity_type, ()):  # type: ignore[call-overload]
        value = getattr(row, column)
        if value:
            found.append((column, value))
    return found


def _name_lookup(row: IndexedMention) -> list[tuple[str, int]]:
    """(name key, how many of its newest) index._named looks up for the row."""
    if row.entity_type not in _NAMED:
        return []
    if row.entity_type == EntityType.LOCATION and not row.name:
        return []
    keys = name_keys_of(row)
    words = row.name.split() if row.entity_type != EntityType.LOCATION else []
    if len(words) > 1:
        keys += sorted(name_keys(f"{words[-1]} {words[0]}") - set(keys))
    own = name_keys(row.name) | name_keys(row.nickname)
    return [(key, MAX_PER_NAME_KEY if key in own else MAX_PER_TYPO_KEY) for key in keys]


def newest_known(
    partnership_id: int,
    entity_type: str,
    column: str,
    values: Sequence[str],
    before: int,
    newest: int | None,
) -> list[tuple[int, str]]:
    """(key, value) of the newest `newest` mentions per value of `column`, indexed before
    `before` (every one when `newest` is None).

    A UNION ALL of one small ordered, limited lookup per value, as index._named makes: each
    walks its value's index from the newest entry, however many mentions share the value.
    """
    if connection.vendor == "postgresql":
        return _newest_known_lateral(partnership_id, entity_type, column, values, before, newest)
    quote = connection.ops.quote_name
    table = quote(IndexedMention._meta.db_table)
    limit = f" LIMIT {int(newest)}" if newest is not None else ""
    names = quote(NameKey._meta.db_table)
    if column == "name_key":
        one = (
            f"SELECT * FROM (SELECT k.{quote('mention_id')}, k.{quote('key')} FROM {names} k"  # noqa: S608
            f" CROSS JOIN {table} m WHERE m.{quote('id')} = k.{quote('mention_id')}"
            f" AND k.{quote('key')} = %s AND m.{quote('partnership_id')} = %s"
            f" AND m.{quote('entity_type')} = %s AND m.{quote('id')} < %s"
            f" ORDER BY k.{quote('id')} DESC{limit}) AS newest_{{number}}"
        )
    else:
        # A plate has an index of its own but none leading with the partnership: SQLite,
        # choosing one that does, walked every vehicle of the partnership for each partial
        # plate. Its unary + keeps those out.
        plus = "+" if column == "plate" else ""
        one = (
            f"SELECT * FROM (SELECT {quote('id')}, {quote(column)} FROM {table}"  # noqa: S608
            f" WHERE {quote(column)} = %s"
            f" AND {plus}{quote('partnership_id')} = %s AND {plus}{quote('entity_type')} = %s"
            f" AND {quote('id')} < %s ORDER BY {quote('id')} DESC{limit})"
            " AS newest_{number}"
        )
    found: list[tuple[int, str]] = []
    for start in range(0, len(values), UNION_MOST):
        chunk = list(values[start : start + UNION_MOST])
        sql = " UNION ALL ".join(one.format(number=n) for n in range(len(chunk)))
        params: list[str | int] = []
        for value in chunk:
            params += [value, partnership_id, entity_type, before]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found += [(pk, value) for pk, value in cursor.fetchall()]
    return found


def _newest_known_lateral(
    partnership_id: int,
    entity_type: str,
    column: str,
    values: Sequence[str],
    before: int,
    newest: int | None,
) -> list[tuple[int, str]]:
    """newest_known on PostgreSQL: one plan for every value (a LATERAL join over the values),
    where a UNION ALL of hundreds of lookups took longer to plan than to run."""
    quote = connection.ops.quote_name
    table = quote(IndexedMention._meta.db_table)
    limit = f" LIMIT {int(newest)}" if newest is not None else ""
    if column == "name_key":
        names = quote(NameKey._meta.db_table)
        one = (
            f"SELECT k.{quote('mention_id')} AS found FROM {names} k"  # noqa: S608
            f" JOIN {table} m ON m.{quote('id')} = k.{quote('mention_id')}"
            f" WHERE k.{quote('key')} = v.value AND m.{quote('partnership_id')} = %s"
            f" AND m.{quote('entity_type')} = %s AND m.{quote('id')} < %s"
            f" ORDER BY k.{quote('id')} DESC{limit}"
        )
    else:
        one = (
            f"SELECT {quote('id')} AS found FROM {table}"  # noqa: S608
            f" WHERE {quote(column)} = v.value"
            f" AND {quote('partnership_id')} = %s AND {quote('entity_type')} = %s"
            f" AND {quote('id')} < %s ORDER BY {quote('id')} DESC{limit}"
        )
    sql = (
        f"SELECT x.found, v.value FROM unnest(%s::text[]) AS v(value)"  # noqa: S608
        f" CROSS JOIN LATERAL ({one}) x"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(values), partnership_id, entity_type, before])
        return [(pk, value) for pk, value in cursor.fetchall()]


def _found(row: IndexedMention) -> FoundPlate:
    return FoundPlate(*(getattr(row, name) for name in FoundPlate._fields))


_COLUMNS_READ = [f.attname for f in IndexedMention._meta.concrete_fields]


def _with_keys(pks: Sequence[int]) -> QuerySet[IndexedMention]:
    """The rows with these keys, the keys written into the SQL as numbers: `pk__in` prepares
    each value as a parameter in Python, which for the hundreds of thousands a large import
    reads cost more than the query. The values read keep the ORM's conversions."""
    table = connection.ops.quote_name(IndexedMention._meta.db_table)
    column = connection.ops.quote_name("id")
    keys = ",".join(str(int(pk)) for pk in pks) or "NULL"  # numbers only: nothing to inject
    where = [f"{table}.{column} IN ({keys})"]
    return IndexedMention.objects.extra(where=where)  # noqa: S610


def rows_read(pks: Iterable[int]) -> dict[int, IndexedMention]:
    """The rows of these keys. Each instance is made from its values without Model.__init__
    (what the ORM calls for every row, a tenth of a batch): the rows are only read, by the
    scoring and the evidence, never saved."""
    wanted = sorted(set(pks))
    found: dict[int, IndexedMention] = {}
    alias = connection.alias
    for start in range(0, len(wanted), KEYS_PER_QUERY):
        rows = _with_keys(wanted[start : start + KEYS_PER_QUERY])
        for values in rows.values_list(*_COLUMNS_READ):
            row = IndexedMention.__new__(IndexedMention)
            row.__dict__.update(zip(_COLUMNS_READ, values, strict=True))
            row._state = ModelState()
            row._state.adding, row._state.db = False, alias
            found[row.pk] = row
    return found


class _Plate(NamedTuple):
    """What fitting_plates reads of a row: a model instance each costs more than the look-up."""

    partnership_id: int
    entity_type: str
    is_partial: bool
    plate_confusable: str


def _plates_read(pks: list[int]) -> dict[int, _Plate]:
    found: dict[int, _Plate] = {}
    for start in range(0, len(pks), KEYS_PER_QUERY):
        rows = IndexedMention.objects.filter(pk__in=pks[start : start + KEYS_PER_QUERY])
        for pk, *values in rows.values_list("pk", *_Plate._fields):
            found[pk] = _Plate(*values)
    return found


class Known:
    """The candidate index as each report of the batch found it: the batch's own rows (in
    memory) before the report, then the newest few of the rows indexed before the batch."""

    def __init__(self, rows: list[IndexedMention]) -> None:
        self.rows = rows
        self.first = min(r.pk for r in rows)
        self.partnership_id = rows[0].partnership_id
        # (type, column, value) -> batch rows, oldest first
        self.batch_by_key: dict[tuple[str, str, str], list[IndexedMention]] = {}
        self.before: dict[tuple[str, str, str], list[IndexedMention]] = {}
        for row in rows:
            for column, value in _lookup_keys(row):
                self.batch_by_key.setdefault((row.entity_type, column, value), []).append(row)
            for key in name_keys_of(row):
                self.batch_by_key.setdefault((row.entity_type, "name_key", key), []).append(row)
        self._batch = {r.pk: r for r in rows}
        self._newest_of: dict[str, int] = {}  # container -> its newest row's key
        for row in rows:
            self._newest_of[row.container] = max(row.pk, self._newest_of.get(row.container, 0))
        self._fitting_rows: dict[int, _Plate] = {}  # full plates read for fitting_plates
        # Nothing is written to the index while the batch is linked: caught up once.
        self.plate_index = plates.CaughtUp(self.partnership_id)
        self._load()
        self._earlier = {r.pk: r for found in self.before.values() for r in found}

    def _load(self) -> None:
        wanted: dict[tuple[str, str], set[str]] = {}
        for row in self.rows:
            for column, value in _lookup_keys(row):
                wanted.setdefault((row.entity_type, column), set()).add(value)
            for key, _ in _name_lookup(row):
                wanted.setdefault((row.entity_type, "name_key"), set()).add(key)
        # (type, column, value) -> the keys of the newest earlier rows holding it
        keys_of: dict[tuple[str, str, str], list[int]] = {}
        for (entity_type, column), values in wanted.items():
            newest: int | None = MAX_PER_NAME_KEY if column == "name_key" else MAX_PER_IDENTIFIER
            if column == "plate_confusable":
                newest = None
            for pk, value in newest_known(
                self.partnership_id, entity_type, column, sorted(values), self.first, newest
            ):
                keys_of.setdefault((entity_type, column, value), []).append(pk)
        plate_keys = self._plates_search()
        found = rows_read([pk for pks in keys_of.values() for pk in pks] + plate_keys)
        self.plate_rows = {pk: found[pk] for pk in self.plate_keys if pk in found}
        # Each row filed under what it was found by, newest first: a value asked for brings
        # its newest rows, and a row beyond those is beyond what each lookup keeps.
        for found_by, pks in keys_of.items():
            self.before[found_by] = [found[pk] for pk in sorted(pks, reverse=True) if pk in found]

    def _plates_search(self) -> list[int]:
        """The per-position plate index asked once per vehicle mention of the batch (it holds
        the batch's own rows too); the keys of earlier rows it names, to be read."""
        self.fits: dict[int, list[int]] = {}  # full plates a partial may fit
        self.compatible: dict[int, list[int]] = {}  # partials a partial may be
        self.fitted: dict[int, list[int]] = {}  # partials a full plate may fit
        lookups = self.plate_index
        for row in self.rows:
            if row.entity_type != EntityType.VEHICLE or not row.plate:
                continue
            if row.is_partial:
                self.fits[row.pk] = list(lookups.full_plates_fitting(row.plate_like))
                if plates.ANY not in row.plate_like:
                    self.compatible[row.pk] = list(
                        lookups.partial_plates_compatible_with(row.plate_like)
                    )
            else:
                self.fitted[row.pk] = list(lookups.partial_plates_fitted_by(row.plate_confusable))
        keys = {
            pk
            for found in (self.fits, self.compatible, self.fitted)
            for pks in found.values()
            for pk in pks
            if pk < self.first
        }
        self.plate_keys = keys
        return sorted(keys)

    def fitting_plates(self, row: IndexedMention, pool: list[IndexedMention]) -> dict[str, int]:
        """evidence.fitting_plates_of as it would have answered when the row arrived: for each
        partial plate among a full plate's candidates, how many full plates known then fit it."""
        likes = sorted({k.plate_like for k in pool if k.is_partial and k.plate_like})
        if row.entity_type != EntityType.VEHICLE or row.is_partial or not likes:
            return {}
        newest = self._newest_of[row.container]
        bitmaps = {like: self.plate_index.full_plates_fitting(like) for like in likes}
        keys = {like: [pk for pk in found if pk <= newest] for like, found in bitmaps.items()}
        unread = sorted(
            {
                pk
                for found in keys.values()
                if len(found) <= MOST_ROWS_FITTING
                for pk in found
                if pk not in self._batch and pk not in self._fitting_rows
            }
        )
        self._fitting_rows.update(_plates_read(unread))
        answer = {}
        for like, found in keys.items():
            if len(found) > MOST_ROWS_FITTING:
                answer[like] = MOST_ROWS_FITTING
                continue
            rows: list[IndexedMention | _Plate | None] = [
                self._batch.get(pk) or self._fitting_rows.get(pk) for pk in found
            ]
            folded = {
                r.plate_confusable
                for r in rows
                if r is not None
                and r.partnership_id == row.partnership_id
                and r.entity_type == EntityType.VEHICLE
                and not r.is_partial
                and like_fits(like, r.plate_confusable)
            }
            answer[like] = max(1, len(folded))
        return answer

    def _plate_row(self, pk: int) -> IndexedMention | None:
        return self._batch.get(pk) if pk >= self.first else self.plate_rows.get(pk)

    def _vehicles(self, row: IndexedMention, first_of_report: int) -> list[IndexedMention]:
        """index._vehicle_candidates as it would have answered when the report arrived."""

        def found(keys: list[int], keep: Callable[[IndexedMention], bool]) -> list[IndexedMention]:
            rows = (self._plate_row(pk) for pk in keys if pk < first_of_report)
            return [r for r in rows if r is not None and r.container != row.container and keep(r)]

        def same(r: IndexedMention) -> bool:
            return r.partnership_id == row.partnership_id and r.entity_type == EntityType.VEHICLE

        if row.is_partial:
            fitting = found(
                self.fits.get(row.pk, []),
                lambda r: (
                    same(r) and not r.is_partial and like_fits(row.plate_like, r.plate_confusable)
                ),
            )
            exact = [
                self.row(pk) for pk in self._newest(row, "plate", row.plate, MAX_PER_IDENTIFIER)
            ]
            newest = sorted(k for k in self.compatible.get(row.pk, []) if k < first_of_report)
            alike = [
                r.pk
                for r in found(
                    newest[-MAX_PER_IDENTIFIER:],
                    lambda r: (
                        same(r) and r.is_partial and likes_compatible(row.plate_like, r.plate_like)
                    ),
                )
            ]
        else:
            # The newest few written as this plate is, and the newest few of its misreads.
            folded = [
                self.row(pk)
                for pk in self._newest(row, "plate_confusable", row.plate_confusable, 2**31)
            ]
            exact = [r for r in folded if r.plate == row.plate][:MAX_PER_IDENTIFIER]
            exact += [r for r in folded if r.plate != row.plate][:MAX_PER_IDENTIFIER]
            fitting = found(
                self.fitted.get(row.pk, []),
                lambda r: (
                    same(r) and r.is_partial and like_fits(r.plate_like, row.plate_confusable)
                ),
            )
            alike = []
        seen = {r.pk for r in exact}
        wanted = [
            pk
            for pk in dict.fromkeys([*_newest_few([_found(r) for r in fitting]), *alike])
            if pk not in seen
        ]
        rows = [r for pk in wanted if (r := self._plate_row(pk)) is not None]
        return sorted({r.pk: r for r in [*exact, *rows]}.values(), key=lambda r: r.pk)

    def _newest(self, row: IndexedMention, column: str, value: str, limit: int) -> list[int]:
        key = (row.entity_type, column, value)
        earlier = [
            r.pk
            for r in reversed(self.batch_by_key.get(key, []))
            if r.pk < row.pk and r.container != row.container
        ]
        earlier += [r.pk for r in self.before.get(key, [])]
        return earlier[:limit]

    def candidates(self, row: IndexedMention, first_of_report: int) -> list[IndexedMention]:
        """index.candidates(row) as it would have answered when the report arrived."""
        if row.entity_type == EntityType.VEHICLE:
            return self._vehicles(row, first_of_report) if row.plate else []
        pks: set[int] = set()
        for column, value in _lookup_keys(row):
            pks.update(self._newest(row, column, value, MAX_PER_IDENTIFIER))
        for key, limit in _name_lookup(row):
            pks.update(self._newest(row, "name_key", key, limit))
        return [self.row(pk) for pk in sorted(pks)]

    def row(self, pk: int) -> IndexedMention:
        return self._batch[pk] if pk >= self.first else self._earlier[pk]


class IdentifierNames:
    """evidence.identifier_names as each report of the batch found it: the persons named in the
    newest reports holding each phone, account or full plate, up to and including the report."""

    COLUMNS = {"phone": "e164", "online": "username", "vehicle": "plate_confusable"}

    def __init__(self, reports: list[list[IndexedMention]], keys: set[tuple[str, str]]) -> None:
        self.keys = keys
        self.first = min(r.pk for rows in reports for r in rows)
        self.holding: dict[tuple[str, str], list[tuple[int, str]]] = {}  # newest first
        self.persons: dict[str, list[str]] = {}
        for rows in reports:
            for row in rows:
                self._file(row)
        partnership_id = reports[0][0].partnership_id
        earlier: list[int] = []
        for kind, column in self.COLUMNS.items():
            values = sorted(v for k, v in keys if k == kind)
            if values:
                earlier += [
                    pk
                    for pk, _ in newest_known(
                        partnership_id, kind, column, values, self.first, CONTAINERS_PER_IDENTIFIER
                    )
                ]
        containers = set()
        for row in sorted(rows_read(earlier).values(), key=lambda r: r.pk):
            if not row.is_partial:
                self._file(row)
                containers.add(row.container)
        for container, name in IndexedMention.objects.filter(
            container__in=containers - {c for rows in reports for c in [rows[0].container]},
            entity_type=EntityType.PERSON,
        ).values_list("container", "name"):
            if name:
                self.persons.setdefault(container, []).append(name)
        for key in self.holding:
            self.holding[key].sort(key=lambda item: -item[0])

    def _file(self, row: IndexedMention) -> None:
        if row.entity_type == EntityType.PERSON and row.name and row.pk >= self.first:
            self.persons.setdefault(row.container, []).append(row.name)
        column = self.COLUMNS.get(row.entity_type)
        if column is None or row.is_partial:
            return
        key = (str(row.entity_type), getattr(row, column))
        if key in self.keys:
            self.holding.setdefault(key, []).append((row.pk, row.container))

    def at(
        self, rows: list[IndexedMention], wanted: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], list[str]]:
        """The persons named with each `wanted` identifier as the report of `rows` found it."""
        newest = max(r.pk for r in rows)
        found = {}
        for key in wanted:
            holding = self.holding.get(key, [])
            containers = [c for pk, c in holding if pk <= newest][:CONTAINERS_PER_IDENTIFIER]
            found[key] = [name for c in containers for name in self.persons.get(c, [])]
        return found
