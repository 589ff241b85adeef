"""A fictional world with ground truth, written about the way partners really write.

Independent of the engine it measures: its own tables of nicknames, transliterations, plate
misreadings and phone formats (it imports nothing from csehub), and the rates below were fixed
before the engine was measured, never tuned to it. Seeded and deterministic: the same seed and
size give the same reports, byte for byte.

Every person, plate, number, account and place is invented. Phone numbers are in Ofcom's drama
ranges (07700 900xxx, 01632 960xxx, 0113 496 0xxx, 020 7946 0xxx); the postcode area FB is not
in use; plates use memory tags but are drawn at random.

Each report is a line of the exchange format (shared/INTERCHANGE.md); the truth is a mapping
from mention id ("Q-000012/p1") to (entity type, true entity id).

Rates, fixed before measuring (the second set, 7 December 2026, was added for the export
benchmark, export_quality.py, and written down here before any run of it):

- persons: given name a nickname, short form or spelling in 30% (when it has one), one keying
  slip in 6%; family name another spelling in 30% (when it has one), a slip in 10%; surname not
  known in 15% (street name given in 60% of those), street name beside a full name in 25%;
  age estimate on 65% (noise sigma 2.5 years); one person in twelve has an earlier one's name.
- children: given name as for persons, a slip in 8% of family names; date of birth on 60%, and
  one field of it (day, month or year) one out in 3% of those.
- name order, persons named in full and children: "SURNAME, Given" (surname in capitals) in 8%,
  family and given swapped without a comma in 2%, otherwise "Given Family"; lower or upper case
  in 15% of person names not in the "SURNAME, Given" form.
- vehicles: each has one make and one colour. Plates misread (look-alikes) in 15%, partial in
  30%, lower case or without spaces in 27%. The make is written on 85% of mentions (20% of
  those in another form where it has one: "VW", "Merc"; 15% in lower or upper case), the
  colour on 80% ("gray" for grey in 20% of grey ones; capitalised in 30%).
- phones: Ofcom drama numbers written ten (mobile) or seven (landline) ways.
- accounts: username with "@", in another case or padded in 65%; platform left out in 8% (the
  field missing in half of those, empty in the other half), written another way ("Insta",
  "snap", "Tik Tok", ...) in 32%; one account in ten shares its handle with an account on
  another platform.
- places: abbreviations in 20%, a name variant in 50%, postcode on 70% (in any case and
  spacing); one place in ten shares a postcode with another.

A third set, identifiers that belong to people (7 December 2026, 03:45, written down here and
in docs/benchmarks.md before any run with it, and not to be tuned towards the engine): a person
keeps their phone, car and account from report to report, as people do.

- each person owns a phone of their own in 75% (one in ten of those a handset an earlier owner
  also uses: a group's shared phone), a vehicle in 40% (one in ten shared the same way: a
  family or group car) and an account in 60% (its handle made from their own name or street
  name, never shared); each person has two places they are seen at (drawn as often as places
  are mentioned);
- these come on top of the identifiers that belong to no one in the world (a child's number, a
  taxi, an account nobody is named with), which stay as before;
- a report's first person is its subject; the slots stay as often filled as before (a vehicle
  in 60% of reports, a phone in 50%, an account in 45%, a place in 50%), but each slot holds the
  subject's own phone in 70% when they own one, their vehicle in 60%, their account in 70%, and
  one of their two places in 50%; otherwise anything of that kind, drawn by how often it is
  mentioned (so a person's phone turns up now and then in a report about someone else);
- owned phones take at most half of the drama numbers: beyond about 20,000 reports fewer
  people own a listed number.

Large worlds use up the first tables of family names (beyond 3,000 reports) and place names
(from about 4,300 reports) and the mobile drama range (from about 8,000): family and place
names then come from larger invented tables as well (family names in proportion to the
people, so that namesakes stay as rare as at 3,000 reports; the added names have no other
spellings), and further numbers from Ofcom's other drama ranges (at most 15,300 numbers in
all), so that every size works. Below those sizes nothing changes.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

# ---------------------------------------------------------------------------------------------
# The ways a name is written: long form first, then what else people call or spell it.
# ---------------------------------------------------------------------------------------------

GIVEN = {
    "Daniel": ["Danny", "Dan"],
    "Mohammed": ["Muhammad", "Mohamed", "Mohammad", "Mo"],
    "Michael": ["Mike", "Mick", "Mikey"],
    "Jonathan": ["Jon", "Jonny"],
    "Thomas": ["Tom", "Tommy"],
    "Robert": ["Rob", "Bobby", "Robbie"],
    "William": ["Will", "Billy"],
    "Samuel": ["Sam", "Sammy"],
    "Joseph": ["Joe", "Joey"],
    "James": ["Jim", "Jimmy", "Jamie"],
    "Richard": ["Rich", "Ricky"],
    "Nicholas": ["Nick", "Nicky"],
    "Matthew": ["Matt", "Matty"],
    "Christopher": ["Chris"],
    "Anthony": ["Tony", "Ant"],
    "Edward": ["Eddie", "Ed"],
    "Benjamin": ["Ben", "Benny"],
    "Stephen": ["Steve", "Steven"],
    "Ahmed": ["Ahmad"],
    "Hussain": ["Hussein", "Husain"],
    "Yusuf": ["Yousef", "Youssef"],
    "Ibrahim": ["Ebrahim", "Ibraheem"],
    "Omar": ["Umar"],
    "Usman": ["Osman", "Uthman"],
    "Kieran": ["Kieron"],
    "Connor": ["Conor"],
    "Jamal": ["Jamaal"],
    "Liam": [],
    "Tyler": [],
    "Jordan": [],
    "Reece": [],
    "Kyle": [],
    "Bilal": [],
    "Imran": [],
    "Tariq": [],
    "Aleksander": ["Alex"],
}
CHILD_GIVEN = {
    "Kayleigh": ["Kayley", "Kaylee"],
    "Jessica": ["Jess", "Jessie"],
    "Rebecca": ["Becky", "Becca"],
    "Olivia": ["Liv"],
    "Amelia": ["Millie"],
    "Isabella": ["Bella", "Izzy"],
    "Bethany": ["Beth"],
    "Natalie": ["Nat"],
    "Abigail": ["Abi", "Abby"],
    "Sophia": ["Sophie"],
    "Charlotte": ["Lottie"],
    "Eleanor": ["Ellie"],
    "Madison": ["Maddie"],
    "Aaliyah": ["Aliyah"],
    "Callum": ["Cal"],
    "Jacob": ["Jake"],
    "Chloe": [],
    "Megan": [],
}
# Family names: some with transliterations, the rest written one way (typos aside).
FAMILY = {
    "Khan": [],
    "Hussain": ["Hussein"],
    "Ahmed": ["Ahmad"],
    "Mahmood": ["Mahmud", "Mehmood"],
    "Rehman": ["Rahman"],
    "Chaudhry": ["Choudhury", "Chowdhury"],
    "Iqbal": [],
    "Mohammed": ["Muhammad"],
    "Ashdown": [],
    "Brackley": [],
    "Corrigan": [],
    "Dunmore": [],
    "Eastwood": [],
    "Fenwick": [],
    "Garside": [],
    "Holloway": [],
    "Ingleby": [],
    "Jarrow": [],
    "Kettering": [],
    "Lowther": [],
    "Marchbank": [],
    "Northcott": [],
    "Oakridge": [],
    "Penhallow": [],
    "Quarrie": [],
    "Redfern": [],
    "Stanwick": [],
    "Thornbury": [],
    "Upshaw": [],
    "Varley": [],
    "Whitcombe": [],
    "Yardley": [],
    "Brennan": [],
    "Doherty": [],
    "Kowalski": ["Kovalski"],
    "Popescu": [],
}
# Many more family names, all invented: a real area has hundreds, so that two people share a
# full name only now and then (the generator adds such pairs on purpose below).
STEMS = [
    "Ash", "Brack", "Corr", "Dun", "East", "Fen", "Gar", "Hol", "Ing", "Jar", "Kett", "Low",
    "March", "North", "Oak", "Pen", "Quar", "Red", "Stan", "Thorn", "Up", "Var", "Whit", "Yard",
]  # fmt: skip
ENDINGS = ["ley", "wood", "field", "by", "ton", "well", "ford", "more", "croft", "worth"]
FAMILY |= {f"{stem}{ending}": [] for stem in STEMS for ending in ENDINGS}
STREET_CORES = [
    "D", "Smokey", "Bigz", "K-Dog", "Tiny", "Ghost", "Rico", "Ace", "Mags", "Jay-T", "Blade",
    "Skinny", "Lucky", "Snake", "Chunk", "Dizzy", "Spike", "Nitro", "Boss", "Shadow", "Tank",
    "Flex", "Moss", "Dotty", "Zee", "Sparks", "Ruckus", "Frosty", "Milo", "Tricky", "Dutch",
    "Kane", "Jinx", "Scooby", "Pudding", "Red", "Vegas", "Bullet", "Romeo", "Taz",
]  # fmt: skip
STREET_NAMES = [
    f"{before} {core}".strip() for before in ("", "Big", "Lil", "Young") for core in STREET_CORES
]
PLATFORMS = {
    "Snapchat": ["snapchat", "SNAPCHAT", "snap"],
    "Instagram": ["instagram", "Insta", "IG"],
    "TikTok": ["tiktok", "Tik Tok"],
    "WhatsApp": ["whatsapp"],
}
PLACE_KINDS = [
    ("{} takeaway", ["{}", "the {}", "{} Takeaway"]),
    ("{} car park", ["{} car park", "{} carpark", "the {} car park"]),
    ("{} Park", ["{} park", "{} Park", "the park on {}"]),
    ("{} shops", ["{} shops", "the shops on {}", "{} Shops"]),
    ("{} bus station", ["{} bus stn", "{} bus station", "{} Bus Station"]),
]
PLACE_WORDS = [
    "Golden Fry", "Canal Street", "Riverside", "Market Square", "Station Road", "Oakhill",
    "Fernbridge", "Mill Lane", "Kingsway", "Albion", "Priory", "Northgate", "Hollins",
    "Castle Hill", "Brookside", "Elm Grove", "Westfield", "Victoria", "Bridge Street",
]  # fmt: skip
PLACE_WORDS += [f"{stem}{ending}" for stem in STEMS[::2] for ending in ("ley", "field", "ton")]
PLACE_WORDS += [f"{stem}{ending} Road" for stem in STEMS[1::2] for ending in ("by", "well")]
ABBREVIATIONS = {"Street": "St", "Road": "Rd", "Lane": "Ln", "Square": "Sq"}
# Local memory tags (the first two letters of a plate) and ages; most local cars share a few.
LOCAL_TAGS = ["YX", "YY", "FB", "FN", "FL"]
AGES = ["15", "16", "17", "18", "19", "20", "21", "22", "23", "65", "66", "67", "68", "69", "70"]
PLATE_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXYZ"  # no I or Q in the random part
# What a camera or a hurried note mixes up, both ways.
LOOK_ALIKE = {"0": "O", "O": "0", "1": "I", "I": "1", "5": "S", "S": "5", "8": "B", "B": "8"}
LOOK_ALIKE |= {"2": "Z", "Z": "2"}
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# More invented place words, used only once a large world has used up the table above.
MORE_PLACE_WORDS = [
    f"{before}{stem}{ending}{after}"
    for before in ("", "Upper ", "Lower ", "North ", "South ")
    for stem in STEMS
    for ending in ENDINGS
    for after in ("", " Road", " Street", " Lane", " Avenue", " Close", " Way", " Grove")
]
# More invented family names, used only by worlds larger than 3,000 reports (see world_build).
MORE_FAMILY = [
    f"{first}{middle}{end}"
    for first in (
        "Ash", "Birch", "Black", "Brad", "Brook", "Cal", "Car", "Chad", "Clay", "Crom", "Dal",
        "Dray", "Elm", "Fair", "Farn", "Fox", "Glen", "Green", "Hal", "Hart", "Haw", "Heath",
        "Kirk", "Lang", "Lea", "Mar", "Mel", "Mill", "Nor", "Pem", "Rad", "Rock", "Roth", "Sal",
        "Shel", "Stock", "Tal", "Wake", "Wes", "Wim",
    )
    for middle in ("", "er", "ing", "en", "ow", "ar", "el", "es", "in", "on", "am", "is")
    for end in (
        "ley", "wood", "field", "by", "ton", "well", "ford", "more", "croft", "worth", "ham",
        "stone", "dale", "hurst", "bridge", "combe", "thorpe", "wick", "mere", "den",
    )
]  # fmt: skip
# Makes and colours: a vehicle has one of each; a witness may leave them out or write the make
# another way. Weights roughly as common as they are on British roads.
MAKES = {
    "Ford": [], "Vauxhall": [], "Volkswagen": ["VW"], "BMW": [], "Audi": [],
    "Mercedes-Benz": ["Mercedes", "Merc"], "Toyota": [], "Nissan": [], "Peugeot": [],
    "Kia": [], "Hyundai": [], "Skoda": [], "Seat": [], "Renault": [], "Honda": [],
    "Land Rover": [], "Mini": [], "Citroen": ["Citroën"], "Fiat": [], "Mazda": [],
}  # fmt: skip
MAKE_WEIGHTS = [9, 8, 8, 6, 6, 6, 5, 5, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 2, 2]
COLOURS = {
    "black": [], "white": [], "grey": ["gray"], "silver": [], "blue": [], "red": [],
    "green": [], "orange": [], "yellow": [], "brown": [],
}  # fmt: skip
COLOUR_WEIGHTS = [20, 18, 18, 14, 12, 9, 3, 2, 2, 2]
# Ofcom's drama ranges (set aside for fiction, never anyone's number). The first four carry the
# rates in _phone_number; the rest only take over when a large world has used one up.
PHONE_RANGES = ["07700 900", "01632 960", "0113 496 0", "020 7946 0"]
SPARE_PHONE_RANGES = [
    "0114 496 0", "0115 496 0", "0116 496 0", "0117 496 0", "0118 496 0", "0121 496 0",
    "0131 496 0", "0141 496 0", "0151 496 0", "0161 496 0", "0191 498 0", "028 9649 6",
    "029 2018 0",
]  # fmt: skip
NUMBERS_PER_RANGE = 1000


# ---------------------------------------------------------------------------------------------
# The world
# ---------------------------------------------------------------------------------------------


# Identifiers that belong to people (the third set of rates in the module's docstring).
OWNS_PHONE, OWNS_VEHICLE, OWNS_ACCOUNT = 0.75, 0.40, 0.60
SHARED_PHONE, SHARED_VEHICLE = 0.10, 0.10  # of owned ones: an earlier owner's
HAUNTS = 2
# How often a report's slot of each kind holds its subject's own (when they have one).
SUBJECT_PHONE, SUBJECT_VEHICLE, SUBJECT_ACCOUNT, SUBJECT_PLACE = 0.70, 0.60, 0.70, 0.50


@dataclass
class World:
    children: list[dict[str, Any]] = field(default_factory=list)
    persons: list[dict[str, Any]] = field(default_factory=list)
    vehicles: list[dict[str, Any]] = field(default_factory=list)
    phones: list[dict[str, Any]] = field(default_factory=list)
    online: list[dict[str, Any]] = field(default_factory=list)
    locations: list[dict[str, Any]] = field(default_factory=list)


def _popularity(rng: random.Random) -> int:
    """How often an entity is mentioned relative to others: most rarely, a few often."""
    return rng.choice([1, 1, 1, 1, 2, 2, 3, 4, 6])


def _plate(rng: random.Random) -> str:
    letters = lambda n: "".join(rng.choice(PLATE_LETTERS) for _ in range(n))  # noqa: E731
    roll = rng.random()
    if roll < 0.8:  # current format, most with a local memory tag
        tag = rng.choice(LOCAL_TAGS) if rng.random() < 0.6 else letters(2)
        return f"{tag}{rng.choice(AGES)} {letters(3)}"
    if roll < 0.9:  # prefix format, 1983-2001
        return f"{rng.choice('ABCDEFGHJKLMNPRSTVWXY')}{rng.randint(1, 999)} {letters(3)}"
    return f"{letters(3)} {rng.randint(1, 999)}{rng.choice('ABCDEFGHJKLMNPRSTVWXY')}"  # suffix


def _phone_number(rng: random.Random, used: dict[str, set[int]]) -> str:
    roll = rng.random()
    prefix = PHONE_RANGES[0 if roll < 0.75 else 1 if roll < 0.85 else 2 if roll < 0.93 else 3]
    if len(used.setdefault(prefix, set())) >= NUMBERS_PER_RANGE:
        spare = [p for p in SPARE_PHONE_RANGES if len(used.get(p, ())) < NUMBERS_PER_RANGE]
        prefix = rng.choice(spare)
    taken = used.setdefault(prefix, set())
    while True:
        x = rng.randrange(NUMBERS_PER_RANGE)
        if x not in taken:
            taken.add(x)
            return f"{prefix}{x:03d}"


def _vehicle(rng: random.Random, number: int, plates: set[str]) -> dict[str, Any]:
    plate = _plate(rng)
    while plate in plates:
        plate = _plate(rng)
    plates.add(plate)
    return {
        "id": f"V-{number:05d}",
        "plate": plate,
        "make": rng.choices(list(MAKES), weights=MAKE_WEIGHTS)[0],
        "colour": rng.choices(list(COLOURS), weights=COLOUR_WEIGHTS)[0],
        "weight": _popularity(rng),
    }


def _handle(rng: random.Random, person: dict[str, Any], handles: set[str]) -> str:
    """A handle made from a person's given name or street name, not yet taken."""
    handle = ""
    while not handle or handle.lower() in handles:  # two accounts by chance: not wanted
        handle = rng.choice(
            [
                f"{person['given'].lower()}_{rng.choice('dkmxz')}{rng.randint(1, 99)}",
                f"{person['street'].lower().replace('-', '').replace(' ', '')}"
                f"{rng.randint(1, 999)}",
                f"Real{person['given']}{rng.randint(1, 99)}",
            ]
        )
    handles.add(handle.lower())
    return handle


