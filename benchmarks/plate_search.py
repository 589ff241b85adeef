"""Partial plate search over 5,000,000 known plates: the per-position index against a scan.

    .venv/bin/python benchmarks/plate_search.py [--plates 5000000] [--repeat 50] [--rebuild]

Builds (once, kept under var/bench/plates/) a scratch database of generated plates in the
candidate index, mostly current-format ("YX61 KBC") with older prefix and suffix formats and
partial plates as intelligence writes them. Then, for each pattern: the index alone
(engine.plates, keys that may fit), the search as the engine runs it (the index, then each row
read back and checked by the database), and the baselines on the same data: a Python regular
expression over the plates held in memory, and SQL LIKE in the database.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
from _scratch import bulk_insert, peak_memory_mib, scratch_django, summary, timed

PATTERNS = [
    "YX1? ?BC",
    "YX*",
    "*BC",
    "Y?1*C",
    "?X61 K?C",
    "YX61 KBC",  # as a partial would be matched: a full plate written out
    "starts with AB12",
    "ends with 5KD",
    "partial plate 12A",
    "A??? ?CD",
    "L*2*X",
    "??25 ???",
]
FULL_FOR_REVERSE = ["YX12 ABC", "AB61 KBD", "L123 ABC", "ABC 123D"]
LETTERS = np.frombuffer(b"ABCDEFGHJKLMNOPRSTUVWXYZ", dtype=np.uint8)  # no I or Q
DIGITS = np.frombuffer(b"0123456789", dtype=np.uint8)
REGIONS = np.frombuffer(b"ABCDEFGHKLMNOPRSVWY", dtype=np.uint8)
AGES = [f"{n:02d}" for n in [*range(2, 26), *range(51, 76)]]


def _plates(count: int, seed: int) -> list[str]:
    """Current (AB12 CDE, 85%), prefix (A123 BCD, 10%) and suffix (ABC 123D, 5%) formats."""
    rng = np.random.default_rng(seed)

    def letters(n: int, pool: np.ndarray = LETTERS) -> np.ndarray:
        return rng.choice(pool, n)

    current = int(count * 0.85)
    prefix = int(count * 0.10)
    suffix = count - current - prefix
    ages = np.frombuffer("".join(AGES).encode(), dtype=np.uint8).reshape(-1, 2)
    age = ages[rng.integers(0, len(ages), current)]
    rows = np.column_stack(
        [letters(current, REGIONS), letters(current), age, *(letters(current) for _ in range(3))]
    )
    found = rows.tobytes().decode().__iter__()
    plates = ["".join(next(found) for _ in range(7)) for _ in range(current)]
    digits = rng.integers(1, 1000, prefix)
    heads, tails = letters(prefix), letters(prefix * 3).reshape(-1, 3)
    plates += [
        f"{chr(h)}{d}{t.tobytes().decode()}" for h, d, t in zip(heads, digits, tails, strict=True)
    ]
    digits = rng.integers(1, 1000, suffix)
    heads, tails = letters(suffix * 3).reshape(-1, 3), letters(suffix)
    plates += [
        f"{h.tobytes().decode()}{d}{chr(t)}" for h, d, t in zip(heads, digits, tails, strict=True)
    ]
    order = rng.permutation(count)
    return [plates[i] for i in order]


def _partials(plates: list[str], count: int, seed: int) -> list[str]:
    """Partial plates as written in intelligence: unknown characters, starts and ends."""
    rng = np.random.default_rng(seed)
    found = []
    for n, plate in enumerate(plates[:count]):
        kind = n % 4
        if kind == 0:
            hidden = set(rng.choice(len(plate), 2, replace=False).tolist())
            found.append("".join("?" if i in hidden else c for i, c in enumerate(plate)))
        elif kind == 1:
            found.append(plate[:3] + "*")
        elif kind == 2:
            found.append("*" + plate[-3:])
        else:
            found.append(plate[:2] + "?" + "*" + plate[-2:])
    return found


def build(database, plate_count: int, partial_count: int) -> None:
    from csehub.accounts.models import Partnership
    from csehub.intelligence.normalise import plate_normalise
    from csehub.linking.engine.plate_search import plate_like_pattern

    Partnership.objects.get_or_create(slug="bench", defaults={"name": "Bench partnership"})
    partnership_id = Partnership.objects.get(slug="bench").pk
    fold = str.maketrans({"O": "0", "I": "1", "S": "5", "B": "8", "Z": "2"})
    started = time.perf_counter()
    plates = _plates(plate_count, seed=1)
    partials = _partials(_plates(partial_count, seed=2), partial_count, seed=3)

    def rows():
        blank = ("", "", "", "", "", "", "2026-01-01 00:00:00")
        for n, plate in enumerate(plates):
            container = f"B-{n // 4:07d}"
            mention = f"{container}/v{n % 4 + 1}"
            common = (partnership_id, mention, "intelligence", "vehicle", container)
            yield (*common, plate, plate, plate.translate(fold), False, "", *blank)
        for n, written in enumerate(partials):
            normal = plate_normalise(written)
            container = f"P-{n // 4:07d}"
            mention = f"{container}/v{n % 4 + 1}"
            common = (partnership_id, mention, "intelligence", "vehicle", container)
            yield (*common, normal, normal, "", True, plate_like_pattern(normal), *blank)

    columns = ["partnership_id", "mention_id", "source", "entity_type", "container", "label"]
    columns += ["plate", "plate_confusable", "is_partial", "plate_like", "name", "nickname"]
    columns += ["e164", "username", "platform", "postcode", "indexed_at"]
    bulk_insert(database, "linking_indexedmention", columns, rows())
    print(f"built {plate_count:,} full and {partial_count:,} partial plates", end=" ")
    print(f"in {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plates", type=int, default=5_000_000)
    parser.add_argument("--partials", type=int, default=250_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--baseline-repeat", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true")
    options = parser.parse_args()
    database = scratch_django("plates", rebuild=options.rebuild)

    from django.db import connection

    from csehub.accounts.models import Partnership
    from csehub.intelligence.normalise import plate_normalise, plate_pattern_regex
    from csehub.linking.engine import plates
    from csehub.linking.engine.plate_search import (
        partial_plates_fitted_by,
        plate_like_pattern,
        plates_fitting,
    )
    from csehub.linking.models import IndexedMention

    if not IndexedMention.objects.exists():
        build(database, options.plates, options.partials)
    partnership_id = Partnership.objects.get(slug="bench").pk
    full = IndexedMention.objects.filter(is_partial=False).count()
    partial = IndexedMention.objects.filter(is_partial=True).count()
    print(f"{full:,} full plates and {partial:,} partial plates in {database}")

    started, started_cpu = time.perf_counter(), time.process_time()
    plates.full_plates_fitting(partnership_id, "YX%")  # the process reads everything once
    print(f"index read from the database in {time.perf_counter() - started:.1f} s", end=" ")
    print(f"(CPU {time.process_time() - started_cpu:.1f} s);", end=" ")
    print(f"peak memory of the process {peak_memory_mib():.0f} MiB;", end=" ")
    print(f"the bitmaps take {plates.index_size() / 2**20:.0f} MiB")

    print()
    print("Partial plate -> known full plates (ms; index = keys that may fit;")
    print("search = index, then each row read back from the database and checked)")
    measured = {}
    for written in PATTERNS:
        like = plate_like_pattern(plate_normalise(written))
        index_ms, keys = timed(
            lambda like=like: plates.full_plates_fitting(partnership_id, like), options.repeat
        )
        search_ms, rows = timed(
            lambda w=written: plates_fitting(partnership_id=partnership_id, pattern=w),
            max(5, options.repeat // 5),
        )
        measured[written] = (like, index_ms, len(keys), search_ms, len(rows))  # type: ignore[arg-type]

    # The baselines: every plate in memory for the regular expression, and the SQL LIKE.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT plate_confusable FROM linking_indexedmention WHERE is_partial = 0"
            " AND entity_type = 'vehicle'"
        )
        folded = [row[0] for row in cursor.fetchall()]
    for written, (like, index_ms, keys, search_ms, found) in measured.items():
        regex = plate_pattern_regex(like.replace("_", "?").replace("%", "*"))
        regex_ms, matched = timed(
            lambda r=regex: sum(1 for p in folded if r.match(p)), options.baseline_repeat
        )

        def like_scan(like: str = like) -> int:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM linking_indexedmention WHERE entity_type = 'vehicle'"
                    " AND is_partial = 0 AND partnership_id = %s AND plate_confusable LIKE %s",
                    [partnership_id, like],
                )
                return cursor.fetchone()[0]

        like_ms, counted = timed(like_scan, options.baseline_repeat)
        assert found == matched == counted, (written, found, matched, counted)
        print(f"  {written!r:22} {found:>8,} plates ({keys:,} keys)")
        print(f"    index        {summary(index_ms)}")
        print(f"    search       {summary(search_ms)}")
        print(f"    regex scan   {summary(regex_ms)}")
        print(f"    SQL LIKE     {summary(like_ms)}")

    print()
    print("Full plate -> known partial plates (the reverse direction)")
    for written in FULL_FOR_REVERSE:
        folded_plate = plate_normalise(written).translate(str.maketrans("OISBZ", "01582"))
        index_ms, keys = timed(
            lambda p=folded_plate: plates.partial_plates_fitted_by(partnership_id, p),
            options.repeat,
        )
        search_ms, rows = timed(
            lambda w=written: partial_plates_fitted_by(partnership_id=partnership_id, plate=w),
            max(5, options.repeat // 5),
        )
        print(f"  {written!r:22} {len(rows):>8,} patterns ({len(keys):,} keys)")  # type: ignore[arg-type]
        print(f"    index        {summary(index_ms)}")
        print(f"    search       {summary(search_ms)}")


if __name__ == "__main__":
    main()
