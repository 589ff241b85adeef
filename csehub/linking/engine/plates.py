"""Partial plate search: bitmaps of the known plates' characters by position, in each process.

A partial plate ("YX1? ?BC", "starts with YX", "ends with BC", "Y?1*C") is answered from
per-position bitmaps: for each position counted from the start and from the end, and each
character, the set of IndexedMention keys whose plate has that character there (OCR-confusable
characters folded, as in the candidate index), plus the plates by length. A search is the
intersection of a few compressed bitmaps (Roaring), well under a millisecond at five million
plates, where an SQL LIKE has to read every plate.

The reverse direction, a new full plate against the partial plates already known, uses the same
idea on the patterns: a pattern is ruled out by the positions it pins to another character, or
by its length.

The answer is a set of keys that *may* fit. The caller reads those rows again from the database,
where the pattern is checked once more, so a row deleted or replaced since it was indexed never
surfaces, and positions the bitmaps leave out (past the eighth character, or the middle of
`*YX1*`) are checked there.

Each process keeps its own index and catches up before each search by reading the rows above the
highest IndexedMention key it has read. Rows read inside a transaction are kept apart, for that
transaction only, and join the process's index when it commits: a rolled-back row's key may be
used again (SQLite reuses it), so it must not be taken as read. Keys below the high-water mark
that were not visible yet (PostgreSQL hands out keys before a transaction commits) are looked
for again for a while.
"""

from __future__ import annotations

import threading
import time
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from django.db.models import Max, QuerySet
from pyroaring import BitMap

from ..models import EntityType, IndexedMention

# UK plates have at most seven characters; positions past the eighth are checked by the database.
POSITIONS = 8
ONE = "_"  # one unknown character (the index's SQL LIKE form of `?`)
ANY = "%"  # any run of unknown characters (`*`)
_PAD = 0
_SKIP = frozenset({_PAD, ord(ONE)})
# How far below the newest key to look for keys not yet visible, and for how long.
GAP_WINDOW = 2_000
GAP_SECONDS = 900.0
# Rows read and filed at a time when a process first reads millions of them.
ROWS_PER_CHUNK = 250_000


def _keys_array(keys: np.ndarray) -> array:
    return array("I", keys.astype(np.uint32).tobytes())


def _matrix(values: Sequence[str], *, from_end: bool) -> np.ndarray:
    """The first (or last, reversed) POSITIONS characters of each value, one row each."""
    if from_end:
        text = "".join(v[-POSITIONS:][::-1].ljust(POSITIONS, "\0") for v in values)
    else:
        text = "".join(v[:POSITIONS].ljust(POSITIONS, "\0") for v in values)
    raw = np.frombuffer(text.encode("ascii", "replace"), dtype=np.uint8)
    return raw.reshape(len(values), POSITIONS)


def _file(
    target: dict[tuple[int, int], BitMap],
    keys: np.ndarray,
    matrix: np.ndarray,
    pinned: dict[int, BitMap] | None = None,
) -> None:
    """File each key under (position, character) for every known character of its row."""
    for position in range(POSITIONS):
        column = matrix[:, position]
        for char in np.unique(column).tolist():
            if char in _SKIP:
                continue
            chosen = _keys_array(keys[column == char])
            target.setdefault((position, char), BitMap()).update(chosen)
            if pinned is not None:
                pinned.setdefault(position, BitMap()).update(chosen)


def _file_by_number(target: dict[int, BitMap], keys: np.ndarray, numbers: np.ndarray) -> None:
    for number in np.unique(numbers).tolist():
        target.setdefault(number, BitMap()).update(_keys_array(keys[numbers == number]))


def _intersection(bitmaps: list[BitMap]) -> BitMap:
    bitmaps.sort(key=len)
    return BitMap.intersection(*bitmaps) if len(bitmaps) > 1 else bitmaps[0].copy()


