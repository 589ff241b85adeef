"""On-arrival linking of one new report against 1,000,000 known mentions.

    .venv/bin/python benchmarks/on_arrival.py [--mentions 1000000] [--reports 200] [--rebuild]

Builds (once, kept under var/bench/arrival/) a scratch database whose candidate index holds the
known mentions: people and children with generated names (common first names and surnames
often, so that some name keys are shared by hundreds), vehicles with full and partial plates,
phones, usernames and places, drawn from pools so that the same identifiers recur. Then new
reports drawn from the same pools arrive one at a time, and each whole `link_on_arrival` call is
timed: indexing the report, candidate lookup, scoring, context, storing suggestions and
assignments. Each report is made before its call, outside the timing.
"""

# ruff: noqa: S311, SIM905, RUF005  (generated data; word lists read best as words)

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _scratch import (
    Timings,
    bulk_insert,
    peak_memory_mib,
    percentile,
    scratch_django,
    summary,
)

# Generated names only: common given names (with their nickname forms) and surnames.
GIVEN = """daniel danny dan james jim jimmy mohammed muhammad mohammad oliver ollie jack jake
harry thomas tom tommy george charlie callum liam noah leo alfie joshua josh ryan kyle connor
jordan lewis aaron adam ben benjamin sam samuel jacob michael mike mikey david dave chris
christopher matthew matt luke ethan dylan tyler nathan zak zack ali ahmed omar yusuf kai
olivia amelia millie jessica jess emily sophie chloe ellie grace ruby lily mia ava isla evie
poppy hannah lauren megan amy katie kate leah holly abbie abigail zara aisha fatima
maryam""".split()
SURNAMES = """smith jones taylor brown williams wilson johnson davies patel wright robinson
thompson evans walker white roberts green hall thomas clarke jackson wood harris edwards turner
martin cooper hill ward hughes moore clark king harrison lewis baker lee allen morris khan scott
watson davis parker james bennett young phillips richardson mitchell bailey carter cook singh
shaw bell collins morgan kelly begum miller cox hussain marshall simpson price anderson adams
wilkinson ali ahmed foster ellis murphy chapman mason gray richards webb griffiths hunt palmer
campbell holmes mills rogers barnes knight matthews barker powell stevens kaur fisher butler
dixon russell harvey pearson graham ashdown brackley quarrie fenwick holroyd tranter""".split()
PLATFORMS = ["snapchat", "instagram", "tiktok", "whatsapp", "facebook"]
LETTERS = "ABCDEFGHJKLMNOPRSTUVWXYZ"
TYPES = ["person"] * 35 + ["child"] * 10 + ["vehicle"] * 15 + ["phone"] * 15
TYPES += ["online"] * 12 + ["location"] * 13


