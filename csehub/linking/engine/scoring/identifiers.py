"""Phones, online accounts and places."""

from __future__ import annotations

from csehub.intelligence.normalise import place_name_kinds, place_name_streets, place_name_words

from ...models import How, IndexedMention
from .base import CONTEXT_BOOST, SUGGEST_AT, Evidence, Score


def phone(new: IndexedMention, known: IndexedMention) -> Score:
    score = Score()
    if new.e164 and new.e164 == known.e164:
        score.add("e164", How.EXACT, new.e164, 0.97)
        score.resolved = True
    return score


def online(new: IndexedMention, known: IndexedMention, evidence: Evidence) -> Score:
    score = Score()
    if not new.username or new.username != known.username:
        return score
    if new.platform and new.platform == known.platform:
        score.add("username", How.EXACT, f"{new.username} on {new.platform}", 0.97)
        score.resolved = True
    elif not new.platform or not known.platform:
        score.add("username", How.EXACT, f"{new.username} (platform not known)", 0.8)
        # The only account with that handle: the platform left out changes nothing.
        score.resolved = evidence.platforms <= 1
    else:
        # Another platform's account with the same name: often the same person, but another
        # account; kept for a shared neighbour to lift, not suggested on its own.
        score.add("username", How.EXACT, f"{new.username} on different platforms", 0.4)
    return score


def _place_names_alike(a: str, b: str, *, contained: bool) -> bool:
    """Two place names with the same own words ("the shops on Canal St", "Canal Street shops"),
    or with `contained` one's within the other's, and no clash of kinds (a park, some shops)
    or of streets ("Mill Lane shops" and "Mill Road shops": one name without its street
    clashes with neither)."""
    mine, theirs = place_name_words(a), place_name_words(b)
    if not mine or not theirs:
        return False
    if mine != theirs and not (contained and (mine <= theirs or theirs <= mine)):
        return False
    streets_a, streets_b = place_name_streets(a), place_name_streets(b)
    if streets_a and streets_b and not streets_a & streets_b:
        return False
    kinds_a, kinds_b = place_name_kinds(a), place_name_kinds(b)
    return not (kinds_a and kinds_b and not kinds_a & kinds_b)


def place_names_alike(a: str, b: str) -> bool:
    """Two place names with the same own words and no clash of kinds."""
    return _place_names_alike(a, b, contained=False)


def location(new: IndexedMention, known: IndexedMention, evidence: Evidence) -> Score:
    score = Score()
    same_name = bool(new.name) and new.name == known.name
    both_named = bool(new.name) and bool(known.name)
    if new.postcode and new.postcode == known.postcode:
        if same_name or not both_named:
            score.add("postcode", How.EXACT, new.postcode, 0.95)
            if same_name:
                score.add("name", How.EXACT, new.name, 0.03)
            score.resolved = True
        elif _place_names_alike(new.name, known.name, contained=True):
            # "Castle Park" and "castle pk", "Northgate" and "Northgate takeaway".
            score.add("postcode", How.EXACT, new.postcode, 0.65)
            score.add("name", How.FUZZY_NAME, f"{new.name} ~ {known.name}", 0.15)
            score.resolved = True
        elif not place_name_words(new.name) & place_name_words(known.name):
            # A postcode covers several addresses: two names with nothing of their own in
            # common are likely two places in it; kept for a shared neighbour to lift.
            score.add("postcode", How.EXACT, f"{new.postcode} (names differ)", 0.45)
        else:
            score.add("postcode", How.EXACT, new.postcode, 0.65)
    elif _another_kind_there(new, known, evidence):
        # "the Garfield" at the takeaway's postcode, and "Garfield car park": two places.
        there = new.postcode or known.postcode
        score.add("name", How.FUZZY_NAME, f"{new.name} ~ {known.name} (not at {there})", 0.3)
    elif same_name:
        if new.postcode and known.postcode:
            score.add("name", How.EXACT, f"{new.name} (different postcodes)", 0.3)
        else:
            score.add("name", How.EXACT, new.name, 0.8)
            # The only place of that name in the partnership (one postcode among them all).
            score.resolved = _only_place(new, known, evidence)
    elif both_named and _place_names_alike(new.name, known.name, contained=False):
        if new.postcode and known.postcode:
            score.add(
                "name", How.FUZZY_NAME, f"{new.name} ~ {known.name} (different postcodes)", 0.25
            )
        elif _only_place(new, known, evidence):
            score.add("name", How.FUZZY_NAME, f"{new.name} ~ {known.name}", 0.7)
            score.resolved = True
        elif bool(place_name_kinds(new.name)) != bool(place_name_kinds(known.name)):
            # "Garfield" and "Garfield car park", where other places of the name may be meant:
            # four in five such pairs were two places on the quality benchmark's generator, so
            # it is asked about only when the two reports share a neighbour besides.
            detail = f"{new.name} ~ {known.name} (one does not say what kind of place)"
            score.add("name", How.FUZZY_NAME, detail, SUGGEST_AT - CONTEXT_BOOST + 0.05)
        else:
            score.add("name", How.FUZZY_NAME, f"{new.name} ~ {known.name}", 0.7)
    return score


def _another_kind_there(new: IndexedMention, known: IndexedMention, evidence: Evidence) -> bool:
    """Whether one of two names leaves out the kind of place but has a postcode, where the
    name is known only for other kinds than the other name says, which has no postcode."""
    for bare, other in ((new, known), (known, new)):
        if not bare.postcode or other.postcode or place_name_kinds(bare.name):
            continue
        theirs = place_name_kinds(other.name)
        there = {kind for postcode, kind in evidence.place_kinds_at if postcode == bare.postcode}
        if theirs and there and not theirs & there:
            return True
    return False


def _only_place(new: IndexedMention, known: IndexedMention, evidence: Evidence) -> bool:
    """Whether two names alike, one without a postcode, can only be one place: the places of
    that name have one postcode between them, and neither name leaves out what kind of place it
    is while the other says it ("the Garfield" may be the takeaway or the car park, whichever
    of them is known yet); two names that both leave it out are one place when the name is
    known for one kind of place only."""
    if evidence.place_postcodes > 1:
        return False
    # One name leaves out its street where places of that name are known on several streets
    # ("Mill shops", with "Mill Lane shops" and "Mill Road shops" known): either may be it.
    streetless = (not place_name_streets(new.name)) + (not place_name_streets(known.name))
    if streetless == 1 and evidence.place_streets > 1:
        return False
    kindless = (not place_name_kinds(new.name)) + (not place_name_kinds(known.name))
    return kindless == 0 or (kindless == 2 and evidence.place_kinds <= 1)