def _union(bitmaps: Iterable[BitMap]) -> BitMap:
    found = BitMap()
    for bitmap in bitmaps:
        found |= bitmap
    return found


@dataclass
class FullPlates:
    """Full plates (confusables folded): keys by position from the start, from the end, length."""

    start: dict[tuple[int, int], BitMap] = field(default_factory=dict)
    end: dict[tuple[int, int], BitMap] = field(default_factory=dict)
    length: dict[int, BitMap] = field(default_factory=dict)
    every: BitMap = field(default_factory=BitMap)

    def add(self, keys: np.ndarray, plates: Sequence[str]) -> None:
        _file(self.start, keys, _matrix(plates, from_end=False))
        _file(self.end, keys, _matrix(plates, from_end=True))
        _file_by_number(self.length, keys, np.fromiter(map(len, plates), np.int32, len(plates)))
        self.every.update(_keys_array(keys))

    def absorb(self, other: FullPlates) -> None:
        for mine, theirs in ((self.start, other.start), (self.end, other.end)):
            for key, bitmap in theirs.items():
                mine.setdefault(key, BitMap()).update(bitmap)
        for number, bitmap in other.length.items():
            self.length.setdefault(number, BitMap()).update(bitmap)
        self.every |= other.every

    def _at(self, table: dict[tuple[int, int], BitMap], text: str) -> list[BitMap] | None:
        """The bitmaps of the known characters of `text` by position; None if one has none."""
        found = []
        for position, char in enumerate(text[:POSITIONS]):
            if char == ONE:
                continue
            bitmap = table.get((position, ord(char)))
            if bitmap is None:
                return None
            found.append(bitmap)
        return found

    def _containing(self, segment: str) -> BitMap:
        """Plates that may contain `segment` somewhere (those longer than the index included)."""
        found = _union(bitmap for number, bitmap in self.length.items() if number > POSITIONS)
        for offset in range(POSITIONS - len(segment) + 1):
            pinned = self._at(self.start, ONE * offset + segment)
            if pinned:
                found |= _intersection(pinned)
        return found

    def fitting(self, pattern: str) -> BitMap:
        """Keys of the plates that may fit a LIKE-form pattern (`_` one, `%` any run)."""
        if ANY not in pattern:
            pinned = self._at(self.start, pattern)
            same_length = self.length.get(len(pattern))
            if pinned is None or same_length is None:
                return BitMap()
            return _intersection([same_length, *pinned])
        first, *middle, last = pattern.split(ANY)
        from_start = self._at(self.start, first)
        from_end = self._at(self.end, last[::-1])
        if from_start is None or from_end is None:
            return BitMap()
        bitmaps = [*from_start, *from_end]
        if not bitmaps:
            # Nothing pinned at either end ("*YX1*"): what lies in the middle narrows it.
            bitmaps = [self._containing(s) for s in middle if s.strip(ONE)]
        # Otherwise the middle is left to the check of each row, which has the last word.
        found = _intersection(bitmaps) if bitmaps else self.every.copy()
        shortest = len(pattern) - pattern.count(ANY)
        found -= _union(bitmap for number, bitmap in self.length.items() if number < shortest)
        return found


