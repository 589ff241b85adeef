"""How alike two mentions are: a weight from 0 to 1 and the reasons for it.

Deterministic rules for now, each reason carrying what it added to (or took from) the weight so
that an analyst sees why. Only an exact identifier (the same phone number, the same username on
the same platform, the same full plate, the same postcode and place name) counts as enough for
the engine to assign a mention to an entity on its own; everything else is a suggestion.
The probabilistic model (Splink) replaces these weights in the batch run later.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field

from csehub.intelligence.normalise import name_keys

from ..models import EntityType, How, IndexedMention

SUGGEST_AT = 0.5  # stored and shown to analysts from here
CONSIDER_AT = 0.35  # kept long enough for a context boost to lift it
AUTO_ASSIGN_AT = 0.95  # only reached by exact identifiers
CONTEXT_BOOST = 0.15
FUZZY_NAME_AT = 0.85
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


def _names_agree(new: IndexedMention, known: IndexedMention, score: Score) -> None:
    """Full names: the same, the same allowing nicknames and spellings, or similar."""
    a, b = new.name, known.name
    if not a or not b:
        return
    a_words, b_words = a.split(), b.split()
    if len(a_words) < 2 or len(b_words) < 2:
        if a == b:
            score.add("name", How.EXACT, f"{a} (given name only)", 0.4)
        elif _keys(a) & _keys(b):
            score.add("name", How.NICKNAME, f"{a} ~ {b} (given name only)", 0.35)
        return
    if a == b:
        score.add("name", How.EXACT, a, 0.7)
    elif _keys(a) & _keys(b):
        score.add("name", How.NICKNAME, f"{a} ~ {b}", 0.65)
    else:
        ratio = difflib.SequenceMatcher(None, a, b).ratio()
        if ratio >= FUZZY_NAME_AT:
            score.add("name", How.FUZZY_NAME, f"{a} ~ {b}: {round(ratio * 100)}% alike", 0.55)


def _person(new: IndexedMention, known: IndexedMention) -> Score:
    score = Score()
    _names_agree(new, known, score)
    if new.nickname and new.nickname == known.nickname:
        score.add("nickname", How.EXACT, new.nickname, 0.15 if score.reasons else 0.45)
    if not score.reasons:
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
    if not score.reasons:
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
        score.add("username", How.EXACT, f"{new.username} on different platforms", 0.55)
    return score


def _location(new: IndexedMention, known: IndexedMention) -> Score:
    score = Score()
    same_name = bool(new.name) and new.name == known.name
    if new.postcode and new.postcode == known.postcode:
        if same_name or not new.name or not known.name:
            score.add("postcode", How.EXACT, new.postcode, 0.95)
            if same_name:
                score.add("name", How.EXACT, new.name, 0.03)
            score.exact_identifier = True
        else:
            score.add("postcode", How.EXACT, new.postcode, 0.65)
    elif same_name:
        if new.postcode and known.postcode:
            score.add("name", How.EXACT, f"{new.name} (different postcodes)", 0.3)
        else:
            score.add("name", How.EXACT, new.name, 0.8)
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
