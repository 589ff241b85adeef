"""How alike two mentions are: a weight from 0 to 1 and the reasons for it.

Deterministic rules for now, each reason carrying what it added to (or took from) the weight so
that an analyst sees why. Only an exact identifier (the same phone number, the same username on
the same platform, the same full plate, the same postcode and place name) counts as enough for
the engine to assign a mention to an entity on its own; everything else is a suggestion.
The probabilistic model (Splink) replaces these weights in the batch run later.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from csehub.intelligence.normalise import (
    given_name_variants,
    jaro_winkler,
    name_keys,
    name_skeleton,
    place_name_kinds,
    place_name_words,
)

from ..models import EntityType, How, IndexedMention

SUGGEST_AT = 0.5  # stored and shown to analysts from here
CONSIDER_AT = 0.35  # kept long enough for a context boost to lift it
AUTO_ASSIGN_AT = 0.95  # only reached by exact identifiers
CONTEXT_BOOST = 0.15
FUZZY_NAME_AT = 0.9  # Jaro-Winkler of two words of a name
MAX_WEIGHT = 0.99


@dataclass(frozen=True)
class Reason:
    field: str
    how: str
    detail: str
    contribution: float


@dataclass
class Score:
    weight: float = 0.0
    reasons: list[Reason] = field(default_factory=list)
    exact_identifier: bool = False

    def add(self, field_name: str, how: str, detail: str, contribution: float) -> None:
        self.weight += contribution
        self.reasons.append(Reason(field_name, how, detail[:200], round(contribution, 3)))

    def clamp(self) -> Score:
        self.weight = round(min(MAX_WEIGHT, max(0.0, self.weight)), 3)
        return self


def _known_characters(plate: str) -> int:
    return sum(c.isalnum() for c in plate)


def _vehicle(new: IndexedMention, known: IndexedMention, ambiguity: int) -> Score:
    score = Score()
    if not new.plate or not known.plate:
        return score
    if not new.is_partial and not known.is_partial:
        if new.plate == known.plate:
            score.add("plate", How.EXACT, new.plate, 0.97)
            score.exact_identifier = True
        elif new.plate_confusable == known.plate_confusable:
            score.add("plate", How.CONFUSABLE, f"{new.plate} ~ {known.plate}", 0.85)
        return score
    if new.is_partial and known.is_partial:
        return score  # two partial plates say too little about each other
    partial, full = (new, known) if new.is_partial else (known, new)
    seen = _known_characters(partial.plate)
    # Five or more characters of seven seen is strong; a start or end of two or three is weak.
    base = 0.8 if seen >= 5 else 0.65 if seen == 4 else 0.5
    if ambiguity > 1:
        base -= min(0.3, 0.1 * (ambiguity - 1))  # several known plates fit the pattern
    score.add("plate", How.PARTIAL_PLATE, f"{partial.plate} fits {full.plate}", base)
    return score


@functools.lru_cache(maxsize=65536)
def _keys(name: str) -> frozenset[str]:
    return name_keys(name)


@functools.lru_cache(maxsize=65536)  # the same pairs of words recur across candidates
def _word_agreement(a: str, b: str, *, at: float) -> How | None:
    """How two words of a name agree: exact, nickname (one group), fuzzy (a slip), or not."""
    if a == b:
        return How.EXACT
    if _keys(a) & _keys(b):
        return How.NICKNAME
    # A slip in the word or in another spelling of it ("Joey" and "Josehp", through Joseph).
    if max(jaro_winkler(x, y) for x in _spellings(a) for y in _spellings(b)) >= at:
        return How.FUZZY_NAME
    # Slips in vowels and doubled letters ("Lowwel" and "Lowweell") leave the consonants alike.
    if min(len(a), len(b)) >= 4 and name_skeleton(a) == name_skeleton(b):
        return How.FUZZY_NAME
    return None


@functools.lru_cache(maxsize=65536)
def _spellings(word: str) -> frozenset[str]:
    return frozenset(given_name_variants(word))


# What two full names weigh by how their first and last words agree (worst of the two).
FULL_NAME_WEIGHT = {How.EXACT: 0.7, How.NICKNAME: 0.65, How.FUZZY_NAME: 0.55}
GIVEN_ONLY_WEIGHT = {How.EXACT: 0.4, How.NICKNAME: 0.35, How.FUZZY_NAME: 0.3}
NAMES_DIFFER = -0.3  # both names written and they cannot be the same name


def _names_agree(new: IndexedMention, known: IndexedMention, score: Score) -> None:
    """Names compared word by word: first with first, last with last.

    Each pair of words is the same, the same allowing nicknames and spellings (Danny/Daniel,
    Hussain/Hussein), or one keying slip apart (Jaro-Winkler at FUZZY_NAME_AT or more). A name
    of one word is compared with the other's first word, and weighs less. Two names that can't
    be the same name take weight away, so that a shared street name alone does not link them.
    """
    a, b = new.name, known.name
    if not a or not b:
        return
    a_words, b_words = a.split(), b.split()
    first = _word_agreement(a_words[0], b_words[0], at=FUZZY_NAME_AT)
    if len(a_words) < 2 or len(b_words) < 2:
        if first is not None:
            detail = f"{a} ~ {b} (given name only)" if a != b else f"{a} (given name only)"
            score.add("name", first, detail, GIVEN_ONLY_WEIGHT[first])
        else:
            score.add("name", How.EXACT, f"{a} and {b} differ", NAMES_DIFFER)
        return
    last = _word_agreement(a_words[-1], b_words[-1], at=FUZZY_NAME_AT)
    if first is None or last is None:
        score.add("name", How.EXACT, f"{a} and {b} differ", NAMES_DIFFER)
        return
    order = [How.EXACT, How.NICKNAME, How.FUZZY_NAME]
    how = max(first, last, key=order.index)
    if how == How.EXACT and a != b:
        how = How.NICKNAME  # first and last the same, middle names differ
    detail = a if a == b else f"{a} ~ {b}"
    if how == How.FUZZY_NAME:
        ratio = (jaro_winkler(a_words[0], b_words[0]) + jaro_winkler(a_words[-1], b_words[-1])) / 2
        detail = f"{a} ~ {b}: {round(ratio * 100)}% alike"
    score.add("name", how, detail, FULL_NAME_WEIGHT[how])


def _person(new: IndexedMention, known: IndexedMention) -> Score:
    score = Score()
    _names_agree(new, known, score)
    if new.nickname and new.nickname == known.nickname:
        agreed = any(r.contribution > 0 for r in score.reasons)
        score.add("nickname", How.EXACT, new.nickname, 0.15 if agreed else 0.45)
    if not any(r.contribution > 0 for r in score.reasons):
        return score
    if new.age_estimate is not None and known.age_estimate is not None:
        gap = abs(new.age_estimate - known.age_estimate)
        if gap <= 4:
            score.add("age_estimate", How.AGE, f"{new.age_estimate} and {known.age_estimate}", 0.15)
        elif gap > 8:
            score.add(
                "age_estimate", How.AGE, f"{new.age_estimate} and {known.age_estimate}", -0.35
            )
    return score


def _child(new: IndexedMention, known: IndexedMention) -> Score:
    score = Score()
    if new.child_record_id and new.child_record_id == known.child_record_id:
        score.add("child_record", How.EXACT, "the same child's record", 0.97)
        return score
    _names_agree(new, known, score)
    if not any(r.contribution > 0 for r in score.reasons):
        return score
    if new.dob and known.dob:
        if new.dob == known.dob:
            score.add("dob", How.DOB, new.dob.isoformat(), 0.25)
        else:
            # A different date of birth all but rules the link out.
            score.add("dob", How.DOB, f"{new.dob.isoformat()} and {known.dob.isoformat()}", -0.5)
    return score


def _phone(new: IndexedMention, known: IndexedMention) -> Score:
    score = Score()
    if new.e164 and new.e164 == known.e164:
        score.add("e164", How.EXACT, new.e164, 0.97)
        score.exact_identifier = True
    return score


def _online(new: IndexedMention, known: IndexedMention) -> Score:
    score = Score()
    if not new.username or new.username != known.username:
        return score
    if new.platform and new.platform == known.platform:
        score.add("username", How.EXACT, f"{new.username} on {new.platform}", 0.97)
        score.exact_identifier = True
    elif not new.platform or not known.platform:
        score.add("username", How.EXACT, f"{new.username} (platform not known)", 0.8)
    else:
        # Another platform's account with the same name: often the same person, but another
        # account; kept for a shared neighbour to lift, not suggested on its own.
        score.add("username", How.EXACT, f"{new.username} on different platforms", 0.4)
    return score


def _place_names_alike(a: str, b: str, *, contained: bool) -> bool:
    """Two place names with the same own words ("the shops on Canal St", "Canal Street shops"),
    or with `contained` one's within the other's, and no clash of kinds (a park, some shops)."""
    mine, theirs = place_name_words(a), place_name_words(b)
    if not mine or not theirs:
        return False
    if mine != theirs and not (contained and (mine <= theirs or theirs <= mine)):
        return False
    kinds_a, kinds_b = place_name_kinds(a), place_name_kinds(b)
    return not (kinds_a and kinds_b and not kinds_a & kinds_b)


def _location(new: IndexedMention, known: IndexedMention) -> Score:
    score = Score()
    same_name = bool(new.name) and new.name == known.name
    both_named = bool(new.name) and bool(known.name)
    if new.postcode and new.postcode == known.postcode:
        if same_name or not both_named:
            score.add("postcode", How.EXACT, new.postcode, 0.95)
            if same_name:
                score.add("name", How.EXACT, new.name, 0.03)
            score.exact_identifier = True
        elif _place_names_alike(new.name, known.name, contained=True):
            # "Northgate" and "Northgate takeaway": one name within the other.
            score.add("postcode", How.EXACT, new.postcode, 0.65)
            score.add("name", How.FUZZY_NAME, f"{new.name} ~ {known.name}", 0.15)
        elif not place_name_words(new.name) & place_name_words(known.name):
            # A postcode covers several addresses: two names with nothing of their own in
            # common are likely two places in it; kept for a shared neighbour to lift.
            score.add("postcode", How.EXACT, f"{new.postcode} (names differ)", 0.45)
        else:
            score.add("postcode", How.EXACT, new.postcode, 0.65)
    elif same_name:
        if new.postcode and known.postcode:
            score.add("name", How.EXACT, f"{new.name} (different postcodes)", 0.3)
        else:
            score.add("name", How.EXACT, new.name, 0.8)
    elif both_named and _place_names_alike(new.name, known.name, contained=False):
        if new.postcode and known.postcode:
            score.add(
                "name", How.FUZZY_NAME, f"{new.name} ~ {known.name} (different postcodes)", 0.25
            )
        else:
            score.add("name", How.FUZZY_NAME, f"{new.name} ~ {known.name}", 0.7)
    return score


def score_pair(new: IndexedMention, known: IndexedMention, *, ambiguity: int = 1) -> Score:
    """How alike two mentions of the same type are."""
    kind = new.entity_type
    if kind == EntityType.VEHICLE:
        score = _vehicle(new, known, ambiguity)
    elif kind == EntityType.PERSON:
        score = _person(new, known)
    elif kind == EntityType.CHILD:
        score = _child(new, known)
    elif kind == EntityType.PHONE:
        score = _phone(new, known)
    elif kind == EntityType.ONLINE:
        score = _online(new, known)
    else:
        score = _location(new, known)
    return score.clamp()


def context_keys(rows: list[IndexedMention]) -> set[tuple[str, str]]:
    """The identifiers that make two reports neighbours: a phone, account, full plate or place."""
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
    return keys
