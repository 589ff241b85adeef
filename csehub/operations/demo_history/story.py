"""The cast and the places of the demo's year: fictional names, made-up places at real
postcodes, three men, and what each kind of concern says and records."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from csehub.accounts.models import Partnership, User
from csehub.children.models import CareStatus, Child, Ethnicity
from csehub.concerns.models import Concern
from csehub.deadlines.clocks import LONDON
from csehub.mace.models import (
    ActionKind,
)

SEED = 20_261_207
CHILDREN = 56
DAYS = 365

TEACHER = "practitioner@fernbridge.example"
DSL = "dsl@fernbridge.example"
SOCIAL_WORKER = "socialworker@fernbridge.example"
MISSING = "missing@fernbridge.example"
CHAIR = "mace@fernbridge.example"
RECORDERS = (TEACHER, TEACHER, DSL, SOCIAL_WORKER, MISSING)
SHARERS = (
    TEACHER,
    DSL,
    SOCIAL_WORKER,
    MISSING,
    "frontdoor@fernbridge.example",
    "referraldesk@fernbridge.example",
)

GIVEN_GIRLS = (
    "Amber", "Bethany", "Caitlin", "Darcy", "Ellie", "Faith", "Gemma", "Holly", "Imani",
    "Jasmine", "Keeley", "Lacey", "Maya", "Nadia", "Paige", "Rosie", "Shannon", "Tegan",
    "Zara", "Aaliyah", "Brooke", "Chantelle", "Demi", "Esme",
)  # fmt: skip
GIVEN_BOYS = (
    "Aaron", "Callum", "Dylan", "Ethan", "Harvey", "Kyle", "Liam", "Mason", "Reece", "Tyler",
    "Kacper", "Jamal", "Owen", "Rhys",
)  # fmt: skip
FAMILY = (
    "Ashcombe", "Birchall", "Coldwell", "Dunmore", "Fairley", "Garside", "Hebden", "Ingleby",
    "Jessop", "Kettlewell", "Lindholme", "Marfleet", "Northam", "Oldroyd", "Pickering",
    "Quarmby", "Rawcliffe", "Sowerby", "Thackray", "Ulverston", "Wadsworth", "Yeadon",
    "Haddow", "Nowicki", "Okonjo", "Rahimi", "Sandhu", "Taverner",
)  # fmt: skip

ETHNICITIES = (
    (Ethnicity.WHITE_BRITISH, 52),
    (Ethnicity.WHITE_OTHER, 7),
    (Ethnicity.MIXED_WHITE_BLACK_CARIBBEAN, 6),
    (Ethnicity.ASIAN_PAKISTANI, 6),
    (Ethnicity.BLACK_AFRICAN, 4),
    (Ethnicity.MIXED_WHITE_ASIAN, 3),
    (Ethnicity.NOT_RECORDED, 14),
)
CARE = (
    (CareStatus.LOOKED_AFTER, 18),
    (CareStatus.CHILD_IN_NEED, 22),
    (CareStatus.CHILD_PROTECTION_PLAN, 10),
    (CareStatus.CARE_LEAVER, 3),
    (CareStatus.NONE_KNOWN, 30),
    (CareStatus.NOT_RECORDED, 17),
)


@dataclass(frozen=True)
class Place:
    name: str
    postcode: str  # real postcodes (DN15, DN16); the names are made up


PLACES = (
    Place("Riverside retail park", "DN15 8QA"),
    Place("Station Approach taxi rank", "DN15 6BH"),
    Place("Old Mill chicken shop", "DN15 6NS"),
    Place("Parkside play area", "DN15 7AT"),
    Place("Kingsway budget hotel", "DN16 1XL"),
    Place("Canal View flats", "DN15 7XD"),
    Place("Westgate skate park", "DN15 8PP"),
    Place("Northfield snooker club", "DN15 7NQ"),
)


@dataclass(frozen=True)
class Suspect:
    nickname: str
    age: int
    plate: str
    make: str
    colour: str
    handle: str


SUSPECTS = (
    Suspect("Tanz", 23, "FN17 WQD", "Volkswagen", "black", "tanz.drip"),
    Suspect("Big Lee", 31, "FN63 KPL", "Ford", "white", "bigleefn"),
    Suspect("Rico", 19, "FN20 HZX", "BMW", "grey", "rico_4real"),
)

# Signs a concern records, by the pattern of what was seen (vocabulary code, item code).
PATTERNS = {
    "lifts": (
        ("warning_signs", "picked_up_in_cars"),
        ("warning_signs", "older_partner_or_friends"),
        ("warning_signs", "unexplained_gifts_or_belongings"),
        ("warning_signs", "returning_late"),
    ),
    "parties": (
        ("warning_signs", "parties_flats_or_hotels"),
        ("warning_signs", "paid_for_taxis_food_or_stays"),
        ("warning_signs", "returning_late"),
        ("warning_signs", "missing_from_home_or_care"),
    ),
    "online": (
        ("grooming_behaviours", "giving_gifts"),
        ("warning_signs", "older_partner_or_friends"),
        ("warning_signs", "unexplained_gifts_or_belongings"),
    ),
}
WHAT = {
    "lifts": "Seen getting into a {colour} car near {place} after school; the driver looked "
    "much older. She would not say who he was.",
    "parties": "Said she had been at a party in a flat near {place} until the early hours, and "
    "that someone paid for her taxi home.",
    "online": "Has a new phone and says an older friend she met online bought it. She meets "
    "him at {place}.",
}
VULNERABLE = (("vulnerability_factors", "family_breakdown"),)

ACTION_WORDS = {
    ActionKind.LICENSING_VISIT: "A licensing visit to {place} with the police",
    ActionKind.HOTEL_AWARENESS: "Awareness session for the staff of {place}",
    ActionKind.TAXI_AWARENESS: "Taxi driver awareness briefing at {place}",
    ActionKind.SCHOOL_SAFETY_PLAN: "A school safety plan for the child, with Oakhill Academy",
    ActionKind.ABDUCTION_NOTICE: "Serve a child abduction warning notice on the man known as "
    "{suspect}",
    ActionKind.OTHER: "Targeted patrols at {place} on Friday and Saturday evenings",
}


@dataclass
class HistoryChild:
    child: Child
    recorder: str
    pattern: str
    place: Place
    suspect: Suspect
    concerns: list[Concern]
    missing: bool  # goes missing over the year


def at_london(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def weighted_choice(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def days_back(rng: random.Random, newest: int = 3) -> int:
    """A day in the past year, more often recent: the partnership is finding more."""
    return max(newest, int(DAYS * (1 - rng.random() ** 0.75)))


def users_by_email(partnership: Partnership) -> dict[str, User]:
    return {
        u.email: u for u in User.objects.filter(partnership=partnership).select_related("agency")
    }