def _owned_add(
    rng: random.Random,
    world: World,
    *,
    plates: set[str],
    used: dict[str, set[int]],
    handles: set[str],
) -> None:
    """Each person's own phone, vehicle, account and places (the third set of rates)."""
    capacity = NUMBERS_PER_RANGE * (len(PHONE_RANGES) + len(SPARE_PHONE_RANGES))
    owned_phones: list[dict[str, Any]] = []
    owned_vehicles: list[dict[str, Any]] = []
    place_weights = list(accumulate(place["weight"] for place in world.locations))
    for person in world.persons:
        if rng.random() < OWNS_PHONE:
            if owned_phones and rng.random() < SHARED_PHONE:
                person["phone"] = rng.choice(owned_phones)
            elif sum(len(taken) for taken in used.values()) < capacity // 2:
                phone = {
                    "id": f"T-{len(world.phones):05d}",
                    "number": _phone_number(rng, used),
                    "weight": _popularity(rng),
                }
                world.phones.append(phone)
                owned_phones.append(phone)
                person["phone"] = phone
        if rng.random() < OWNS_VEHICLE:
            if owned_vehicles and rng.random() < SHARED_VEHICLE:
                person["vehicle"] = rng.choice(owned_vehicles)
            else:
                vehicle = _vehicle(rng, len(world.vehicles), plates)
                world.vehicles.append(vehicle)
                owned_vehicles.append(vehicle)
                person["vehicle"] = vehicle
        if rng.random() < OWNS_ACCOUNT:
            account = {
                "id": f"U-{len(world.online):05d}",
                "platform": rng.choice(list(PLATFORMS)),
                "username": _handle(rng, person, handles),
                "weight": _popularity(rng),
            }
            world.online.append(account)
            person["account"] = account
        person["places"] = _pick(rng, world.locations, place_weights, HAUNTS)


