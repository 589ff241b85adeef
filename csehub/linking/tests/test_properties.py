"""Properties of the linking engine's plate patterns and name columns, for any input (Hypothesis).

The plate index may answer more rows than fit (each is checked again) but must never leave out
one that fits; the LIKE form of a pattern must agree with the normaliser's own matching; the
resolution model's fast name normalising must agree with the product's. The profile and the
strategies are the intelligence app's (csehub/intelligence/tests/strategies.py).
"""

from __future__ import annotations

import re

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from csehub.intelligence.normalise import (
    name_normalise,
    plate_is_partial,
    plate_matches,
    plate_normalise,
)
from csehub.intelligence.tests.strategies import (
    PROPERTIES,
    full_plates,
    name_text,
    plate_text,
    plates_with_partials,
)
from csehub.linking.engine.plate_search import (
    FOLD,
    like_fits,
    likes_compatible,
    plate_like_pattern,
)
from csehub.linking.engine.plates import FullPlates, PartialPlates
from csehub.linking.engine.resolution.model import (
    _name_columns,
    _normal,
    nickname_from_name,
)

LIKE_SHAPE = re.compile(r"[0-9AC-HJ-NP-RT-Y_%]*")  # no O, I, S, B or Z: folded to digits


def _fits(like: str, plate: str) -> bool:
    """Whether a full plate fits a LIKE pattern, the way the plate search decides it."""
    return bool(like) and like_fits(like, plate_normalise(plate).translate(FOLD))


@PROPERTIES
@given(st.tuples(full_plates(), plate_text) | plates_with_partials())
@example(("SO55 ZZB", "S0 5? *"))
@example(("YX12 ABC", "ß" * 40))
@example(("A" * 7, "A*A*A*A*A*A*A*A*A*A*A*A*A*A*A*A*A*B"))  # a regex backtracked for hours
def test_the_like_form_is_folded_idempotent_and_agrees_with_the_normaliser(drawn):
    plate, pattern = drawn
    like = plate_like_pattern(plate_normalise(pattern))
    assert LIKE_SHAPE.fullmatch(like)
    assert plate_like_pattern(like) == like
    assert ("_" in like or "%" in like) == plate_is_partial(plate_normalise(pattern))
    assert _fits(like, plate) == plate_matches(pattern, plate, confusable=True)


def _keys(count: int) -> np.ndarray:
    return np.arange(count, dtype=np.int64)


plates_and_patterns = st.tuples(
    st.lists(full_plates(), min_size=1, max_size=4),
    st.lists(plates_with_partials().map(lambda drawn: drawn[1]) | plate_text, max_size=4),
)


@PROPERTIES
@given(plates_and_patterns)
def test_the_plate_index_never_leaves_out_a_plate_that_fits(drawn):
    written_plates, written_patterns = drawn
    plates = [plate_normalise(p).translate(FOLD) for p in written_plates]
    likes = [plate_like_pattern(plate_normalise(p)) for p in written_patterns]
    likes = [like for like in likes if ("_" in like or "%" in like)] or ["%1%"]
    full = FullPlates()
    full.add(_keys(len(plates)), plates)
    partial = PartialPlates()
    partial.add(_keys(len(likes)), likes)
    for like in likes:
        fitting = {i for i, plate in enumerate(plates) if like_fits(like, plate)}
        assert fitting <= set(full.fitting(like))
    for plate in plates:
        fitted = {i for i, like in enumerate(likes) if like_fits(like, plate)}
        assert fitted <= set(partial.fitted_by(plate))


@PROPERTIES
@given(st.lists(plate_text, min_size=1, max_size=6))
@example(["YX1? ?BC", "Y?12 A?C", "YX1? ?BD", "?X12ABC"])
def test_the_partial_plate_index_never_leaves_out_a_compatible_partial(written):
    likes = [plate_like_pattern(plate_normalise(p)) for p in written]
    likes = [like for like in likes if "_" in like and "%" not in like] or ["YX1__8C"]
    partial = PartialPlates()
    partial.add(_keys(len(likes)), likes)
    for like in likes:
        compatible = {i for i, other in enumerate(likes) if likes_compatible(like, other)}
        assert like in [likes[i] for i in compatible]  # a pattern may be its own plate
        assert compatible <= set(partial.compatible_with(like))


@PROPERTIES
@given(name_text)
@example("Zoë O'Neil")
@example("A\x1cB")  # an ASCII separator: whitespace to Python, dropped by neither path
@example("GRAY, Kai")  # "SURNAME, Given": the fast path reads it in order too
def test_the_fast_name_normalising_agrees_with_the_products(text):
    normal = _normal(text)
    assert normal == name_normalise(text)
    columns = _name_columns(text)
    words = normal.split()
    if not words:
        assert columns == (None,) * len(columns)
        return
    name, full_name, first, surname, given_keys, key, given_key, surname_head = columns
    assert first == words[0] and given_key in given_keys
    if len(words) > 1:
        assert (name, full_name, surname) == (f"{words[0]} {words[-1]}",) * 2 + (words[-1],)
        assert key.endswith(f" {surname}") and surname_head == surname[:4]
    assert nickname_from_name(words[0], given_keys, name) is True
