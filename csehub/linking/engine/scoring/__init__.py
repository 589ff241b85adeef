"""How alike two mentions are, and what the engine makes of it: resolved, possible or apart.

Deterministic rules, each reason carrying what it added to (or took from) the weight so that an
analyst sees why. A pair is *resolved* (the engine joins the two) only where the evidence
makes it clear, by rules per type that look at the two mentions and at what the rest of the
partnership holds (`Evidence`: how many known plates fit a partial one, how many platforms a
handle is on, ...); a pair short of that but at SUGGEST_AT or more is *possible*, for an analyst
to judge; anything weaker is *apart* and not stored. The batch run (Splink) re-weighs persons.

- vehicles: the same full plate; the same once look-alike characters are folded when no other
  known plate folds to it; a partial plate and the only known full plate it fits (either one
  arriving first), or the same partial plate twice, when seen clearly enough and no make or
  colour is against it. Two different partials that fit each other are possible when make and
  colour agree; a partial that fits several plates is dropped unless they corroborate it.
- phones: the same number. Accounts: the same handle on the same platform, or with the
  platform missing on one side when the handle is known on only one platform.
- places: one postcode and names alike (or one unnamed); a name without a postcode when the
  places of that name have only one postcode between them.
- children: the same child's record; full names alike (either order, nickname or slip) with the
  same date of birth, or exact (or a nickname) with one field of the date of birth out; the
  same name exactly, with no date of birth on one side, when every known mention of that name
  that has one has the same date of birth (the only child of that name known).
- persons: full names alike (exact or nickname) with the same street name, not one made of the
  name; or, with the context of the two reports (`with_context`), full names alike and a phone,
  full plate or account in both that is theirs (no one else's name is seen with it), or the
  same name (exactly or by a nickname), ages within AGE_AGREES and a place in both, unless
  people of that name are known far apart in age. Ages more than AGES_CLASH apart rule a
  person out.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Protocol

from csehub.intelligence.normalise import place_name_key

from ...models import EntityType, How, IndexedMention
from . import identifiers, names, vehicles
from .base import (
    AGE_AGREES,
    AGES_CLASH,
    ALONE,
    CONSIDER_AT,
    CONTEXT_BOOST,
    FUZZY_NAME_AT,
    MAX_WEIGHT,
    NAMESAKES_AT,
    PLATE_CLEAR_AT,
    SUGGEST_AT,
    Evidence,
    Reason,
    Score,
)
from .identifiers import place_names_alike

__all__ = [
    "AGES_CLASH",
    "AGE_AGREES",
    "ALONE",
    "CONSIDER_AT",
    "CONTEXT_BOOST",
    "FUZZY_NAME_AT",
    "IDENTIFIERS",
    "MAX_WEIGHT",
    "NAMESAKES_AT",
    "PLACES",
    "PLATE_CLEAR_AT",
    "SUGGEST_AT",
    "ContextRow",
    "Evidence",
    "Reason",
    "Score",
    "context_keys",
    "place_names_alike",
    "score_pair",
    "with_context",
]


def score_pair(new: IndexedMention, known: IndexedMention, *, evidence: Evidence = ALONE) -> Score:
    """How alike two mentions of the same type are, and whether that alone resolves them."""
    kind = new.entity_type
    if kind == EntityType.VEHICLE:
        score = vehicles.vehicle(new, known, evidence)
    elif kind == EntityType.PERSON:
        score = names.person(new, known, evidence)
    elif kind == EntityType.CHILD:
        score = names.child(new, known, evidence)
    elif kind == EntityType.PHONE:
        score = identifiers.phone(new, known)
    elif kind == EntityType.ONLINE:
        score = identifiers.online(new, known, evidence)
    else:
        score = identifiers.location(new, known, evidence)
    return score.clamp()


# What a shared neighbour is, by the kind of identifier both reports or concerns hold.
IDENTIFIERS = frozenset({"phone", "online", "vehicle"})
PLACES = frozenset({"location", "place"})


def with_context(
    new: IndexedMention,
    known: IndexedMention,
    score: Score,
    shared: list[tuple[str, str]],
    evidence: Evidence = ALONE,
    names_with: dict[tuple[str, str], list[str]] | None = None,
) -> Score:
    """A pair whose two reports or concerns share neighbours (`shared`: (kind, value) of each,
    the pair itself left out): a boost, and for persons what resolves them.

    A person resolves when the full names agree (exact, nickname or slip) and the two reports
    hold the same phone, full plate or account that is theirs (`names_with`: the persons named
    where it is seen; it is theirs when at least half of them, the pair left out, may be this
    person: a phone turns up now and then beside someone else, but one seen mostly with people
    of other names is no one's in particular), or when the full names are the same (exactly or
    by a nickname), the ages within AGE_AGREES and both reports name the same place, unless
    people of that name are known far apart in age. Ages that clash rule it out.
    """
    if not shared or score.resolved:
        return score
    # An identifier says more than a place: named first when both are shared.
    kind, value = min(shared, key=lambda item: (item[0] not in IDENTIFIERS, item))
    score.add("context", How.CONTEXT, f"both mention the same {kind} {value}", CONTEXT_BOOST)
    score.clamp()
    if new.entity_type != EntityType.PERSON or not score.full_name:
        return score
    gap = names.years_between(new, known)
    if gap is not None and gap > AGES_CLASH:
        return score
    theirs = [
        key
        for key in shared
        if key[0] in IDENTIFIERS and _theirs(new, known, (names_with or {}).get(key, []))
    ]
    # The same full name (or a nickname of it) beside the same place, with ages that agree:
    # one person, unless people of that name are known far apart in age. (Without ages the
    # place does not carry it: namesakes pass the same busy places.)
    same_area = (
        bool({k for k, _ in shared} & PLACES)
        and score.full_name in (How.EXACT, How.NICKNAME)
        and gap is not None
        and gap <= AGE_AGREES
        and not evidence.ages_apart
    )
    score.resolved = bool(theirs) or same_area
    return score


def _theirs(new: IndexedMention, known: IndexedMention, named: list[str]) -> bool:
    """Whether at least half the persons named where an identifier is seen (`named`), the two
    of the pair left out, may be the person called `new.name`: the pair's own two reports say
    nothing of whose it is (two namesakes may share a phone by chance)."""
    others = list(named)
    for own in (new.name, known.name):
        if own in others:
            others.remove(own)
    alike = sum(names.same_person_named(new.name, other) for other in others)
    return 2 * alike >= len(others)


@functools.lru_cache(maxsize=65536)
def _place_key(name: str) -> str:
    return place_name_key(name)


class ContextRow(Protocol):
    """What context_keys reads of a neighbouring mention (a model row, or index.Neighbour)."""

    @property
    def entity_type(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def e164(self) -> str: ...
    @property
    def username(self) -> str: ...
    @property
    def plate(self) -> str: ...
    @property
    def is_partial(self) -> bool: ...
    @property
    def plate_confusable(self) -> str: ...
    @property
    def postcode(self) -> str: ...


def context_keys(rows: Sequence[ContextRow]) -> set[tuple[str, str]]:
    """The identifiers that make two reports neighbours: a phone, account, full plate or place
    (its postcode, and its name's key)."""
    keys: set[tuple[str, str]] = set()
    for row in rows:
        if row.e164:
            keys.add(("phone", row.e164))
        if row.username:
            keys.add(("online", row.username))
        if row.plate and not row.is_partial:
            keys.add(("vehicle", row.plate_confusable))
        if row.postcode:
            keys.add(("location", row.postcode))
        if row.entity_type == EntityType.LOCATION and row.name and (key := _place_key(row.name)):
            keys.add(("place", key))
    return keys
