"""Synthetic intelligence with ground truth, for testing and measuring linking.

A fictional world of children, people, vehicles, phones, usernames and places is drawn from a
seeded random generator; each report mentions a few of them the way partners really write:
nicknames and other spellings, typos, partial and misread plates, phone numbers in every format,
usernames with and without @, and different people who share a name. The truth (which real
thing each mention is) goes to a separate CSV in the linking output format of INTERCHANGE.md,
so a linking engine's output can be scored against it. Every name, plate, phone number and
place is invented; phone numbers are in Ofcom's drama ranges.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from .normalise import CONFUSABLE, name_groups

GIVEN_NAMES = [
    "Daniel", "Mohammed", "Jonathan", "Catherine", "Thomas", "Robert", "Michael", "William",
    "Alexander", "Samuel", "Joseph", "James", "Richard", "Nicholas", "Matthew", "Christopher",
    "Anthony", "Edward", "Benjamin", "Stephen", "Ahmed", "Hussain", "Yusuf", "Kieran", "Connor",
]  # fmt: skip
CHILD_GIVEN = [
    "Kayleigh", "Jessica", "Rebecca", "Olivia", "Amelia", "Isabella", "Bethany", "Natalie",
    "Abigail", "Sophia", "Charlotte", "Eleanor", "Madison", "Aaliyah", "Callum", "Jacob",
]  # fmt: skip
FAMILY_NAMES = [
    "Ashdown", "Brackley", "Corrigan", "Dunmore", "Eastwood", "Fenwick", "Garside", "Holloway",
    "Ingleby", "Jarrow", "Kettering", "Lowther", "Marchbank", "Northcott", "Oakridge",
    "Penhallow", "Quarrie", "Redfern", "Stanwick", "Thornbury", "Upshaw", "Varley", "Whitcombe",
]  # fmt: skip
MAKES = ["Audi A3", "BMW 1 Series", "Ford Fiesta", "Vauxhall Corsa", "VW Golf", "Mercedes A"]
COLOURS = ["black", "silver", "white", "grey", "blue", "red"]
PLATFORMS = ["snapchat", "instagram", "tiktok", "whatsapp"]
PLACES = [
    "Riverside Park", "Canal Street car park", "Golden Fry takeaway", "Market Square",
    "Station Road bus stop", "Oakhill shops", "Fernbridge Leisure Centre", "Mill Lane garages",
]  # fmt: skip
# Fernbridge is fictional; FB is not a postcode area in use.
POSTCODE_AREA = "FB"
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
PLATE_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXYZ"
CONTACT = ["seen_in", "drives", "with", "at", "contacted"]


@dataclass
class World:
    children: list[dict[str, Any]]
    persons: list[dict[str, Any]]
    vehicles: list[dict[str, Any]]
    phones: list[dict[str, Any]]
    online: list[dict[str, Any]]
    locations: list[dict[str, Any]]


def _nicknames() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for group in name_groups():
        found.setdefault(group[0], []).extend(n for n in group[1:] if len(n) > 1)
    return found


def _plate(rng: random.Random) -> str:
    letters = "".join(rng.choice(PLATE_LETTERS) for _ in range(2))
    age = rng.choice(["15", "16", "17", "18", "19", "20", "21", "22", "65", "66", "67", "68"])
    tail = "".join(rng.choice(PLATE_LETTERS) for _ in range(3))
    return f"{letters}{age} {tail}"


def _world(rng: random.Random, reports: int) -> World:
    def size(divisor: int, least: int) -> int:
        return max(least, reports // divisor)

    persons = []
    for number in range(size(4, 6)):
        given = rng.choice(GIVEN_NAMES)
        family = rng.choice(FAMILY_NAMES)
        persons.append(
            {
                "id": f"P-{number:06d}",
                "given": given,
                "family": family,
                "age": rng.randint(17, 45),
                "street": f"{given[0]}{family[0]}".upper() + str(rng.randint(1, 99)),
            }
        )
    # Different people with the same name: every tenth person copies an earlier one's name.
    for index in range(10, len(persons), 10):
        twin = persons[rng.randrange(index)]
        persons[index]["given"], persons[index]["family"] = twin["given"], twin["family"]
    children = [
        {
            "id": f"C-{n:06d}",
            "name": f"{rng.choice(CHILD_GIVEN)} {rng.choice(FAMILY_NAMES)}",
            "dob": dt.date(2009, 1, 1) + dt.timedelta(days=rng.randrange(365 * 6)),
        }
        for n in range(size(8, 4))
    ]
    vehicles = [
        {
            "id": f"V-{n:06d}",
            "plate": _plate(rng),
            "make": rng.choice(MAKES),
            "colour": rng.choice(COLOURS),
        }
        for n in range(size(5, 5))
    ]
    phone_count = min(size(5, 5), 2000)
    numbers = rng.sample(range(2000), phone_count)
    phones = [
        {
            "id": f"T-{n:06d}",
            "national": f"07700 900{x:03d}" if x < 1000 else f"01632 960{x - 1000:03d}",
        }
        for n, x in enumerate(numbers)
    ]
    online = [
        {
            "id": f"U-{n:06d}",
            "platform": rng.choice(PLATFORMS),
            "username": f"{rng.choice(GIVEN_NAMES).lower()}_{rng.choice('dkmxz')}{n}",
        }
        for n in range(size(6, 4))
    ]
    locations = []
    for n in range(size(10, 4)):
        district = rng.randint(1, 20)
        inward = f"{rng.randint(1, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
        locations.append(
            {
                "id": f"L-{n:06d}",
                "name": f"{rng.choice(PLACES)}" if n < len(PLACES) else f"Unit {n}, Mill Lane",
                "postcode": f"{POSTCODE_AREA}{district} {inward}",
                "business": rng.random() < 0.4,
            }
        )
    return World(children, persons, vehicles, phones, online, locations)


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1 :]  # a letter dropped
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # two letters swapped


def _person_as_written(rng: random.Random, person: dict[str, Any]) -> dict[str, Any]:
    given, family = person["given"], person["family"]
    nicknames = _nicknames().get(given.lower(), [])
    roll = rng.random()
    if roll < 0.3 and nicknames:
        given = rng.choice(nicknames).capitalize()
    elif roll < 0.4:
        family = _typo(rng, family)
    name = f"{given} {family}" if rng.random() < 0.8 else given
    entry: dict[str, Any] = {"name": name}
    if rng.random() < 0.4:
        entry["nickname"] = f"{(nicknames or [given.lower()])[0].capitalize()} {family[0]}"
    if rng.random() < 0.6:
        entry["age_estimate"] = max(16, person["age"] + rng.randint(-4, 4))
    return entry


_SWAP = {**CONFUSABLE, **{digit: letter for letter, digit in CONFUSABLE.items()}}


def _plate_as_written(rng: random.Random, plate: str) -> str:
    roll = rng.random()
    if roll < 0.25:  # partial: two or three characters not seen
        chars = list(plate)
        positions = [i for i, c in enumerate(chars) if c != " "]
        for i in rng.sample(positions, rng.randint(2, 3)):
            chars[i] = "?"
        return "".join(chars)
    if roll < 0.35:  # only the start seen
        return plate[:3].strip() + "*"
    if roll < 0.5:  # one confusable character misread
        chars = list(plate)
        swappable = [i for i, c in enumerate(chars) if c in _SWAP]
        if swappable:
            i = rng.choice(swappable)
            chars[i] = _SWAP[chars[i]]
        return "".join(chars)
    if roll < 0.7:
        return plate.replace(" ", "").lower()
    return plate


def _phone_as_written(rng: random.Random, national: str) -> str:
    digits = national.replace(" ", "")
    forms = [
        national,
        digits,
        "+44 " + national[1:],
        f"{digits[:5]}-{digits[5:8]}-{digits[8:]}",
        f"({digits[:5]}) {digits[5:]}",
        "0044" + digits[1:],
    ]
    return rng.choice(forms)


def _username_as_written(rng: random.Random, username: str) -> str:
    roll = rng.random()
    if roll < 0.4:
        return "@" + username
    if roll < 0.6:
        return username.upper()
    return username


def reports_generate(
    *, reports: int, seed: int
) -> Iterator[tuple[dict[str, Any], list[tuple[str, str, str]]]]:
    """Each report as an exchange-format dict, with its truth rows (mention, type, entity)."""
    rng = random.Random(seed)  # noqa: S311 - fictional test data, reproducible by seed
    world = _world(rng, reports)
    sources = [
        "Fernbridge Youth Service",
        "Oakhill Academy",
        "Fernbridge Homes",
        "Canal Street Hotel",
    ]
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for number in range(1, reports + 1):
        report_id = f"GEN-{seed}-{number:06d}"
        observed = start + dt.timedelta(minutes=rng.randrange(60 * 24 * 90))
        line: dict[str, Any] = {
            "id": report_id,
            "source": rng.choice(sources),
            "submitted_at": (observed + dt.timedelta(hours=rng.randint(1, 72))).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            ),
            "observed_at": observed.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        truth: list[tuple[str, str, str]] = []
        phrases: list[str] = []

        def add(
            list_name: str,
            prefix: str,
            entity: dict[str, Any],
            entry: dict[str, Any],
            kind: str,
            line: dict[str, Any] = line,
            truth: list[tuple[str, str, str]] = truth,
        ) -> str:
            ref = f"{prefix}{len(line.setdefault(list_name, [])) + 1}"
            line[list_name].append({"ref": ref, **entry})
            truth.append((f"{line['id']}/{ref}", kind, entity["id"]))
            return ref

        if rng.random() < 0.7:
            child = rng.choice(world.children)
            entry = {"name": child["name"]}
            if rng.random() < 0.5:
                entry["dob"] = child["dob"].isoformat()
            add("children", "c", child, entry, "child")
            phrases.append(f"{entry['name'].split()[0]} was seen")
        person_refs = []
        for person in rng.sample(world.persons, rng.randint(1, 2)):
            entry = _person_as_written(rng, person)
            person_refs.append(add("persons", "p", person, entry, "person"))
            phrases.append(f"with a man called {entry['name']}")
        if rng.random() < 0.7:
            vehicle = rng.choice(world.vehicles)
            entry = {"plate": _plate_as_written(rng, vehicle["plate"])}
            if rng.random() < 0.7:
                entry["make"] = vehicle["make"]
            if rng.random() < 0.7:
                entry["colour"] = vehicle["colour"]
            ref = add("vehicles", "v", vehicle, entry, "vehicle")
            phrases.append(f"in a {entry.get('colour', 'dark')} car, plate {entry['plate']}")
            line.setdefault("links", []).append(
                {"from": person_refs[0], "to": ref, "kind": rng.choice(CONTACT[:2])}
            )
        if rng.random() < 0.5:
            phone = rng.choice(world.phones)
            entry = {"number": _phone_as_written(rng, phone["national"])}
            add("phones", "t", phone, entry, "phone")
            phrases.append(f"his number is {entry['number']}")
        if rng.random() < 0.4:
            account = rng.choice(world.online)
            entry = {
                "platform": account["platform"],
                "username": _username_as_written(rng, account["username"]),
            }
            add("online", "u", account, entry, "online")
            phrases.append(f"on {entry['platform']} as {entry['username']}")
        if rng.random() < 0.6:
            place = rng.choice(world.locations)
            entry = {"name": place["name"], "address": "", "business": place["business"]}
            if rng.random() < 0.7:
                entry["postcode"] = (
                    place["postcode"]
                    if rng.random() < 0.5
                    else place["postcode"].replace(" ", "").lower()
                )
            add("locations", "l", place, entry, "location")
            phrases.append(f"near {place['name']}")
        text = ", ".join(phrases) + "."
        line["text"] = text[0].upper() + text[1:]
        yield line, truth


def generate_to(*, reports: int, seed: int, output: IO[str], truth_output: IO[str]) -> int:
    """Write the reports as JSON Lines and the truth as CSV; returns the number of mentions."""
    writer = csv.writer(truth_output, lineterminator="\n")
    writer.writerow(["mention_id", "entity_type", "entity_id"])
    mentions = 0
    for line, truth in reports_generate(reports=reports, seed=seed):
        output.write(json.dumps(line, ensure_ascii=False) + "\n")
        writer.writerows(truth)
        mentions += len(truth)
    return mentions
