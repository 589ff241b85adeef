"""Persons and children: names word by word (in either order), nicknames, street names, ages
and dates of birth."""

from __future__ import annotations

import datetime as dt
import functools

from csehub.intelligence.normalise import (
    given_name_variants,
    jaro_winkler,
    name_keys,
    name_skeleton,
)

from ...models import How, IndexedMention
from .base import (
    AGE_AGREES,
    AGES_CLASH,
    CONTEXT_BOOST,
    FUZZY_NAME_AT,
    NAMESAKES_AT,
    SUGGEST_AT,
    Evidence,
    Score,
)


@functools.lru_cache(maxsize=65536)
def _keys(name: str) -> frozenset[str]:
    return name_keys(name)


# The same pairs of words recur across candidates: a 2,000-report import over 40,000 compares
# about 75,000 pairs, each kept (tens of MiB at most).
@functools.lru_cache(maxsize=262144)
def _word_agreement(a: str, b: str, *, at: float) -> How | None:
    """How two words of a name agree: exact, nickname (one group), fuzzy (a slip), or not."""
    if a == b:
        return How.EXACT
    if _keys(a) & _keys(b):
        return How.NICKNAME
    # A slip in the word or in another spelling of it ("Joey" and "Josehp", through Joseph).
    if any(jaro_winkler(x, y) >= at for x in _spellings(a) for y in _spellings(b)):
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


def _full_names(a_words: list[str], b_words: list[str]) -> How | None:
    """How two full names agree, first word with first and last with last (the worse of the
    two), or None."""
    first = _word_agreement(a_words[0], b_words[0], at=FUZZY_NAME_AT)
    last = _word_agreement(a_words[-1], b_words[-1], at=FUZZY_NAME_AT)
    if first is None or last is None:
        return None
    order = [How.EXACT, How.NICKNAME, How.FUZZY_NAME]
    return max(first, last, key=order.index)


@functools.lru_cache(maxsize=65536)
def names_alike(a: str, b: str) -> bool:
    """Whether two full names are one name: first and last words the same or nicknames of each
    other, in either order ("Abi Kettworth", "KETTWORTH, Abigail"); a keying slip is not."""
    a_words, b_words = a.split(), b.split()
    if len(a_words) < 2 or len(b_words) < 2:
        return False
    for words in (a_words, [a_words[-1], *a_words[1:-1], a_words[0]]):
        if _full_names(words, b_words) in (How.EXACT, How.NICKNAME):
            return True
    return False


def _names_agree(new: IndexedMention, known: IndexedMention, score: Score) -> None:
    """Names compared word by word: first with first, last with last, or the other way round.

    Each pair of words is the same, the same allowing nicknames and spellings (Danny/Daniel,
    Hussain/Hussein), or one keying slip apart (Jaro-Winkler at FUZZY_NAME_AT or more). A name
    of one word is compared with the other's first word, and weighs less. A full name written
    family name first ("Gray Kai" for Kai Gray; "GRAY, Kai" is read in order when normalised)
    agrees as it would in order. Two names that can't be the same name take weight away, so
    that a shared street name alone does not link them.
    """
    a, b = new.name, known.name
    if not a or not b:
        return
    a_words, b_words = a.split(), b.split()
    if len(a_words) < 2 or len(b_words) < 2:
        first = _word_agreement(a_words[0], b_words[0], at=FUZZY_NAME_AT)
        if first is not None:
            detail = f"{a} ~ {b} (given name only)" if a != b else f"{a} (given name only)"
            score.add("name", first, detail, GIVEN_ONLY_WEIGHT[first])
        else:
            score.add("name", How.EXACT, f"{a} and {b} differ", NAMES_DIFFER)
        return
    how, swapped = _full_names(a_words, b_words), ""
    if how is None:
        a_words = [a_words[-1], *a_words[1:-1], a_words[0]]
        how, swapped = _full_names(a_words, b_words), " (in the other order)"
    if how is None:
        score.add("name", How.EXACT, f"{a} and {b} differ", NAMES_DIFFER)
        return
    if how == How.EXACT and (a != b or swapped):
        how = How.NICKNAME  # first and last the same, middle names differ (or the order)
    detail = a if a == b else f"{a} ~ {b}{swapped}"
    if how == How.FUZZY_NAME:
        ratio = (jaro_winkler(a_words[0], b_words[0]) + jaro_winkler(a_words[-1], b_words[-1])) / 2
        detail = f"{a} ~ {b}{swapped}: {round(ratio * 100)}% alike"
    score.add("name", how, detail, FULL_NAME_WEIGHT[how])
    score.full_name = how


