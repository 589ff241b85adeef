"""Whether two names, as the model's columns hold them, may be one person's: word by word.

Stricter than Splink's "similar" level (Jaro-Winkler over the surname), which is only a weight:
a slip is one keying slip (a letter dropped, added, changed, or two swapped), so that family
names that share their first letters ("Eastford", "Eastfield", "Eastwood") are not taken for
slips of one another. Plain values only, so that the model loads without Django.
"""

from __future__ import annotations

import functools

from csehub.intelligence.normalise import given_name_variants, name_keys

# Words shorter than this are not read for slips: "Dan" and "Jan" are two names.
SLIP_AT = 4
# Nor are other spellings of a word, below this length ("Bill" for William is not a slip of
# "Bilal").
SPELLING_SLIP_AT = 5


def one_slip(a: str, b: str) -> bool:
    """Whether two different words are one keying slip apart (Damerau-Levenshtein 1)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            return True
        first, *rest = diff
        return rest == [first + 1] and a[first] == b[first + 1] and a[first + 1] == b[first]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


@functools.lru_cache(maxsize=65536)
def _keys(word: str) -> frozenset[str]:
    return name_keys(word)


@functools.lru_cache(maxsize=65536)
def _spellings(word: str) -> frozenset[str]:
    return frozenset(w for w in given_name_variants(word) if len(w) >= SPELLING_SLIP_AT)


@functools.lru_cache(maxsize=65536)
def words_alike(a: str, b: str) -> bool:
    """The same word, names of one group (nickname or spelling: "Danny", "Daniel"), or one slip
    apart, in the word or in another spelling of it."""
    if a == b or _keys(a) & _keys(b):
        return True
    if min(len(a), len(b)) >= SLIP_AT and one_slip(a, b):
        return True
    return any(one_slip(x, y) for x in _spellings(a) for y in _spellings(b))


def names_alike(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    """Whether two names (first word, last word or None for a given name alone) may be one
    person's: word by word, in either order ("Dunfield Alex" for Alex Dunfield); a given name
    alone is compared with either word of a full name."""
    (first_a, last_a), (first_b, last_b) = a, b
    if not first_a or not first_b:
        return True  # nothing to compare
    if last_a and last_b:
        return (words_alike(first_a, first_b) and words_alike(last_a, last_b)) or (
            words_alike(first_a, last_b) and words_alike(last_a, first_b)
        )
    if last_a:
        return words_alike(first_b, first_a) or words_alike(first_b, last_a)
    if last_b:
        return words_alike(first_a, first_b) or words_alike(first_a, last_b)
    return words_alike(first_a, first_b)


def street_names_clash(a: str | None, b: str | None) -> bool:
    """Two street names that cannot be one: both written, and neither the other nor a slip
    of it."""
    return bool(a and b and a != b and not one_slip(a, b))
