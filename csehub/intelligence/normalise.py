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
from rapidfuzz.distance import JaroWinkler

from csehub.datafiles import yaml_load_strict

DATA_DIR = Path(__file__).resolve().parent / "data"
NAME_VARIANTS_FILE = DATA_DIR / "name_variants.yaml"
PLATFORMS_FILE = DATA_DIR / "platforms.yaml"
PLACE_WORDS_FILE = DATA_DIR / "place_words.yaml"
VEHICLE_WORDS_FILE = DATA_DIR / "vehicle_words.yaml"

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
    # ASCII first: upper-casing "ß" or "ﬃ" gives two or three letters, so a plate would grow
    # past its column (and a plate has no such letters anyway).
    ascii_text = "".join(c for c in text if c.isascii()).upper().replace("_", ONE_UNKNOWN)
    kept = "".join(c for c in ascii_text if c.isalnum() or c in "?*")
    return re.sub(r"\*+", ANY_RUN, kept)


def plate_normalise(text: str) -> str:
    """A plate or plate pattern as compared: upper case, no spaces.

    "yx12 abc" -> "YX12ABC"; "YX1? ?BC" -> "YX1??BC"; "starts with YX" -> "YX*";
    "ends with BC" -> "*BC"; "partial plate YX1" -> "*YX1*" (the position is not known).
    Empty when nothing identifying is left (only unknowns, or nothing at all). Only A-Z, 0-9,
    ? and single *s, and never longer than the text as written.
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


def plate_pattern_fits(
    pattern: str, plate: str, *, one: str = ONE_UNKNOWN, any_run: str = ANY_RUN
) -> bool:
    """Whether `plate` fits `pattern`, where `one` stands for one character and `any_run` for
    any run of them (the linking index's LIKE form passes "_" and "%").

    Not a regular expression: one backtracks through every way of sharing the plate out among
    the runs, which for a pattern like "A*A*A*A*A*A*A*A*A*A*A*B" (short enough for the plate
    column) takes seconds to hours. Each fixed part between the runs is found leftmost
    instead, which is all such a pattern needs: the time grows with the lengths of the plate
    and the pattern, never exponentially.
    """
    parts = pattern.split(any_run)
    if len(parts) == 1:
        return len(plate) == len(pattern) and _part_at(pattern, plate, 0, one)
    first, *middle, last = parts
    end = len(plate) - len(last)
    if end < len(first) or not _part_at(first, plate, 0, one):
        return False
    if not _part_at(last, plate, end, one):
        return False
    position = len(first)
    for part in middle:
        found = _part_find(part, plate, position, end, one)
        if found < 0:
            return False
        position = found + len(part)
    return True


def _part_at(part: str, plate: str, start: int, one: str) -> bool:
    window = plate[start : start + len(part)]
    return len(window) == len(part) and all(
        p in (one, c) for p, c in zip(part, window, strict=True)
    )


def _part_find(part: str, plate: str, start: int, end: int, one: str) -> int:
    """Where `part` first fits in plate[start:end], or -1."""
    if one not in part:
        return plate.find(part, start, end)
    for index in range(start, end - len(part) + 1):
        if _part_at(part, plate, index, one):
            return index
    return -1


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
    return plate_pattern_fits(pattern_n, plate_n)


@functools.cache
def _vehicle_words() -> tuple[dict[str, str], dict[str, str]]:
    """(make aliases, colour aliases): each other way of writing a word -> the word."""
    data = yaml_load_strict(VEHICLE_WORDS_FILE.read_text(encoding="utf-8"))
    found: list[dict[str, str]] = []
    for table in ("makes", "colours"):
        aliases: dict[str, str] = {}
        for word, others in data[table].items():
            for alias in [word, *(others or [])]:
                aliases[_vehicle_word(str(alias))] = _vehicle_word(str(word))
        found.append(aliases)
    return found[0], found[1]


def _vehicle_word(text: str) -> str:
    return "".join(_vehicle_words_of(text))


def _vehicle_words_of(text: str) -> list[str]:
    """ "Citroën C3" -> ["citroen", "c3"]: case-folded words, accents and punctuation gone."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text or "").casefold())
    letters = "".join(c for c in folded if not unicodedata.combining(c))
    return "".join(c if c.isalnum() else " " for c in letters).split()


def vehicle_make_key(text: str) -> str:
    """What a make is compared by: "Nissan Micra" -> "nissan", "VW Golf" -> "volkswagen",
    "Mercedes-Benz" -> "mercedes" (data/vehicle_words.yaml); "" when nothing is written."""
    words = _vehicle_words_of(text)
    if not words:
        return ""
    makes, _colours = _vehicle_words()
    if len(words) > 1 and "".join(words[:2]) in makes:  # "Land Rover", "Alfa Romeo"
        return makes["".join(words[:2])]
    return makes.get(words[0], words[0])


def vehicle_colour_key(text: str) -> str:
    """What a colour is compared by: "Dark Blue" -> "blue", "gray" -> "grey"."""
    words = _vehicle_words_of(text)
    if not words:
        return ""
    _makes, colours = _vehicle_words()
    return colours.get(words[-1], words[-1])


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


# The longest normal form kept (the username_normalised column, and the linking index's):
# case-folding can make a username three times as long ("ﬃ" -> "ffi").
USERNAME_KEY_MAX = 200


def username_normalise(text: str) -> str:
    """ "@Danny_D22 " -> "danny_d22": case-folded, without the leading @s and outer spaces
    ("@ @danny" too), and at most USERNAME_KEY_MAX characters."""
    handle = (text or "").casefold().strip()
    while handle.startswith("@"):
        handle = handle[1:].lstrip()
    return handle[:USERNAME_KEY_MAX].rstrip()


def _platform_compact(text: str) -> str:
    return "".join(c for c in (text or "").casefold() if c.isalnum())


@functools.cache
def _platform_aliases() -> dict[str, str]:
    data = yaml_load_strict(PLATFORMS_FILE.read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    for name, others in data["platforms"].items():
        for alias in [name, *(others or [])]:
            aliases[_platform_compact(str(alias))] = str(name)
    return aliases


def platform_normalise(text: str) -> str:
    """ "Insta" -> "instagram", "Tik Tok" -> "tiktok" (data/platforms.yaml); others case-folded."""
    written = " ".join((text or "").split()).casefold()
    return _platform_aliases().get(_platform_compact(written), written)


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


@functools.cache
def _place_words() -> tuple[dict[str, str], frozenset[str]]:
    data = yaml_load_strict(PLACE_WORDS_FILE.read_text(encoding="utf-8"))
    abbreviations = {str(k).casefold(): str(v).casefold() for k, v in data["abbreviations"].items()}
    return abbreviations, frozenset(str(word).casefold() for word in data["ignored"])


def place_name_normalise(value: str) -> str:
    """ "The Canal St. Car-park" -> "canal street car park" (data/place_words.yaml).

    Like a name, but numbers kept: "Unit 9, Mill Lane" and "Unit 12" are different places.
    """
    decomposed = unicodedata.normalize("NFKD", value or "")
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    letters = letters.replace("'", "").replace("\u2019", "")  # "McDonald's" -> "mcdonalds"
    kept = "".join(c if c.isalnum() or c.isspace() else " " for c in letters)
    abbreviations, ignored = _place_words()
    words = [abbreviations.get(word, word) for word in kept.split() if word not in ignored]
    return " ".join(" ".join(words).split())


@functools.cache
def _place_vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """(every word that does not say which place it is, the kinds of place)."""
    data = yaml_load_strict(PLACE_WORDS_FILE.read_text(encoding="utf-8"))
    kinds = frozenset(_place_kind_words(str(word)) for word in data["kinds"])
    words = [str(word) for name in ("street", "kinds", "fillers") for word in data[name]]
    generic = frozenset(w for word in words for w in place_name_normalise(word).split())
    return generic, kinds


def _place_kind_words(value: str) -> str:
    """Place name words with "car park" as one word, so that it is not a park."""
    return f" {place_name_normalise(value)} ".replace(" car park ", " carpark ").strip()


@functools.lru_cache(maxsize=65536)  # pure, and asked of the same names again and again
def place_name_words(value: str) -> frozenset[str]:
    """The words that say which place it is: "Golden Fry takeaway" -> {"golden", "fry"}."""
    generic, _kinds = _place_vocabulary()
    return frozenset(w for w in place_name_normalise(value).split() if w not in generic)


@functools.lru_cache(maxsize=65536)  # pure, and asked of the same names again and again
def place_name_kinds(value: str) -> frozenset[str]:
    """The words that say what kind of place it is: "Canal Street car park" -> {"carpark"}."""
    _generic, kinds = _place_vocabulary()
    return frozenset(w for w in _place_kind_words(value).split() if w in kinds)


@functools.cache
def _street_words() -> frozenset[str]:
    data = yaml_load_strict(PLACE_WORDS_FILE.read_text(encoding="utf-8"))
    return frozenset(w for word in data["street"] for w in place_name_normalise(str(word)).split())


@functools.lru_cache(maxsize=65536)  # pure, and asked of the same names again and again
def place_name_streets(value: str) -> frozenset[str]:
    """The kinds of street a place name says it is on: "Canal St car park" -> {"street"}.
    "Mill Lane shops" and "Mill Road shops" are on two streets."""
    return frozenset(w for w in place_name_normalise(value).split() if w in _street_words())


def place_name_key(value: str) -> str:
    """The key a place name is filed under: its own words in order of the alphabet.

    "The shops on Canal Street" and "Canal St shops" -> "canal"; "" when it has none.
    """
    return " ".join(sorted(place_name_words(value)))


# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=65536)  # pure, and asked of the same names again and again
def name_normalise(value: str) -> str:
    """ "Zoë O'Neil-Smith " -> "zoe oneilsmith": letters and single spaces only.

    A name written "SURNAME, Given" (as many case systems list people) is read as "given
    surname": "GRAY, Kai" -> "kai gray".
    """
    before, comma, after = (value or "").partition(",")
    if comma and "," not in after and _name_letters(before) and _name_letters(after):
        value = f"{after} {before}"
    return _name_letters(value)


def _name_letters(value: str) -> str:
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


@functools.lru_cache(maxsize=65536)  # pure, and asked of the same names again and again
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


@functools.lru_cache(maxsize=65536)  # pure, and asked of the same names again and again
def name_block_keys(name: str) -> frozenset[str]:
    """Keys under which a name is found as a candidate: its name_keys and typo-tolerant ones.

    Besides the first and last words' group keys, a two-word name is also filed under its first
    word's key with the first two letters of the last word ("daniel sm~"), and under the first
    letter of the first word with the last word's key ("d~ smith"), so that a slip of the
    keyboard in one of the two (rarely in its first letter) still finds the other; and under
    the two words' skeletons ("dnl/smth"), which most slips in vowels and doubled letters leave
    alone, so a slip in both still does. These keys only find candidates; how alike two names
    are is decided by comparing them.
    """
    keys = set(name_keys(name))
    words = name_normalise(name).split()
    if len(words) > 1:
        first, last = words[0], words[-1]
        keys.update(f"{key} {last[:2]}~" for key in _word_keys(first))
        keys.update(f"{first[:1]}~ {key}" for key in _word_keys(last))
        keys.add(f"{name_skeleton(first)}/{name_skeleton(last)}")
    return frozenset(keys)


_VOWELS = frozenset("aeiouy")


@functools.lru_cache(maxsize=65536)  # linking compares the same words again and again
def name_skeleton(word: str) -> str:
    """A word's first letter and its other consonants, runs folded: "Kyyle" and "Kyle" -> "kl".

    Slips that double a letter or drop, add or change a vowel leave the skeleton as it was.
    """
    word = name_normalise(word).replace(" ", "")
    if not word:
        return ""
    kept = [word[0]]
    for c in word[1:]:
        if c not in _VOWELS and c != kept[-1]:
            kept.append(c)
    return "".join(kept)


def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity of two strings, 0 to 1: a slip or two in a name scores over 0.9.

    rapidfuzz's, which counts transpositions as Winkler's reference code does (half of them,
    rounded down) and adds the prefix bonus only above a Jaro of 0.7 (decision 0017)."""
    return float(JaroWinkler.similarity(a, b))
