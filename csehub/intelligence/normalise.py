"""Normal forms of what people write about vehicles, phones, usernames, postcodes and names.

Pure functions, no database: the same value written two ways ("yx12 abc", "YX12ABC") must give
the same key, so that mentions from different agencies can be compared. The value as written is
always kept beside its normal form; these functions never replace it.

The children app's duplicate-child warning uses the name functions here too, so that there is
one nickname table (data/name_variants.yaml) for the whole product.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from pathlib import Path

import phonenumbers

from csehub.datafiles import yaml_load_strict

NAME_VARIANTS_FILE = Path(__file__).resolve().parent / "data" / "name_variants.yaml"

# ---------------------------------------------------------------------------------------------
# Registration plates
# ---------------------------------------------------------------------------------------------

ONE_UNKNOWN = "?"  # one character not seen
ANY_RUN = "*"  # any number of characters not seen (none included)

# Characters that a camera, a tired eye or a hurried note mix up. Each pair maps to the digit so
# that "YX12 ABC" and "YXI2 A8C" share one key.
CONFUSABLE = {"O": "0", "I": "1", "S": "5", "B": "8", "Z": "2"}
_CONFUSABLE_KEY = str.maketrans(CONFUSABLE)
_CONFUSABLE_PAIRS = {**CONFUSABLE, **{digit: letter for letter, digit in CONFUSABLE.items()}}
# Variants are all combinations of swapped characters; a plate has at most 7 positions, so 2**7.
MAX_VARIANTS = 128

_STARTS = re.compile(r"^(?:it\s+)?(?:starts?|starting|begins?|beginning)\s+(?:with\s+)?(.+)$")
_ENDS = re.compile(r"^(?:it\s+)?(?:ends?|ending)\s+(?:with|in)\s+(.+)$")
_PARTIAL = re.compile(
    r"^(?:partial|part)(?:\s+(?:of\s+(?:a|the)\s+)?(?:plate|reg|registration))?\s*:?\s+(.+)$"
)


def _plate_characters(text: str) -> str:
    kept = "".join(c for c in text.upper().replace("_", ONE_UNKNOWN) if c.isalnum() or c in "?*")
    kept = "".join(c for c in kept if c.isascii())
    return re.sub(r"\*+", ANY_RUN, kept)


def plate_normalise(text: str) -> str:
    """A plate or plate pattern as compared: upper case, no spaces.

    "yx12 abc" -> "YX12ABC"; "YX1? ?BC" -> "YX1??BC"; "starts with YX" -> "YX*";
    "ends with BC" -> "*BC"; "partial plate YX1" -> "*YX1*" (the position is not known).
    Empty when nothing identifying is left (only unknowns, or nothing at all).
    """
    words = " ".join((text or "").lower().split())
    prefix = suffix = ""
    for pattern, before, after in (
        (_STARTS, "", ANY_RUN),
        (_ENDS, ANY_RUN, ""),
        (_PARTIAL, ANY_RUN, ANY_RUN),
    ):
        match = pattern.match(words)
        if match:
            words, prefix, suffix = match[1], before, after
            break
    core = _plate_characters(words)
    if not any(c.isalnum() for c in core):
        return ""
    return re.sub(r"\*+", ANY_RUN, prefix + core + suffix)


def plate_is_partial(normalised: str) -> bool:
    """True when the plate has characters not seen (`?`) or an open end (`*`)."""
    return ONE_UNKNOWN in normalised or ANY_RUN in normalised


def plate_confusable_key(plate: str) -> str:
    """The plate with each confusable letter replaced by its digit: "YXI2 ABC" -> "YX12A8C"."""
    return plate_normalise(plate).translate(_CONFUSABLE_KEY)


def plate_confusable_variants(plate: str) -> set[str]:
    """Every way of reading the plate when confusable characters may have been swapped."""
    normalised = plate_normalise(plate)
    choices = [(c, _CONFUSABLE_PAIRS[c]) if c in _CONFUSABLE_PAIRS else (c,) for c in normalised]
    variants: set[str] = set()
    for combination in itertools.product(*choices):
        variants.add("".join(combination))
        if len(variants) >= MAX_VARIANTS:
            break
    return variants


def plate_pattern_regex(pattern: str) -> re.Pattern[str]:
    """A compiled regular expression for a normalised plate pattern (? one, * any)."""
    parts = ["." if c == ONE_UNKNOWN else ".*" if c == ANY_RUN else re.escape(c) for c in pattern]
    return re.compile("^" + "".join(parts) + "$")


def plate_matches(pattern: str, plate: str, *, confusable: bool = False) -> bool:
    """Whether a full plate fits a (possibly partial) pattern, both as written.

    With `confusable`, 0/O, 1/I, 5/S, 8/B and 2/Z count as the same character.
    """
    pattern_n, plate_n = plate_normalise(pattern), plate_normalise(plate)
    if not pattern_n or not plate_n:
        return False
    if confusable:
        pattern_n = pattern_n.translate(_CONFUSABLE_KEY)
        plate_n = plate_n.translate(_CONFUSABLE_KEY)
    return bool(plate_pattern_regex(pattern_n).match(plate_n))


# ---------------------------------------------------------------------------------------------
# Phone numbers
# ---------------------------------------------------------------------------------------------

DEFAULT_REGION = "GB"
# The first digit of a UK number after the 0: geographic (1, 2), non-geographic (3, 5, 8, 9),
# mobile and personal (7). 4 and 6 are not used.
_UK_FIRST_DIGITS = "1235789"


def phone_e164(text: str, *, region: str = DEFAULT_REGION) -> str:
    """A phone number in E.164 ("+447700900123"), or "" when it cannot be a number.

    UK numbers are accepted when they have the right length and shape, even in ranges that are
    not allocated (Ofcom keeps 07700 900xxx and 01632 960xxx for drama, and the demo uses them).
    Numbers from other countries must be valid there.
    """
    written = (text or "").strip()
    if sum(c.isdigit() for c in written) < 7:
        return ""
    try:
        number = phonenumbers.parse(written, region)
    except phonenumbers.NumberParseException:
        return ""
    national = phonenumbers.national_significant_number(number)
    if number.country_code == 44:
        if national[:1] not in _UK_FIRST_DIGITS or len(national) not in (9, 10):
            return ""
        if national.startswith("7") and len(national) != 10:
            return ""
    elif not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# ---------------------------------------------------------------------------------------------
# Usernames and email addresses
# ---------------------------------------------------------------------------------------------


def username_normalise(text: str) -> str:
    """ "@Danny_D22 " -> "danny_d22": case-folded, without the leading @ and outer spaces."""
    return (text or "").strip().lstrip("@").strip().casefold()


# ---------------------------------------------------------------------------------------------
# Postcodes
# ---------------------------------------------------------------------------------------------

# The outward code shapes A9, A99, AA9, AA99, A9A and AA9A with the letters each position may
# hold, then the inward code 9AA (never C, I, K, M, O or V in its letters).
_POSTCODE = re.compile(
    r"^(GIR|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPS-UW]|[A-HK-Y][0-9][ABEHMNPRV-Y]))"
    r"([0-9][ABD-HJLNP-UW-Z]{2})$"
)


def postcode_normalise(text: str) -> str:
    """ "dn156nl" -> "DN15 6NL"; "" when the text is not the shape of a UK postcode."""
    compact = re.sub(r"\s+", "", text or "").upper()
    match = _POSTCODE.match(compact)
    if not match or (match[1] == "GIR" and match[2] != "0AA"):
        return ""
    return f"{match[1]} {match[2]}"


# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------


def name_normalise(value: str) -> str:
    """ "Zoë O'Neil-Smith " -> "zoe oneilsmith": letters and single spaces only."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    kept = "".join(c if c.isalpha() or c.isspace() else "" for c in letters.casefold())
    return " ".join(kept.split())


