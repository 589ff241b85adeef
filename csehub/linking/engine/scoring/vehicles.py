"""Vehicles: full plates, look-alike misreads, partial plates, make and colour."""

from __future__ import annotations

from csehub.intelligence.normalise import vehicle_colour_key, vehicle_make_key

from ...models import How, IndexedMention
from ..plate_search import likes_compatible
from .base import CONSIDER_AT, PLATE_CLEAR_AT, Evidence, Score


def _known_characters(plate: str) -> int:
    return sum(c.isalnum() for c in plate)


def _clear_enough(partial: IndexedMention) -> bool:
    """Seen well enough for one fit to settle it: PLATE_CLEAR_AT characters of a fixed length
    or at the end of the plate, one more otherwise."""
    plate = partial.plate
    end_pinned = plate.startswith("*") and plate.count("*") == 1
    wanted = PLATE_CLEAR_AT + (1 if "*" in plate and not end_pinned else 0)
    return _known_characters(plate) >= wanted


def _make_and_colour(new: IndexedMention, known: IndexedMention, score: Score) -> tuple[int, bool]:
    """(how many of make and colour agree, whether one is against): both written and
    different is against ("Nissan" and "Nissan Micra" agree, "VW" and "Volkswagen" too)."""
    agree, against = 0, False
    for name, key in (("make", vehicle_make_key), ("colour", vehicle_colour_key)):
        mine, theirs = getattr(new, name), getattr(known, name)
        a, b = key(mine), key(theirs)
        if not a or not b:
            continue
        if a == b:
            agree += 1
            score.add(name, How.EXACT, mine if mine == theirs else f"{mine} ~ {theirs}", 0.05)
        else:
            against = True
            score.add(name, How.EXACT, f"{mine} and {theirs} differ", -0.25)
    return agree, against


def vehicle(new: IndexedMention, known: IndexedMention, evidence: Evidence) -> Score:
    score = Score()
    if not new.plate or not known.plate:
        return score
    if not new.is_partial and not known.is_partial:
        if new.plate == known.plate:
            score.add("plate", How.EXACT, new.plate, 0.97)
            score.resolved = True
        elif new.plate_confusable == known.plate_confusable:
            score.add("plate", How.CONFUSABLE, f"{new.plate} ~ {known.plate}", 0.85)
            _agree, against = _make_and_colour(new, known, score)
            # A misread, unless another known plate reads the same once folded.
            score.resolved = evidence.same_fold == 1 and not against
        return score
    if new.is_partial and known.is_partial:
        return _partials(new, known, score)
    partial, full = (new, known) if new.is_partial else (known, new)
    seen = _known_characters(partial.plate)
    # Five or more characters of seven seen is strong; a start or end of two or three is weak.
    base = 0.8 if seen >= 5 else 0.65 if seen == 4 else 0.5
    if evidence.ambiguity > 1:
        base -= min(0.3, 0.1 * (evidence.ambiguity - 1))  # several known plates fit the pattern
    score.add("plate", How.PARTIAL_PLATE, f"{partial.plate} fits {full.plate}", base)
    agree, against = _make_and_colour(new, known, score)
    if evidence.ambiguity == 1:
        score.resolved = _clear_enough(partial) and not against
    elif evidence.ambiguity > 3 or not agree or against:
        # It fits several plates and nothing picks this one out: not worth an analyst's time.
        score.weight = min(score.weight, CONSIDER_AT - 0.01)
    return score


def _partials(new: IndexedMention, known: IndexedMention, score: Score) -> Score:
    """Two partial plates: the same pattern resolves (seen clearly enough, nothing against);
    two that may be the same plate are possible when make and colour both agree."""
    if new.plate == known.plate:
        clear = _clear_enough(new)
        score.add(
            "plate",
            How.PARTIAL_PLATE,
            f"the same partial plate {new.plate}",
            0.8 if clear else 0.45,
        )
        agree, against = _make_and_colour(new, known, score)
        score.resolved = clear and not against
        return score
    if not likes_compatible(new.plate_like, known.plate_like):
        return score
    score.add("plate", How.PARTIAL_PLATE, f"{new.plate} and {known.plate} may be one plate", 0.45)
    agree, against = _make_and_colour(new, known, score)
    if agree < 2 or against:
        score.weight = min(score.weight, CONSIDER_AT - 0.01)
    return score