@dataclass
class PartialPlates:
    """Known partial plates as patterns: the characters each pins, from the start or the end.

    A pattern without `%` has an exact length and pins from the start; one with `%` pins its
    first part from the start and its last part from the end, and has a least length.
    """

    start: dict[tuple[int, int], BitMap] = field(default_factory=dict)
    end: dict[tuple[int, int], BitMap] = field(default_factory=dict)
    start_pinned: dict[int, BitMap] = field(default_factory=dict)
    end_pinned: dict[int, BitMap] = field(default_factory=dict)
    exact_length: dict[int, BitMap] = field(default_factory=dict)
    least_length: dict[int, BitMap] = field(default_factory=dict)

    def add(self, keys: np.ndarray, patterns: Sequence[str]) -> None:
        firsts = [p.split(ANY, 1)[0] for p in patterns]
        lasts = [p.rsplit(ANY, 1)[1] if ANY in p else "" for p in patterns]
        _file(self.start, keys, _matrix(firsts, from_end=False), self.start_pinned)
        _file(self.end, keys, _matrix(lasts, from_end=True), self.end_pinned)
        open_ended = np.fromiter((ANY in p for p in patterns), bool, len(patterns))
        lengths = np.fromiter((len(p) - p.count(ANY) for p in patterns), np.int32, len(patterns))
        _file_by_number(self.exact_length, keys[~open_ended], lengths[~open_ended])
        _file_by_number(self.least_length, keys[open_ended], lengths[open_ended])

    def absorb(self, other: PartialPlates) -> None:
        for mine, theirs in ((self.start, other.start), (self.end, other.end)):
            for key, bitmap in theirs.items():
                mine.setdefault(key, BitMap()).update(bitmap)
        for counted, more in (
            (self.start_pinned, other.start_pinned),
            (self.end_pinned, other.end_pinned),
            (self.exact_length, other.exact_length),
            (self.least_length, other.least_length),
        ):
            for number, bitmap in more.items():
                counted.setdefault(number, BitMap()).update(bitmap)

    def fitted_by(self, plate: str) -> BitMap:
        """Keys of the patterns a full plate (confusables folded) may fit."""
        found = self.exact_length.get(len(plate), BitMap()).copy()
        found |= _union(b for number, b in self.least_length.items() if number <= len(plate))
        for pinned, table, text in (
            (self.start_pinned, self.start, plate),
            (self.end_pinned, self.end, plate[::-1]),
        ):
            for position, char in enumerate(text[:POSITIONS]):
                if not found:
                    return found
                if position in pinned:
                    elsewhere = pinned[position] - table.get((position, ord(char)), BitMap())
                    found -= elsewhere
        return found

    def compatible_with(self, pattern: str) -> BitMap:
        """Keys of the fixed-length patterns that may be the same plate as a fixed-length one
        (`pattern`, no `%`): each position the same character, or unknown in one of them."""
        found = self.exact_length.get(len(pattern), BitMap()).copy()
        for position, char in enumerate(pattern[:POSITIONS]):
            if not found:
                break
            if char != ONE and position in self.start_pinned:
                elsewhere = self.start_pinned[position] - self.start.get(
                    (position, ord(char)), BitMap()
                )
                found -= elsewhere
        return found


def _newest() -> int:
    return IndexedMention.objects.aggregate(top=Max("pk"))["top"] or 0