@functools.cache
def name_groups() -> tuple[tuple[str, ...], ...]:
    """The groups of data/name_variants.yaml, normalised; each group's first name is its key."""
    data = yaml_load_strict(NAME_VARIANTS_FILE.read_text(encoding="utf-8"))
    groups = []
    for group in data["groups"]:
        names = tuple(dict.fromkeys(name_normalise(str(name)) for name in group))
        groups.append(tuple(n for n in names if n))
    return tuple(groups)


@functools.cache
def _groups_by_name() -> dict[str, tuple[tuple[str, ...], ...]]:
    found: dict[str, list[tuple[str, ...]]] = {}
    for group in name_groups():
        for name in group:
            found.setdefault(name, []).append(group)
    return {name: tuple(groups) for name, groups in found.items()}


def given_name_variants(name: str) -> set[str]:
    """Each word of a name with every name it is commonly a short, long or other spelling of."""
    variants: set[str] = set()
    for word in name_normalise(name).split():
        variants.add(word)
        for group in _groups_by_name().get(word, ()):
            variants.update(group)
    return variants


def _word_keys(word: str) -> set[str]:
    """A word's group keys, or the word itself when no group has it."""
    return {group[0] for group in _groups_by_name().get(word, ())} or {word}


def name_keys(name: str) -> frozenset[str]:
    """Keys under which a name is filed: "Danny Smith" and "Dan Smith" both give "daniel smith".

    A name is reduced to its first and last words, each replaced by its group key (a word in two
    groups, like Alex, gives a key for each). Middle names are left out, as they are so often
    missing. Two names that share a key may be the same person; that is all a key says.
    """
    words = name_normalise(name).split()
    if not words:
        return frozenset()
    if len(words) == 1:
        return frozenset(_word_keys(words[0]))
    return frozenset(
        f"{first} {last}"
        for first, last in itertools.product(_word_keys(words[0]), _word_keys(words[-1]))
    )
