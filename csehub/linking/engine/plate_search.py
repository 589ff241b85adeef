"""Plate searches: the per-position index (engine.plates), then each row it names checked.

The index says which rows *may* fit a pattern; each is read again by key, as plain values, and
checked here against the pattern, partnership, type and container, so that the database has the
last word (a row deleted or replaced since it was indexed never surfaces). Patterns are in the
candidate index's SQL LIKE form: confusable characters folded, `_` one unknown, `%` any run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from pyroaring import BitMap

from csehub.intelligence.normalise import (
    CONFUSABLE,
    plate_is_partial,
    plate_normalise,
    plate_pattern_fits,
)

from ..models import EntityType, IndexedMention
from . import plates

FOLD = str.maketrans(CONFUSABLE)
# Keys per `pk IN (...)` query when rows found in the index are read back.
KEYS_PER_QUERY = 5000


def plate_like_pattern(normalised: str) -> str:
    """ "YX1??BC" -> "YX1__8C": confusables folded, `?` as `_`, `*` as `%`."""
    return normalised.translate(FOLD).replace("?", "_").replace("*", "%")


def like_fits(like: str, folded: str) -> bool:
    """Whether a folded plate fits an SQL LIKE pattern (`_` one character, `%` any run).

    Matched without a regular expression, which would backtrack for ages over a stored
    pattern like "A%A%A%A%A%A%A%A%A%A%8" (see normalise.plate_pattern_fits).
    """
    return plate_pattern_fits(like.upper(), folded.upper(), one="_", any_run="%")


class FoundPlate(NamedTuple):
    """A vehicle mention a plate search found, as read again from the database."""

    pk: int
    mention_id: str
    partnership_id: int
    entity_type: str
    container: str
    is_partial: bool
    plate: str
    plate_confusable: str
    plate_like: str


def _checked(
    keys: BitMap, keep: Callable[[FoundPlate], bool], *, newest: int | None = None
) -> list[FoundPlate]:
    """The rows with these keys (only the `newest` few, if given), read again and checked: the
    database has the last word.

    Read by key alone (the planner might otherwise prefer a wider index), as plain values.
    """
    wanted = keys.to_array()
    if newest is not None:
        wanted = wanted[-newest:]
    found = []
    for start in range(0, len(wanted), KEYS_PER_QUERY):
        chunk = IndexedMention.objects.filter(
            pk__in=wanted[start : start + KEYS_PER_QUERY].tolist()
        )
        for values in chunk.values_list(*FoundPlate._fields):
            plate = FoundPlate(*values)
            if keep(plate):
                found.append(plate)
    return found


def fitting_full_plates(partnership_id: int, like: str, *, container: str = "") -> list[FoundPlate]:
    """Full plates a partial (LIKE form) fits, in other containers than `container`."""

    def keep(row: FoundPlate) -> bool:
        return (
            row.partnership_id == partnership_id
            and row.entity_type == EntityType.VEHICLE
            and not row.is_partial
            and row.container != container
            and like_fits(like, row.plate_confusable)
        )

    return _checked(plates.full_plates_fitting(partnership_id, like), keep)


def fitted_partial_plates(
    partnership_id: int, folded: str, *, container: str = ""
) -> list[FoundPlate]:
    """Partial plates a full plate (confusables folded) fits, in other containers."""

    def keep(row: FoundPlate) -> bool:
        return (
            row.partnership_id == partnership_id
            and row.entity_type == EntityType.VEHICLE
            and row.is_partial
            and row.container != container
            and like_fits(row.plate_like, folded)
        )

    return _checked(plates.partial_plates_fitted_by(partnership_id, folded), keep)


def likes_compatible(one: str, other: str) -> bool:
    """Whether two fixed-length partial plates (LIKE form, no `%`) may be the same plate: of
    one length, and at each position the same character or unknown in one of them."""
    return (
        len(one) == len(other)
        and plates.ANY not in one + other
        and all(a == b or plates.ONE in (a, b) for a, b in zip(one, other, strict=True))
    )


def compatible_partial_plates(
    partnership_id: int, like: str, *, container: str = "", newest: int = 25
) -> list[FoundPlate]:
    """Other fixed-length partial plates that may be the same plate as a fixed-length partial
    (LIKE form), the `newest` few that the index names, in other containers."""
    if plates.ANY in like:
        return []

    def keep(row: FoundPlate) -> bool:
        return (
            row.partnership_id == partnership_id
            and row.entity_type == EntityType.VEHICLE
            and row.is_partial
            and row.container != container
            and likes_compatible(like, row.plate_like)
        )

    found = plates.partial_plates_compatible_with(partnership_id, like)
    return _checked(found, keep, newest=newest)


def full_plates_fitting_each(
    partnership_id: int, likes: Sequence[str], *, most: int
) -> dict[str, set[str] | None]:
    """For each partial plate (LIKE form), the distinct full plates of the partnership that fit
    it (look-alikes folded: "YX12ABC" and "YXI2A8C" are one); None when the index names more
    than `most` rows for it (too many to read back: it fits a plate mentioned that often, or
    many plates).

    One pass over the index and one read-back for them all, however many partials.
    """
    bitmaps = plates.full_plates_fitting_each(partnership_id, likes)
    wanted = BitMap()
    for keys in bitmaps.values():
        if len(keys) <= most:
            wanted |= keys

    def keep(row: FoundPlate) -> bool:
        return (
            row.partnership_id == partnership_id
            and row.entity_type == EntityType.VEHICLE
            and not row.is_partial
        )

    rows = _checked(wanted, keep) if wanted else []
    found: dict[str, set[str] | None] = {}
    for like, keys in bitmaps.items():
        if len(keys) > most:
            found[like] = None
            continue
        found[like] = {
            row.plate_confusable
            for row in rows
            if row.pk in keys and like_fits(like, row.plate_confusable)
        }
    return found


def plates_fitting(*, partnership_id: int, pattern: str) -> list[FoundPlate]:
    """Known full plates that fit a plate as written ("YX1? ?BC", "ends with BC", "Y?1*C")."""
    like = plate_like_pattern(plate_normalise(pattern))
    if not any(c.isalnum() for c in like):
        return []
    return fitting_full_plates(partnership_id, like)


def partial_plates_fitted_by(*, partnership_id: int, plate: str) -> list[FoundPlate]:
    """Known partial plates that a full plate as written ("YX12 ABC") fits."""
    folded = plate_normalise(plate).translate(FOLD)
    if not folded or plate_is_partial(folded):
        return []
    return fitted_partial_plates(partnership_id, folded)
