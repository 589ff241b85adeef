"""The outcome of comparing two mentions (Score), what the partnership says about the pair
(Evidence), and the thresholds the rules share."""

from __future__ import annotations

from dataclasses import dataclass, field

SUGGEST_AT = 0.5  # a possible pair, stored and shown to analysts from here
CONSIDER_AT = 0.35  # kept long enough for a context boost to lift it
CONTEXT_BOOST = 0.15
FUZZY_NAME_AT = 0.9  # Jaro-Winkler of two words of a name
MAX_WEIGHT = 0.99
# A partial plate resolves only when this many characters are seen, and one more when it is
# open at the end ("YX12A*"): the start of a plate (a local memory tag and an age) is shared by
# many plates not yet known, its end (the random letters) by few ("ends with 5ABC" is clear).
PLATE_CLEAR_AT = 4
AGE_AGREES = 4  # years between two age estimates that agree
AGES_CLASH = 8  # years between two that rule a pair out
# A name shared by this many known mentions is too common for the name alone to be asked about.
NAMESAKES_AT = 3


@dataclass(frozen=True)
class Reason:
    field: str
    how: str
    detail: str
    contribution: float


@dataclass(frozen=True)
class Evidence:
    """What the rest of the partnership says about a pair, beyond its two mentions (gathered
    by the arrival, a look-up per arriving mention at most). The defaults are a pair alone."""

    # Vehicles: distinct known full plates that fit the pair's partial plate (look-alikes
    # folded, so a plate and its misreads are one).
    ambiguity: int = 1
    # Vehicles: how many vehicles the known plates that fold to the same form may be (each
    # entity one, each plate in none one).
    same_fold: int = 1
    # Accounts: the platforms the handle is known on (the arriving one's included).
    platforms: int = 1
    # Places: the postcodes the places of that name have (the arriving one's included), and
    # the kinds of place it is the name of ("Garfield takeaway", "Garfield car park": 2; a name
    # written without its kind, "the Garfield", takes the kind written at its postcode).
    place_postcodes: int = 1
    place_kinds: int = 1
    # Places: (postcode, kind) of each place of that name known with its kind ("FB6 2FH",
    # "takeaway"): "the Garfield" at the takeaway's postcode is the takeaway.
    place_kinds_at: frozenset[tuple[str, str]] = frozenset()
    # Places: the streets a place of that name and kind is known on ("Mill Lane shops", "Mill
    # Road shops": 2), so that "Mill shops" is not taken for one of them.
    place_streets: int = 1
    # Persons: known mentions of the arriving one's exact name, and whether their ages are
    # more than AGES_CLASH years apart (a common name, carried by several people).
    namesakes: int = 0
    ages_apart: bool = False
    # Children: the distinct dates of birth among the known mentions of the arriving one's
    # exact name and its own (2 when there may be more mentions of it than were seen).
    child_dobs: int = 0


ALONE = Evidence()


@dataclass
class Score:
    weight: float = 0.0
    reasons: list[Reason] = field(default_factory=list)
    # The evidence makes it clear: the engine joins the two (an analyst can undo it).
    resolved: bool = False
    # Persons and children: how two full names agree (exact, nickname, fuzzy), "" if not.
    full_name: str = ""

    def add(self, field_name: str, how: str, detail: str, contribution: float) -> None:
        self.weight += contribution
        self.reasons.append(Reason(field_name, how, detail[:200], round(contribution, 3)))

    def clamp(self) -> Score:
        self.weight = round(min(MAX_WEIGHT, max(0.0, self.weight)), 3)
        return self

    @property
    def possible(self) -> bool:
        return not self.resolved and self.weight >= SUGGEST_AT