class Pools:
    """The identifiers mentions are drawn from, so that the same ones recur across reports."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(seed)
        self.rng = rng
        self.plates = [
            rng.choice("ABCDEFGHKLMNOPRSVWY")
            + rng.choice(LETTERS)
            + f"{rng.choice([*range(2, 26), *range(51, 76)]):02d}"
            + "".join(rng.choice(LETTERS) for _ in range(3))
            for _ in range(150_000)
        ]
        self.phones = [f"+447700{n:06d}" for n in rng.sample(range(1_000_000), 150_000)]
        self.users = [f"user{n}_{rng.choice('xyzq')}" for n in range(120_000)]
        outward = ["DN15", "DN16", "DN17", "HU1", "HU2", "HU3", "LS1", "LS2", "S1", "S2"]
        self.postcodes = [
            f"{rng.choice(outward)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            for _ in range(20_000)
        ]
        self.places = [f"{rng.choice(['the', 'old', 'new'])} {w} " for w in SURNAMES]

    def _zipf(self, items: list[str]) -> str:
        # Rank r is chosen with weight about 1/r: a few very common, a long tail.
        return items[min(len(items) - 1, int(len(items) ** self.rng.random()) - 1)]

    def name(self) -> str:
        return f"{self._zipf(GIVEN)} {self._zipf(SURNAMES)}"

    def plate(self) -> str:
        plate = self._zipf(self.plates) if self.rng.random() < 0.5 else self.rng.choice(self.plates)
        roll = self.rng.random()
        if roll < 0.05:
            return plate[:4] + "*"
        if roll < 0.08:
            return "*" + plate[-3:]
        if roll < 0.12:
            return plate[:3] + "?" + plate[4:6] + "?"
        return plate

    def phone(self) -> str:
        return self.rng.choice(self.phones)

    def user(self) -> str:
        return self.rng.choice(self.users)

    def postcode(self) -> str:
        return self.rng.choice(self.postcodes)


MENTION_COLUMNS = ["id", "partnership_id", "mention_id", "source", "entity_type", "container"]
MENTION_COLUMNS += ["label", "name", "nickname", "dob", "age_estimate", "plate", "plate_confusable"]
MENTION_COLUMNS += ["is_partial", "plate_like", "e164", "username", "platform", "postcode"]
MENTION_COLUMNS += ["make", "colour", "indexed_at"]


def known_mention_rows(partnership_id: int, count: int) -> tuple[list[tuple], list[tuple]]:
    """The known mentions (rows of MENTION_COLUMNS), four to a report, and their name keys.

    Shared with benchmarks/load.py, which copies the same rows into PostgreSQL.
    """
    from csehub.intelligence.normalise import (
        name_block_keys,
        name_keys,
        plate_is_partial,
        plate_normalise,
    )
    from csehub.linking.engine.plate_search import plate_like_pattern

    pools = Pools(seed=1)
    rng = random.Random(2)
    fold = str.maketrans({"O": "0", "I": "1", "S": "5", "B": "8", "Z": "2"})
    mentions, keys = [], []
    for pk in range(1, count + 1):
        container = f"K-{(pk - 1) // 4:07d}"
        kind = rng.choice(TYPES)
        name = nickname = plate = folded = like = e164 = username = platform = postcode = ""
        partial, dob, age = False, None, None
        if kind in ("person", "child"):
            name = pools.name()
            if kind == "person":
                age = rng.randint(16, 45) if rng.random() < 0.6 else None
                nickname = rng.choice(["", "", "", "dee", "little j", "big man", "kay"])
            else:
                dob = dt.date(2008, 1, 1) + dt.timedelta(days=rng.randint(0, 3000))
            for key in sorted(name_block_keys(name) | name_keys(nickname)):
                keys.append((pk, key))
        elif kind == "vehicle":
            plate = plate_normalise(pools.plate())
            partial = plate_is_partial(plate)
            folded = "" if partial else plate.translate(fold)
            like = plate_like_pattern(plate) if partial else ""
        elif kind == "phone":
            e164 = pools.phone()
        elif kind == "online":
            username, platform = pools.user(), rng.choice(PLATFORMS)
        else:
            postcode = pools.postcode()
            name = rng.choice(pools.places).strip() if rng.random() < 0.5 else ""
        label = name or plate or e164 or username or postcode or "(none)"
        mention_id = f"{container}/m{pk % 4 + 1}"
        born = dob.isoformat() if dob else None
        mentions.append(
            (pk, partnership_id, mention_id, "intelligence", kind, container, label, name)
            + (nickname, born, age, plate, folded, partial, like, e164, username, platform)
            # Make and colour are left unknown: the plates alone decide.
            + (postcode, "", "", "2026-01-01 00:00:00")
        )
    return mentions, keys


def build(database: Path, count: int) -> None:
    """The known mentions, four to a report, straight into the candidate index tables."""
    from csehub.accounts.models import Partnership

    partnership, _ = Partnership.objects.get_or_create(
        slug="bench", defaults={"name": "Bench partnership"}
    )
    started = time.perf_counter()
    mentions, keys = known_mention_rows(partnership.pk, count)
    bulk_insert(database, "linking_indexedmention", MENTION_COLUMNS, mentions)
    bulk_insert(database, "linking_namekey", ["mention_id", "key"], keys)
    print(f"built {count:,} known mentions ({len(keys):,} name keys)", end=" ")
    print(f"in {time.perf_counter() - started:.0f} s")


def shared_identifier_groups(found) -> list[tuple[tuple[str, ...], list[str]]]:
    """Known mentions that share an exact identifier, grouped: one entity each.

    `found` yields (mention_id, entity_type, e164, username, platform, plate, is_partial,
    postcode, name) for the phone, online, vehicle and location mentions.
    """
    groups: dict[tuple[str, ...], list[str]] = {}
    for mention_id, kind, e164, user, platform, plate, partial, postcode, name in found:
        if kind == "phone":
            key: tuple[str, ...] = (kind, e164)
        elif kind == "online":
            key = (kind, user, platform)
        elif kind == "vehicle" and not partial:
            key = (kind, plate)
        elif kind == "location":
            key = (kind, postcode, name)
        else:
            continue
        groups.setdefault(key, []).append(mention_id)
    return [(key, ids) for key, ids in groups.items() if len(ids) > 1]


def assign_known(database: Path) -> None:
    """Put the known mentions that share an exact identifier in one entity each, as the engine
    would have done when each of them arrived (so that a new report meets a settled index)."""
    import sqlite3

    started = time.perf_counter()
    db = sqlite3.connect(database)
    (partnership_id,) = db.execute(
        "SELECT id FROM accounts_partnership WHERE slug = 'bench'"
    ).fetchone()
    found = db.execute(
        "SELECT mention_id, entity_type, e164, username, platform, plate, is_partial, postcode,"
        " name FROM linking_indexedmention"
        " WHERE entity_type IN ('phone', 'online', 'vehicle', 'location')"
    )
    shared = shared_identifier_groups(found)
    db.close()
    now = "2026-01-01 00:00:00"
    bulk_insert(
        database,
        "linking_entity",
        ["id", "partnership_id", "entity_type", "label", "created_at"],
        ((n, partnership_id, key[0], key[1], now) for n, (key, _) in enumerate(shared, 1)),
    )
    bulk_insert(
        database,
        "linking_mentionentity",
        ["mention_id", "source", "entity_id", "assigned_by", "assigned_at"],
        (
            (mention_id, "intelligence", n, "engine", now)
            for n, (_, ids) in enumerate(shared, 1)
            for mention_id in ids
        ),
    )
    print(f"{len(shared):,} entities of known mentions sharing an identifier", end=" ")
    print(f"in {time.perf_counter() - started:.0f} s")


def new_report(pools: Pools, number: int, partnership):
    """A report as a partner would share it: a child, two people, a vehicle, phone, etc."""
    from csehub.intelligence.models import (
        ChildMention,
        IntelligenceReport,
        LocationMention,
        OnlineMention,
        PersonMention,
        PhoneMention,
        VehicleMention,
    )

    rng = pools.rng
    report = IntelligenceReport.objects.create(
        partnership=partnership,
        source="Bench Youth Service",
        external_id=f"NEW-{number:05d}",
        text="Generated for the benchmark.",
    )
    mentions = [
        ChildMention(report=report, ref="c1", name=pools.name()),
        PersonMention(report=report, ref="p1", name=pools.name(), age_estimate=rng.randint(18, 40)),
        PersonMention(report=report, ref="p2", name=pools.name().split()[0], nickname="dee"),
        VehicleMention(report=report, ref="v1", plate=pools.plate()),
        PhoneMention(report=report, ref="t1", number="0" + pools.phone()[3:]),
        OnlineMention(report=report, ref="u1", username="@" + pools.user(), platform="snapchat"),
        LocationMention(report=report, ref="l1", name="", postcode=pools.postcode()),
    ]
    for mention in mentions:
        mention.normalise()
        mention.save()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--rebuild", action="store_true")
    options = parser.parse_args()
    database = scratch_django("arrival", rebuild=options.rebuild)

    from django.db import transaction

    from csehub.accounts.models import Partnership
    from csehub.intelligence.models import IntelligenceReport
    from csehub.linking.engine.arrival import link_on_arrival
    from csehub.linking.models import (
        Alert,
        Entity,
        IndexedMention,
        LinkSuggestion,
        MentionEntity,
    )

    if not IndexedMention.objects.filter(container__startswith="K-").exists():
        build(database, options.mentions)
    if not MentionEntity.objects.filter(mention_id__startswith="K-").exists():
        assign_known(database)
    partnership = Partnership.objects.get(slug="bench")
    known = IndexedMention.objects.filter(container__startswith="K-").count()
    print(f"{known:,} known mentions in {database}")

    # Start each run from the known mentions alone: earlier runs' reports are taken away.
    with transaction.atomic():
        new = IndexedMention.objects.exclude(container__startswith="K-")
        LinkSuggestion.objects.filter(mention_id__startswith="NEW-").delete()
        new.delete()
        IntelligenceReport.objects.filter(external_id__startswith="NEW-").delete()
        MentionEntity.objects.filter(mention_id__startswith="NEW-").delete()
        Alert.objects.all().delete()  # only ever raised by earlier runs' reports
        Entity.objects.filter(assignments__isnull=True).delete()

    pools = Pools(seed=7)
    # The generator's pools are half a million objects a server would not hold: keep them out
    # of the garbage collector's way so that its passes over them are not timed as linking.
    gc.freeze()
    started = time.perf_counter()
    link_on_arrival(report=new_report(pools, 0, partnership), notify=False)
    print(f"first call (reads the plate index) {time.perf_counter() - started:.1f} s;", end=" ")
    print(f"peak memory {peak_memory_mib():.0f} MiB")

    spent, suggested = Timings(), []
    for number in range(1, options.reports + 1):
        report = new_report(pools, number, partnership)
        start, start_cpu = time.perf_counter(), time.process_time()
        result = link_on_arrival(report=report, notify=False)
        spent.append((time.perf_counter() - start) * 1000)
        spent.cpu.append((time.process_time() - start_cpu) * 1000)
        suggested.append(len(result.suggestions))
    print(f"{options.reports} new reports of 7 mentions each, one link_on_arrival call each:")
    print(f"  {summary(spent)}  p50 {percentile(spent, 0.5):.2f} ms")
    print(f"  suggestions per report: mean {sum(suggested) / len(suggested):.1f},", end=" ")
    print(f"max {max(suggested)}")


if __name__ == "__main__":
    main()