@dataclass
class PlateIndex:
    """Every partnership's full and partial plates, read up to a high-water mark."""

    high_water: int = 0
    full: dict[int, FullPlates] = field(default_factory=dict)
    partial: dict[int, PartialPlates] = field(default_factory=dict)
    # Keys below the high-water mark not seen yet, with when they were first missed.
    missing: dict[int, float] = field(default_factory=dict)

    def add(self, rows: list[tuple[int, int, bool, str, str]]) -> None:
        """Rows of (key, partnership, is partial, folded plate, LIKE pattern)."""
        by_partnership: dict[tuple[int, bool], tuple[list[int], list[str]]] = {}
        for key, partnership_id, is_partial, folded, like in rows:
            keys, values = by_partnership.setdefault((partnership_id, is_partial), ([], []))
            keys.append(key)
            values.append(like if is_partial else folded)
        for (partnership_id, is_partial), (keys, values) in by_partnership.items():
            numbers = np.array(keys, dtype=np.int64)
            if is_partial:
                self.partial.setdefault(partnership_id, PartialPlates()).add(numbers, values)
            else:
                self.full.setdefault(partnership_id, FullPlates()).add(numbers, values)

    def absorb(self, other: PlateIndex) -> None:
        for partnership_id, plates in other.full.items():
            self.full.setdefault(partnership_id, FullPlates()).absorb(plates)
        for partnership_id, patterns in other.partial.items():
            self.partial.setdefault(partnership_id, PartialPlates()).absorb(patterns)
        self.missing.update(other.missing)
        self.high_water = max(self.high_water, other.high_water)

    def read(self, *, since: int, top: int | None = None) -> None:
        """Read the vehicle rows above `since` (and those missed before) from the database."""
        if self.missing:
            self._read_missing()
        if top is None:
            top = _newest()
        if top <= since:
            self.high_water = max(self.high_water, since)
            return
        for chunk in _fetched(_vehicles().filter(pk__gt=since, pk__lte=top)):
            self.add(chunk)
        if connection.vendor != "sqlite":
            # Other writers' keys below `top` may not be visible yet: look again later.
            # (SQLite has one writer at a time, so its keys become visible in order.)
            low, now = max(since, top - GAP_WINDOW), time.monotonic()
            seen = set(
                IndexedMention.objects.filter(pk__gt=low, pk__lte=top).values_list("pk", flat=True)
            )
            self.missing.update((key, now) for key in range(low + 1, top + 1) if key not in seen)
        self.high_water = top

    def _read_missing(self) -> None:
        now = time.monotonic()
        self.missing = {k: t for k, t in self.missing.items() if now - t < GAP_SECONDS}
        here = IndexedMention.objects.filter(pk__in=list(self.missing))
        for chunk in _fetched(here.filter(pk__in=_vehicles().values("pk"))):
            self.add(chunk)
        for key in here.values_list("pk", flat=True):
            self.missing.pop(key, None)


def _vehicles() -> QuerySet[IndexedMention]:
    return IndexedMention.objects.filter(entity_type=EntityType.VEHICLE).exclude(plate="")


_FIELDS = ("pk", "partnership_id", "is_partial", "plate_confusable", "plate_like")


def _fetched(found: QuerySet[IndexedMention]) -> Iterator[list[tuple[int, int, bool, str, str]]]:
    """The index's fields of the rows found, in chunks, without a model instance for each."""
    sql, params = found.values_list(*_FIELDS).query.sql_with_params()
    with connection.chunked_cursor() as cursor:  # server-side where the database has them
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(ROWS_PER_CHUNK):
            yield chunk


class _Overlay(threading.local):
    """Rows read inside the current transaction of this thread, until it commits."""

    index: PlateIndex | None = None


_lock = threading.Lock()
_index = PlateIndex()
_overlay = _Overlay()


class _MergeOnCommit:
    """Joins a transaction's rows to the process's index once the transaction commits."""

    def __init__(self, overlay: PlateIndex) -> None:
        self.overlay = overlay

    def __call__(self) -> None:
        if connection.in_atomic_block:
            return  # run early by a test: the transaction has not really committed
        with _lock:
            _index.absorb(self.overlay)


def _overlay_open(overlay: PlateIndex) -> bool:
    """Whether the transaction that read `overlay` is still open (its commit hook stands)."""
    hooks = (entry[1] for entry in connection.run_on_commit)  # (savepoints, hook, robust)
    return any(isinstance(hook, _MergeOnCommit) and hook.overlay is overlay for hook in hooks)


def _catch_up() -> tuple[PlateIndex, PlateIndex | None]:
    """The process's index, caught up, and this transaction's own rows beside it."""
    global _index
    with _lock:
        if not connection.in_atomic_block:
            top = _newest()
            if top < _index.high_water:
                _index = PlateIndex()  # the table was emptied and its keys started again
            _index.read(since=_index.high_water, top=top)
            return _index, None
        since, missing = _index.high_water, dict(_index.missing)
    overlay = _overlay.index
    if overlay is None or not _overlay_open(overlay):
        overlay = _overlay.index = PlateIndex(high_water=since, missing=missing)
        connection.on_commit(_MergeOnCommit(overlay))
    elif (
        overlay.high_water > since
        and not IndexedMention.objects.filter(pk=overlay.high_water).exists()
    ):
        # The newest row it read has gone (rolled back to a savepoint, say): read afresh.
        overlay.full, overlay.partial = {}, {}
        overlay.high_water, overlay.missing = since, missing
    overlay.read(since=overlay.high_water)
    return _index, overlay