def world_build(rng: random.Random, size: int) -> World:
    """Entities for `size` reports: about one person per 3 reports, fewer of everything else."""
    world = World()
    given_names, family_names = list(GIVEN), list(FAMILY)
    persons = max(8, size // 3)
    # As many people per family name at any size as at 3,000 reports (about 3.6), so that
    # namesakes stay as rare in a large world: more invented names once the table runs out.
    wanted = persons * len(FAMILY) // 1000
    if wanted > len(FAMILY):
        family_names += [name for name in MORE_FAMILY if name not in FAMILY][: wanted - len(FAMILY)]
    for number in range(persons):
        world.persons.append(
            {
                "id": f"P-{number:05d}",
                "given": rng.choice(given_names),
                "family": rng.choice(family_names),
                "age": rng.randint(16, 48),
                "street": f"{rng.choice(STREET_NAMES)}",
                "weight": _popularity(rng),
            }
        )
    # Different people with the same name: one person in twelve has an earlier person's name.
    for index in range(12, len(world.persons), 12):
        twin = world.persons[rng.randrange(index)]
        world.persons[index]["given"] = twin["given"]
        world.persons[index]["family"] = twin["family"]
    for number in range(max(4, size // 10)):
        world.children.append(
            {
                "id": f"C-{number:05d}",
                "given": rng.choice(list(CHILD_GIVEN)),
                "family": rng.choice(family_names),
                "dob": dt.date(2009, 1, 1) + dt.timedelta(days=rng.randrange(365 * 7)),
                "weight": _popularity(rng),
            }
        )
    plates: set[str] = set()
    for number in range(max(5, size // 5)):
        world.vehicles.append(_vehicle(rng, number, plates))
    used: dict[str, set[int]] = {}
    capacity = NUMBERS_PER_RANGE * (len(PHONE_RANGES) + len(SPARE_PHONE_RANGES))
    for number in range(min(max(5, size // 6), capacity * 9 // 10)):
        world.phones.append(
            {
                "id": f"T-{number:05d}",
                "number": _phone_number(rng, used),
                "weight": _popularity(rng),
            }
        )
    handles: set[str] = set()
    for number in range(max(4, size // 6)):
        handle = ""
        while not handle or handle.lower() in handles:  # two accounts by chance: not wanted
            person = rng.choice(world.persons)
            handle = rng.choice(
                [
                    f"{person['given'].lower()}_{rng.choice('dkmxz')}{rng.randint(1, 99)}",
                    f"{person['street'].lower().replace('-', '')}{rng.randint(1, 999)}",
                    f"Real{person['given']}{rng.randint(1, 99)}",
                ]
            )
        handles.add(handle.lower())
        world.online.append(
            {
                "id": f"U-{number:05d}",
                "platform": rng.choice(list(PLATFORMS)),
                "username": handle,
                "weight": _popularity(rng),
            }
        )
    # The same handle on a second platform is a different account (one in ten).
    for index in range(10, len(world.online), 10):
        other = world.online[rng.randrange(index)]
        world.online[index]["username"] = other["username"]
        world.online[index]["platform"] = rng.choice(
            [p for p in PLATFORMS if p != other["platform"]]
        )
    postcodes: list[str] = []
    postcodes_taken: set[str] = set()
    places = max(4, size // 12)
    # The first table while it lasts (9 names in 10 taken at most, so that drawing a name not
    # yet taken stays quick), then the larger one beside it.
    words = PLACE_WORDS
    if places * 10 > len(PLACE_KINDS) * len(PLACE_WORDS) * 9:
        words = PLACE_WORDS + MORE_PLACE_WORDS
    names: set[str] = set()
    for number in range(places):
        kind, variants = rng.choice(PLACE_KINDS)
        word = rng.choice(words)
        while kind.format(word) in names:
            kind, variants = rng.choice(PLACE_KINDS)
            word = rng.choice(words)
        names.add(kind.format(word))
        if postcodes and rng.random() < 0.1:
            postcode = rng.choice(postcodes)  # two places in one postcode
        else:
            postcode = ""
            while not postcode or postcode in postcodes_taken:  # otherwise one place a postcode
                inward = (
                    f"{rng.randint(0, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
                )
                postcode = f"FB{rng.randint(1, 20)} {inward}"
            postcodes_taken.add(postcode)
        postcodes.append(postcode)
        world.locations.append(
            {
                "id": f"L-{number:05d}",
                "name": kind.format(word),
                "word": word,
                "variants": variants,
                "postcode": postcode,
                "weight": _popularity(rng),
            }
        )
    _owned_add(rng, world, plates=plates, used=used, handles=handles)
    return world


# ---------------------------------------------------------------------------------------------
# Writing an entity down: the rates here are the generator's, fixed before measuring.
# ---------------------------------------------------------------------------------------------


def _typo(rng: random.Random, word: str) -> str:
    """One keying slip: a letter dropped, doubled, swapped with the next, or replaced."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    if kind == 2:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("aeiourstln") + word[i + 1 :]


def _given_as_written(rng: random.Random, given: str, table: dict[str, list[str]]) -> str:
    roll = rng.random()
    others = table.get(given, [])
    if roll < 0.3:
        return rng.choice(others) if others else given  # a nickname, short form or spelling
    if roll < 0.36:
        return _typo(rng, given)  # 6% of given names, whether they have variants or not
    return given


def _family_as_written(rng: random.Random, family: str) -> str:
    roll = rng.random()
    others = FAMILY.get(family, [])
    if roll < 0.3:
        return rng.choice(others) if others else family
    if roll < 0.4:
        return _typo(rng, family)  # 10% of family names
    return family


def _case(rng: random.Random, text: str) -> str:
    roll = rng.random()
    if roll < 0.1:
        return text.lower()
    if roll < 0.15:
        return text.upper()
    return text


def _name_in_order(rng: random.Random, given: str, family: str, *, case: bool) -> str:
    """A full name in the order a form or a note puts it."""
    roll = rng.random()
    if roll < 0.08:
        return f"{family.upper()}, {given}"  # police style: "SURNAME, Given"
    name = f"{family} {given}" if roll < 0.10 else f"{given} {family}"  # 2% swapped, no comma
    return _case(rng, name) if case else name


def person_as_written(rng: random.Random, person: dict[str, Any]) -> dict[str, Any]:
    given = _given_as_written(rng, person["given"], GIVEN)
    entry: dict[str, Any] = {}
    if rng.random() < 0.85:
        family = _family_as_written(rng, person["family"])
        entry["name"] = _name_in_order(rng, given, family, case=True)
        if rng.random() < 0.25:
            entry["nickname"] = person["street"]
    else:  # the surname not known: usually the street name is
        entry["name"] = _case(rng, given)
        if rng.random() < 0.6:
            entry["nickname"] = person["street"]
    if rng.random() < 0.65:
        entry["age_estimate"] = max(14, person["age"] + round(rng.gauss(0, 2.5)))
    return entry


def _date_slip(rng: random.Random, day: dt.date) -> dt.date:
    """One field of a date one out: the day, the month or the year, up or down."""
    part = rng.choice(("day", "month", "year"))
    step = rng.choice((-1, 1))
    for delta in (step, -step):  # the other way when one way is not a date (31st, December)
        try:
            if part == "day":
                return day.replace(day=day.day + delta)
            if part == "month":
                return day.replace(month=day.month + delta)
            return day.replace(year=day.year + delta)
        except ValueError:
            continue
    return day.replace(day=day.day - 1 if day.day > 1 else 2)  # 29 February, a year out


def child_as_written(rng: random.Random, child: dict[str, Any]) -> dict[str, Any]:
    given = _given_as_written(rng, child["given"], CHILD_GIVEN)
    family = child["family"] if rng.random() < 0.92 else _typo(rng, child["family"])
    entry: dict[str, Any] = {"name": _name_in_order(rng, given, family, case=False)}
    if rng.random() < 0.6:
        dob = child["dob"] if rng.random() >= 0.03 else _date_slip(rng, child["dob"])
        entry["dob"] = dob.isoformat()
    return entry


def vehicle_as_written(rng: random.Random, vehicle: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {"plate": plate_as_written(rng, vehicle["plate"])}
    if rng.random() < 0.85:
        others = MAKES[vehicle["make"]]
        make = rng.choice(others) if others and rng.random() < 0.2 else vehicle["make"]
        entry["make"] = _case(rng, make)
    if rng.random() < 0.8:
        others = COLOURS[vehicle["colour"]]
        colour = rng.choice(others) if others and rng.random() < 0.2 else vehicle["colour"]
        entry["colour"] = colour.capitalize() if rng.random() < 0.3 else colour
    return entry


def plate_as_written(rng: random.Random, plate: str) -> str:
    """The plate as a witness, a camera or a form gives it."""
    chars = list(plate)
    seen = [i for i, c in enumerate(chars) if c != " "]
    roll = rng.random()
    if roll < 0.15:  # one or two look-alike characters misread
        swappable = [i for i in seen if chars[i] in LOOK_ALIKE]
        for i in rng.sample(swappable, min(len(swappable), rng.choice([1, 1, 2]))):
            chars[i] = LOOK_ALIKE[chars[i]]
        return "".join(chars)
    if roll < 0.33:  # one or two characters not seen
        for i in rng.sample(seen, rng.choice([1, 1, 2])):
            chars[i] = "?"
        return "".join(chars)
    if roll < 0.37:  # the end not seen
        return plate.replace(" ", "")[:5] + "*"
    if roll < 0.41:
        return "starts with " + plate.replace(" ", "")[: rng.choice([4, 5])]
    if roll < 0.45:
        return "ends with " + plate.replace(" ", "")[-4:]
    if roll < 0.65:
        return plate.replace(" ", "").lower()
    if roll < 0.72:
        return plate.lower()
    return plate


def phone_as_written(rng: random.Random, national: str) -> str:
    digits = national.replace(" ", "")
    rest = digits[1:]
    if digits.startswith("07"):
        forms = [
            national,
            digits,
            f"+44 {rest[:4]} {rest[4:]}",
            f"+44{rest}",
            f"0044 {rest[:4]} {rest[4:]}",
            f"{digits[:5]}-{digits[5:8]}-{digits[8:]}",
            f"({digits[:5]}) {digits[5:]}",
            f"+44 (0){rest[:4]} {rest[4:]}",
            f"{digits[:5]} {digits[5:8]} {digits[8:]}",
            f"{digits[:5]}.{digits[5:]}",
        ]
    else:
        area = national.split()[0]
        local = national[len(area) :].replace(" ", "")
        forms = [
            national,
            digits,
            f"({area}) {local}",
            f"+44 {area[1:]} {local}",
            f"{area}-{local}",
            f"0044{digits[1:]}",
            f"+44 (0){area[1:]} {local}",
        ]
    return rng.choice(forms)


def username_as_written(rng: random.Random, username: str) -> str:
    roll = rng.random()
    if roll < 0.35:
        return "@" + username
    if roll < 0.5:
        return username.lower()
    if roll < 0.6:
        return username.upper()
    if roll < 0.65:
        return f" @{username} "
    return username


def platform_as_written(rng: random.Random, platform: str) -> str | None:
    """The platform as written; None when the field is left out altogether."""
    roll = rng.random()
    if roll < 0.04:
        return None
    if roll < 0.08:
        return ""
    if roll < 0.4:
        return rng.choice(PLATFORMS[platform])
    return platform


def postcode_as_written(rng: random.Random, postcode: str) -> str:
    roll = rng.random()
    if roll < 0.25:
        return postcode.replace(" ", "").lower()
    if roll < 0.4:
        return postcode.replace(" ", "")
    if roll < 0.5:
        return postcode.lower()
    if roll < 0.55:
        return postcode.replace(" ", "  ")
    return postcode


def place_as_written(rng: random.Random, place: dict[str, Any]) -> dict[str, Any]:
    word = place["word"]
    if rng.random() < 0.2:
        for long, short in ABBREVIATIONS.items():
            word = word.replace(long, short)
    if rng.random() < 0.5:
        name = place["name"].replace(place["word"], word)
    else:
        name = rng.choice(place["variants"]).format(word)
    entry: dict[str, Any] = {"name": _case(rng, name)}
    if rng.random() < 0.7:
        entry["postcode"] = postcode_as_written(rng, place["postcode"])
    return entry


# ---------------------------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------------------------

Truth = dict[str, tuple[str, str]]  # mention id -> (entity type, true entity id)


def _pick(
    rng: random.Random, things: list[dict[str, Any]], cumulative: list[int], k: int = 1
) -> list[dict[str, Any]]:
    """k different things, each drawn by its weight (cumulative weights, summed once)."""
    chosen: list[dict[str, Any]] = []
    while len(chosen) < k:
        thing = rng.choices(things, cum_weights=cumulative)[0]
        if thing not in chosen:
            chosen.append(thing)
    return chosen


def reports_generate(*, reports: int, seed: int) -> Iterator[tuple[dict[str, Any], Truth]]:
    """Each report as an exchange-format dict, with the truth for its mentions."""
    rng = random.Random(seed)  # noqa: S311 - fictional test data, reproducible by seed
    world = world_build(rng, reports)
    weights = {
        name: list(accumulate(thing["weight"] for thing in getattr(world, name)))
        for name in ("children", "persons", "vehicles", "phones", "online", "locations")
    }
    start = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    for number in range(1, reports + 1):
        observed = start + dt.timedelta(minutes=rng.randrange(60 * 24 * 120))
        line: dict[str, Any] = {
            "id": f"Q-{number:06d}",
            "source": rng.choice(
                ["Fernbridge Youth Service", "Oakhill Academy", "Fernbridge Homes"]
            ),
            "observed_at": observed.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "text": "Generated for the linking quality benchmark.",
        }
        truth: Truth = {}

        def add(
            list_name: str,
            prefix: str,
            kind: str,
            entity: dict[str, Any],
            entry: dict[str, Any],
            line: dict[str, Any] = line,
            truth: Truth = truth,
        ) -> None:
            ref = f"{prefix}{len(line.setdefault(list_name, [])) + 1}"
            line[list_name].append({"ref": ref, **entry})
            truth[f"{line['id']}/{ref}"] = (kind, entity["id"])

        def slot(kind: str, own: dict[str, Any] | None, rate: float) -> dict[str, Any]:
            """The subject's own identifier of a kind (at `rate` when they have one), or else
            any of that kind, by how often each is mentioned."""
            if own is not None and rng.random() < rate:
                return own
            return _pick(rng, getattr(world, kind), weights[kind])[0]

        if rng.random() < 0.5:
            for child in _pick(rng, world.children, weights["children"]):
                add("children", "c", "child", child, child_as_written(rng, child))
        named = _pick(rng, world.persons, weights["persons"], rng.choice([1, 1, 2]))
        for person in named:
            add("persons", "p", "person", person, person_as_written(rng, person))
        subject = named[0]
        if rng.random() < 0.6:
            vehicle = slot("vehicles", subject.get("vehicle"), SUBJECT_VEHICLE)
            add("vehicles", "v", "vehicle", vehicle, vehicle_as_written(rng, vehicle))
        if rng.random() < 0.5:
            phone = slot("phones", subject.get("phone"), SUBJECT_PHONE)
            add("phones", "t", "phone", phone, {"number": phone_as_written(rng, phone["number"])})
        if rng.random() < 0.45:
            account = slot("online", subject.get("account"), SUBJECT_ACCOUNT)
            platform = platform_as_written(rng, account["platform"])
            entry = {} if platform is None else {"platform": platform}
            entry["username"] = username_as_written(rng, account["username"])
            add("online", "u", "online", account, entry)
        if rng.random() < 0.5:
            haunt = rng.choice(subject["places"]) if subject["places"] else None
            place = slot("locations", haunt, SUBJECT_PLACE)
            add("locations", "l", "location", place, place_as_written(rng, place))
        yield line, truth