def years_between(new: IndexedMention, known: IndexedMention) -> int | None:
    """Years between two age estimates, or None if either is not known."""
    if new.age_estimate is None or known.age_estimate is None:
        return None
    return abs(new.age_estimate - known.age_estimate)


def person(new: IndexedMention, known: IndexedMention, evidence: Evidence) -> Score:
    score = Score()
    _names_agree(new, known, score)
    if new.nickname and new.nickname == known.nickname:
        agreed = any(r.contribution > 0 for r in score.reasons)
        score.add("nickname", How.EXACT, new.nickname, 0.15 if agreed else 0.45)
    if not any(r.contribution > 0 for r in score.reasons):
        return score
    gap = years_between(new, known)
    if gap is not None:
        ages = f"{new.age_estimate} and {known.age_estimate}"
        if gap <= AGE_AGREES:
            score.add("age_estimate", How.AGE, ages, 0.15)
        elif gap > AGES_CLASH:
            score.add("age_estimate", How.AGE, ages, -0.35)
    # The same street name, not one made of the name itself ("Danny A" is what anyone called
    # Daniel Ashdown may be called), with full names alike and ages that do not clash: one man.
    if (
        score.full_name in (How.EXACT, How.NICKNAME)
        and new.nickname
        and new.nickname == known.nickname
        and not _made_of_name(new.nickname, new.name)
        and (gap is None or gap <= AGES_CLASH)
    ):
        score.resolved = True
    only_the_name = all(r.field == "name" for r in score.reasons if r.contribution > 0)
    if only_the_name and (evidence.ages_apart or evidence.namesakes >= NAMESAKES_AT):
        # A common name and nothing else: kept for a shared neighbour to lift, not asked about.
        score.weight = min(score.weight, SUGGEST_AT - CONTEXT_BOOST + 0.05)
    return score


def _made_of_name(nickname: str, name: str) -> bool:
    """Whether a street name is made of the person's own name: each word a word of the name, a
    nickname or spelling of one, the start of one ("Con" for Connor) or an initial."""
    words = name.split()
    return all(
        any(w.startswith(word) or _keys(word) & _keys(w) for w in words)
        for word in nickname.split()
    )


def one_field_out(a: dt.date, b: dt.date) -> bool:
    """Dates that differ in exactly one of day, month and year (a slip in one field)."""
    return sum((a.year != b.year, a.month != b.month, a.day != b.day)) == 1


def child(new: IndexedMention, known: IndexedMention, evidence: Evidence) -> Score:
    score = Score()
    if new.child_record_id and new.child_record_id == known.child_record_id:
        score.add("child_record", How.EXACT, "the same child's record", 0.97)
        score.resolved = True
        return score
    _names_agree(new, known, score)
    if not any(r.contribution > 0 for r in score.reasons):
        return score
    if not (new.dob and known.dob):
        # The same name (exactly, or by a nickname or in the other order: "Abi Kettworth" and
        # "KETTWORTH, Abigail"), and one date of birth among every known mention of a name
        # alike: the only child of that name known (a namesake with another date would make
        # it two).
        score.resolved = (
            score.full_name in (How.EXACT, How.NICKNAME)
            and evidence.child_dobs == 1
            and not (new.child_record_id and known.child_record_id)
        )
        return score
    if new.dob == known.dob:
        score.add("dob", How.DOB, new.dob.isoformat(), 0.25)
        score.resolved = bool(score.full_name)
    elif one_field_out(new.dob, known.dob):
        detail = f"{new.dob.isoformat()} and {known.dob.isoformat()} (one field out)"
        score.add("dob", How.DOB, detail, 0.1)
        score.resolved = score.full_name in (How.EXACT, How.NICKNAME)
    else:
        # A different date of birth all but rules the link out.
        score.add("dob", How.DOB, f"{new.dob.isoformat()} and {known.dob.isoformat()}", -0.5)
    if new.child_record_id and known.child_record_id:
        # Two records of the children app: whether they are one child is an analyst's call.
        score.resolved = False
    return score


def same_person_named(one: str, other: str) -> bool:
    """Whether two names may be one person's: given names alike, surnames' initials the same."""
    a, b = one.split(), other.split()
    if not a or not b or _word_agreement(a[0], b[0], at=FUZZY_NAME_AT) is None:
        return False
    return len(a) < 2 or len(b) < 2 or a[-1][0] == b[-1][0]