def full_plates_fitting(partnership_id: int, pattern: str) -> BitMap:
    """Keys of the full plates that may fit a partial plate in LIKE form (`plate_like`)."""
    index, overlay = _catch_up()
    with _lock:
        found = (
            index.full[partnership_id].fitting(pattern)
            if partnership_id in index.full
            else BitMap()
        )
    if overlay is not None and partnership_id in overlay.full:
        found |= overlay.full[partnership_id].fitting(pattern)
    return found


def partial_plates_fitted_by(partnership_id: int, plate: str) -> BitMap:
    """Keys of the partial plates that a full plate (confusables folded) may fit."""
    index, overlay = _catch_up()
    with _lock:
        partial = index.partial.get(partnership_id)
        found = partial.fitted_by(plate) if partial is not None else BitMap()
    if overlay is not None and partnership_id in overlay.partial:
        found |= overlay.partial[partnership_id].fitted_by(plate)
    return found


def full_plates_fitting_each(partnership_id: int, patterns: Sequence[str]) -> dict[str, BitMap]:
    """full_plates_fitting for several patterns, catching up once."""
    index, overlay = _catch_up()
    with _lock:
        full = index.full.get(partnership_id)
        found = {p: full.fitting(p) if full is not None else BitMap() for p in patterns}
    if overlay is not None and partnership_id in overlay.full:
        for pattern in patterns:
            found[pattern] |= overlay.full[partnership_id].fitting(pattern)
    return found


def partial_plates_compatible_with(partnership_id: int, pattern: str) -> BitMap:
    """Keys of the fixed-length partial plates that may be the same plate as `pattern` (a
    fixed-length partial in LIKE form, without `%`)."""
    index, overlay = _catch_up()
    with _lock:
        partial = index.partial.get(partnership_id)
        found = partial.compatible_with(pattern) if partial is not None else BitMap()
    if overlay is not None and partnership_id in overlay.partial:
        found |= overlay.partial[partnership_id].compatible_with(pattern)
    return found


def index_size() -> int:
    """Bytes the process's bitmaps take, serialised (what the benchmark reports)."""
    with _lock:
        tables: list[Iterable[BitMap]] = []
        for full in _index.full.values():
            tables += [full.start.values(), full.end.values(), full.length.values(), [full.every]]
        for partial in _index.partial.values():
            tables += [partial.start.values(), partial.end.values()]
            tables += [partial.start_pinned.values(), partial.end_pinned.values()]
            tables += [partial.exact_length.values(), partial.least_length.values()]
        return sum(len(bitmap.serialize()) for table in tables for bitmap in table)


class CaughtUp:
    """One partnership's plate look-ups against the index caught up once, for a batch whose
    look-ups have nothing written between them (a bulk import's): the functions above catch
    up for each look-up, two queries each."""

    def __init__(self, partnership_id: int) -> None:
        index, overlay = _catch_up()
        tables = [t for t in (index, overlay) if t is not None]
        self._full = [t.full[partnership_id] for t in tables if partnership_id in t.full]
        self._partial = [t.partial[partnership_id] for t in tables if partnership_id in t.partial]

    def full_plates_fitting(self, pattern: str) -> BitMap:
        with _lock:
            return _union(full.fitting(pattern) for full in self._full)

    def partial_plates_fitted_by(self, plate: str) -> BitMap:
        with _lock:
            return _union(partial.fitted_by(plate) for partial in self._partial)

    def partial_plates_compatible_with(self, pattern: str) -> BitMap:
        with _lock:
            return _union(partial.compatible_with(pattern) for partial in self._partial)
