"""Details found in free text: plates, phone numbers, usernames, emails, postcodes, names and
nicknames, vehicles by make and colour, and places by their street or kind.

Each is only a suggestion, shown to the person who wrote the text with "Add" and "Ignore";
nothing found here is ever saved without their say-so. The patterns lean towards missing a
detail rather than inventing one: the text itself is always kept, so an analyst can still read
what was missed, but a wrong "detail" would send linking after the wrong car or person.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum

from csehub.datafiles import yaml_load_strict

from .normalise import (
    DATA_DIR,
    NAME_VARIANTS_FILE,
    phone_e164,
    plate_normalise,
    postcode_normalise,
    username_normalise,
)


class SuggestionKind(StrEnum):
    PLATE = "plate"
    PHONE = "phone"
    USERNAME = "username"
    EMAIL = "email"
    POSTCODE = "postcode"
    NAME = "name"
    NICKNAME = "nickname"
    VEHICLE = "vehicle"
    PLACE = "place"


# Which structured list each kind of suggestion is added to (the full form's prefixes).
KIND_LIST = {
    SuggestionKind.PLATE: "vehicles",
    SuggestionKind.PHONE: "phones",
    SuggestionKind.USERNAME: "online",
    SuggestionKind.EMAIL: "online",
    SuggestionKind.POSTCODE: "locations",
    SuggestionKind.NAME: "persons",
    SuggestionKind.NICKNAME: "persons",
    SuggestionKind.VEHICLE: "vehicles",
    SuggestionKind.PLACE: "locations",
}

KIND_LABEL = {
    SuggestionKind.PLATE: "Registration plate",
    SuggestionKind.PHONE: "Phone number",
    SuggestionKind.USERNAME: "Username",
    SuggestionKind.EMAIL: "Email address",
    SuggestionKind.POSTCODE: "Postcode",
    SuggestionKind.NAME: "Name",
    SuggestionKind.NICKNAME: "Nickname",
    SuggestionKind.VEHICLE: "Vehicle",
    SuggestionKind.PLACE: "Place",
}


@dataclass(frozen=True)
class Suggestion:
    kind: SuggestionKind
    written: str  # the text as it appears, text[start:end]
    value: str  # what goes into the structured field
    start: int
    end: int
    platform: str = ""  # for usernames named with their app ("snap: danny_d")
    # Further fields of the same row: a plate's make and colour written beside it, a place's
    # postcode ("Mill Lane, DN15 6NL").
    fields: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> str:
        """Identifies the suggestion across edits of the text, for "Add" and "Ignore"."""
        return f"{self.kind}:{_comparable(self.kind, self.value)}"

    @property
    def label(self) -> str:
        return KIND_LABEL[self.kind]

    @property
    def also(self) -> str:
        """What else its row gets, in words: "silver Audi" for a plate, a place's postcode."""
        extra = dict(self.fields)
        if self.kind == SuggestionKind.PLATE:
            return " ".join(v for v in (extra.get("colour", ""), extra.get("make", "")) if v)
        if self.kind == SuggestionKind.PLACE:
            return extra.get("postcode", "")
        return ""

    @property
    def list_name(self) -> str:
        return KIND_LIST[self.kind]


def _comparable(kind: SuggestionKind, value: str) -> str:
    if kind == SuggestionKind.PLATE:
        return plate_normalise(value)
    if kind == SuggestionKind.PHONE:
        return phone_e164(value) or value
    if kind in (SuggestionKind.USERNAME, SuggestionKind.EMAIL):
        return username_normalise(value)
    if kind == SuggestionKind.POSTCODE:
        return postcode_normalise(value)
    return " ".join(value.casefold().split())


# ---------------------------------------------------------------------------------------------
# Patterns. Earlier kinds win where spans overlap (an email's name part is not a username, a
# postcode's outward code is not a plate).
# ---------------------------------------------------------------------------------------------

EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)

PHONE = re.compile(
    r"""(?<![\w+])
    (?:(?:\+44|0044)[ .-]?(?:\(0\)[ .-]?)?|\(?0)  # +44, 0044, +44 (0), or the trunk 0
    \d{1,4}\)?                                      # the rest of the area or mobile code
    (?:[ .-]?\d){5,9}                               # the number, single separators allowed
    (?![\w])""",
    re.X,
)

POSTCODE = re.compile(r"(?<![\w-])([A-Za-z]{1,2}\d[A-Za-z\d]?) ?(\d[A-Za-z]{2})(?![\w-])")

PLATFORMS = {
    "snapchat": "snapchat",
    "snap": "snapchat",
    "sc": "snapchat",
    "instagram": "instagram",
    "insta": "instagram",
    "ig": "instagram",
    "tiktok": "tiktok",
    "tik tok": "tiktok",
    "telegram": "telegram",
    "whatsapp": "whatsapp",
    "discord": "discord",
    "facebook": "facebook",
    "fb": "facebook",
    "twitter": "x",
    "kik": "kik",
    "wizz": "wizz",
    "xbox": "xbox",
    "psn": "playstation",
    "playstation": "playstation",
    "roblox": "roblox",
    "threads": "threads",
}
_PLATFORM_WORDS = "|".join(sorted((re.escape(p) for p in PLATFORMS), key=len, reverse=True))
# "snap: danny_d22", "insta - name", "snapchat is danny", "on tiktok as x_y", "snap @danny":
# a separator word or an @ makes it safe; without one, the handle must look like a handle.
HANDLE_AFTER_PLATFORM = re.compile(
    rf"\b({_PLATFORM_WORDS})\b(?:\s*(?::|-|=)\s*|\s+(?:is|name|username|handle|as|called|@)\s*"
    rf"|\s+(?=@)|\s+(?=[A-Za-z0-9._]*[0-9_.][A-Za-z0-9._]*\b))@?([A-Za-z0-9][A-Za-z0-9._]{{1,29}})",
    re.I,
)
AT_HANDLE = re.compile(r"(?<![\w.@])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)")

# Registration plates. The current format (since 2001) is safe in any case; the older ones are
# short runs of capitals and digits that ordinary text also has, so they must be in capitals
# and are checked against a list of things that look like plates but are not.
CURRENT_PLATE = re.compile(r"(?<![\w?*])([A-Za-z]{2}\d{2}) ?([A-Za-z]{3})(?![\w?*])")
PREFIX_PLATE = re.compile(r"(?<![\w?*])([A-Z]\d{1,3}) ?([A-Z]{3})(?![\w?*])")
SUFFIX_PLATE = re.compile(r"(?<![\w?*])([A-Z]{3}) ?(\d{1,3}[A-Z])(?![\w?*])")
DATELESS_PLATE = re.compile(
    r"(?<![\w?*/:.,-])([A-Z]{2,3} ?\d{2,4}|\d{2,4} ?[A-Z]{2,3})(?![\w?*/:-]|[.,]\w)"
)
# A plate written with ? for characters not seen or * for a run not seen: "YX1? ?BC", "YX1*".
PARTIAL_PLATE = re.compile(r"(?<![\w?*])([A-Z0-9?*]{2,8}(?: [A-Z0-9?*]{1,4})?)(?![\w?*])")
# "starts with YX", "ending in BC", "partial plate YX1", near a word about a vehicle.
PLATE_CUE = re.compile(
    r"\b(?:(starts?|starting|begins?|beginning)(?: with)?|(ends?|ending) (?:with|in)|"
    r"(partial(?: plate| reg(?:istration)?)?|part(?: of the| of a)? (?:plate|reg(?:istration)?)))"
    r"\s*:?\s+['\"]?(?-i:([A-Z0-9][A-Z0-9 ]{0,6}[A-Z0-9]|[A-Z0-9]))(?![\w?*])",
    re.I,
)
VEHICLE_WORDS = re.compile(
    r"\b(?:plate|plates|reg|registration|car|cars|van|vehicle|motor|taxi|cab|motorbike|moped|"
    r"scooter|audi|bmw|mercedes|merc|vw|volkswagen|ford|vauxhall|toyota|nissan|honda|kia|"
    r"hyundai|peugeot|renault|seat|skoda|range rover|land rover|mini|fiat|tesla|volvo|lexus)\b",
    re.I,
)
# Capitals-and-digits that are not plates.
NOT_PLATES = {
    "NHS111",
    "NHS999",
    "COVID19",
    "MP3",
    "MP4",
    "A4",
    "A3",
    "PS4",
    "PS5",
    "4G",
    "5G",
    "Y7",
    "Y8",
    "Y9",
    "Y10",
    "Y11",
    "Y12",
    "Y13",
    "KS3",
    "KS4",
}
TIME_OR_YEAR = re.compile(r"^\d{1,4}(?:[:.]\d{2})?$")

# Names after a cue word: "called Danny", "known as 'Danny D'", "they call him Big Mo". The cue
# may start a sentence ("They call him Danny D"); the name itself must still have capitals.
NAME_CUE = re.compile(
    r"\b(?i:(named|called|name is|name's|name was)|"
    r"(known as|goes by|go by|nicknamed|nickname is|nickname|"
    r"(?:they|people|everyone|kids|the kids|girls|the girls) calls? (?:him|her|them|it)|"
    r"calls (?:himself|herself|themselves)|calling (?:himself|herself|themselves)))"
    r"\s*:?\s+"
    r"(?:['\"\u2018\u201c]([^'\"\u2019\u201d\n]{1,40})['\"\u2019\u201d]"
    r"|((?:[A-Z][\w'-]*|[A-Z])(?: (?:[A-Z][\w'-]*|[A-Z]\b))*))"
)
NOT_NAMES = {
    "police",
    "the",
    "a",
    "an",
    "i",
    "me",
    "him",
    "her",
    "them",
    "mum",
    "dad",
    "childline",
    "social",
    "services",
    "school",
    "someone",
    "somebody",
    "nobody",
    "it",
    "he",
    "she",
    "they",
    "we",
    "you",
    "my",
    "his",
    "their",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "mash",
    "999",
    "101",
}


@dataclass(frozen=True)
class _Found:
    priority: int
    suggestion: Suggestion


def extract(text: str) -> list[Suggestion]:
    """Every detail found in `text`, in the order they appear, without overlaps or repeats."""
    text = text or ""
    found: list[_Found] = []
    finders = (_emails, _phones, _postcodes, _usernames, _plates, _names, _vehicles, _places)
    for priority, finder in enumerate(finders):
        found += [_Found(priority, s) for s in finder(text)]
    taken: list[tuple[int, int]] = []
    kept: list[Suggestion] = []
    for item in sorted(found, key=lambda f: (f.priority, f.suggestion.start)):
        s = item.suggestion
        if any(s.start < end and start < s.end for start, end in taken):
            continue
        taken.append((s.start, s.end))
        kept.append(s)
    kept = _places_with_postcodes(text, _plates_with_vehicles(text, kept))
    seen: set[str] = set()
    unique = []
    for s in sorted(kept, key=lambda s: s.start):
        if s.key not in seen:
            seen.add(s.key)
            unique.append(s)
    return unique


def _suggestion(
    kind: SuggestionKind, text: str, start: int, end: int, value: str, platform: str = ""
) -> Suggestion:
    return Suggestion(kind, text[start:end], value, start, end, platform)


def _emails(text: str) -> list[Suggestion]:
    return [
        _suggestion(SuggestionKind.EMAIL, text, m.start(), m.end(), m[0].lower())
        for m in EMAIL.finditer(text)
    ]


def _phones(text: str) -> list[Suggestion]:
    found = []
    for match in PHONE.finditer(text):
        written = match[0]
        # Greedy matching may run into the next number: drop trailing groups until it fits.
        while written and not phone_e164(written):
            cut = max(written.rfind(" "), written.rfind("-"), written.rfind("."))
            if cut <= 0:
                written = ""
                break
            written = written[:cut]
        if written:
            end = match.start() + len(written)
            found.append(_suggestion(SuggestionKind.PHONE, text, match.start(), end, written))
    return found


def _postcodes(text: str) -> list[Suggestion]:
    found = []
    for match in POSTCODE.finditer(text):
        normal = postcode_normalise(match[0])
        # Lower case is allowed only with the space ("dn15 6nl"): "ab12cd" in a word is not one.
        if normal and (match[0].isupper() or " " in match[0]):
            found.append(_suggestion(SuggestionKind.POSTCODE, text, *match.span(), normal))
    return found


def _usernames(text: str) -> list[Suggestion]:
    found = []
    for match in HANDLE_AFTER_PLATFORM.finditer(text):
        handle = match[2].rstrip(".")
        platform = _platform(match[1])
        start = match.start(2)
        if start > 0 and text[start - 1] == "@":
            start -= 1
        end = match.start(2) + len(handle)
        found.append(
            _suggestion(SuggestionKind.USERNAME, text, start, end, text[start:end], platform)
        )
    for match in AT_HANDLE.finditer(text):
        handle = match[1].rstrip(".")
        found.append(
            _suggestion(
                SuggestionKind.USERNAME,
                text,
                match.start(),
                match.start(1) + len(handle),
                "@" + handle,
            )
        )
    return found


def _platform(written: str) -> str:
    """The platform a name matched ignoring case: "Snap", and also "snap" written with a long s
    (U+017F) or "İnsta", which the pattern matches too but no plain look-up would find."""
    if found := PLATFORMS.get(written.lower()):
        return found
    return next(v for k, v in PLATFORMS.items() if re.fullmatch(re.escape(k), written, re.I))


def _plate_value(written: str) -> str:
    return " ".join(written.upper().split())


def _is_plate_like(written: str) -> bool:
    compact = written.replace(" ", "").upper()
    return compact not in NOT_PLATES and not TIME_OR_YEAR.match(compact)


def _plates(text: str) -> list[Suggestion]:
    found = []
    for pattern in (CURRENT_PLATE, PREFIX_PLATE, SUFFIX_PLATE, DATELESS_PLATE):
        for match in pattern.finditer(text):
            if _is_plate_like(match[0]):
                found.append(
                    _suggestion(SuggestionKind.PLATE, text, *match.span(), _plate_value(match[0]))
                )
    for match in PARTIAL_PLATE.finditer(text):
        written = match[0]
        if _looks_like_partial_plate(written):
            found.append(
                _suggestion(SuggestionKind.PLATE, text, *match.span(), _plate_value(written))
            )
    cues: list[Suggestion] = []
    for match in PLATE_CUE.finditer(text):
        if not (match[3] or VEHICLE_WORDS.search(text, max(0, match.start() - 80), match.start())):
            continue
        core = match[4]
        if not (core.isupper() or any(c.isdigit() for c in core)) or not _is_plate_like(core):
            continue  # "starts with a" is English, and "starting 2025" a year, not a plate
        value = core.upper().strip()
        if match[1]:
            value = f"{value}*"
        elif match[2]:
            value = f"*{value}"
        else:
            value = f"*{value}*"
        cues.append(_suggestion(SuggestionKind.PLATE, text, match.start(), match.end(), value))
    found += _joined_cues(text, cues)
    # A cue ("starts with YX1?") is preferred to the bare pattern inside it: put cues first.
    found.sort(key=lambda s: (s.start, -(s.end - s.start)))
    return found


CUE_JOIN = re.compile(r"^\s*(?:,|and|, and|but)?\s*(?:it\s+|the plate\s+)?$")


def _joined_cues(text: str, cues: list[Suggestion]) -> list[Suggestion]:
    """ "starts with YX1 and ends in BC" is one plate, YX1*BC, not two."""
    joined: list[Suggestion] = []
    index = 0
    while index < len(cues):
        first = cues[index]
        second = cues[index + 1] if index + 1 < len(cues) else None
        if (
            second is not None
            and first.value.endswith("*")
            and not first.value.startswith("*")
            and second.value.startswith("*")
            and not second.value.endswith("*")
            and CUE_JOIN.match(text[first.end : second.start])
        ):
            value = first.value + second.value.removeprefix("*")
            joined.append(_suggestion(SuggestionKind.PLATE, text, first.start, second.end, value))
            index += 2
            continue
        joined.append(first)
        index += 1
    return joined


def _looks_like_partial_plate(written: str) -> bool:
    if "?" not in written and "*" not in written:
        return False
    parts = written.split(" ")
    if (
        len(parts) == 2
        and parts[0].endswith("?")
        and not parts[0].endswith("??")
        and not parts[1].startswith(("?", "*"))
    ):
        return False  # "Is it 2025? I think": the ? ends a question
    core = written.replace(" ", "")
    letters = [c for c in core if c.isalpha()]
    digits = [c for c in core if c.isdigit()]
    if len(letters) + len(digits) < 2 or len(core) > 8:
        return False
    if any(c.islower() for c in letters):
        return False
    # A question mark that only ends a word ("WHY?") is punctuation, not a character not seen.
    inner = core.rstrip("?*")
    if digits and letters:
        return True
    if digits:
        return False  # "2025?" is a question about a year
    return "?" in inner and core.count("?") + core.count("*") >= 2


def _names(text: str) -> list[Suggestion]:
    found = []
    for match in NAME_CUE.finditer(text):
        kind = SuggestionKind.NAME if match[1] else SuggestionKind.NICKNAME
        # "called 'Smokey'" or "a lad called Smokey": a name in quotes, or one word that is no
        # known given name, is what he is called rather than his name.
        if kind == SuggestionKind.NAME and (match[3] or _one_unknown_word(match[4] or "")):
            kind = SuggestionKind.NICKNAME
        group = 3 if match[3] else 4
        if not match[group]:
            continue
        # Each word with where it is, so that the suggestion's span is in the text as written
        # ("known as 'Big  Mo'" suggests "Big Mo" for the span "Big  Mo").
        words = [(w.start(), w.end()) for w in re.finditer(r"\S+", match[group])]
        offset = match.start(group)
        value = " ".join(match[group].split()).strip(" .,;")
        if not value or value.casefold() in NOT_NAMES:
            continue
        words = _stripped_words(match[group], words)
        # "called Police" or "named The": leading words that are not names end the name.
        while words and match[group][slice(*words[0])].casefold() in NOT_NAMES:
            words.pop(0)
        if not words:
            continue
        start, end = offset + words[0][0], offset + words[-1][1]
        value = " ".join(text[start:end].split())
        found.append(_suggestion(kind, text, start, end, value))
    return found


def _stripped_words(written: str, words: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The words' spans without the punctuation ".,;" at either end of the whole run."""
    words = list(words)
    while words:
        start, end = words[0]
        start += len(written[start:end]) - len(written[start:end].lstrip(".,;"))
        if start < end:
            words[0] = (start, end)
            break
        words.pop(0)
    while words:
        start, end = words[-1]
        end -= len(written[start:end]) - len(written[start:end].rstrip(".,;"))
        if start < end:
            words[-1] = (start, end)
            break
        words.pop()
    return words


def _one_unknown_word(written: str) -> bool:
    words = written.strip(" .,;").split()
    return len(words) == 1 and words[0].casefold() not in _known_given_names()


@functools.cache
def _known_given_names() -> frozenset[str]:
    groups = yaml_load_strict(NAME_VARIANTS_FILE.read_text(encoding="utf-8"))["groups"]
    listed = yaml_load_strict(EXTRACT_WORDS_FILE.read_text(encoding="utf-8"))["given_names"]
    return frozenset([*(name for group in groups for name in group), *listed])


# ---------------------------------------------------------------------------------------------
# Vehicles by make and colour, places by street or kind (data/extract_words.yaml)
# ---------------------------------------------------------------------------------------------

EXTRACT_WORDS_FILE = DATA_DIR / "extract_words.yaml"


@dataclass(frozen=True)
class _Words:
    makes: dict[str, str]  # as written, case-folded -> as the form writes it
    everyday: frozenset[str]
    vehicle: re.Pattern[str]
    place: re.Pattern[str]


def _alternation(words: list[str]) -> str:
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )


@functools.cache
def _words() -> _Words:
    data = yaml_load_strict(EXTRACT_WORDS_FILE.read_text(encoding="utf-8"))
    makes = {written.casefold(): forms[0] for forms in data["makes"] for written in forms}
    vehicle = re.compile(
        rf"(?<![\w-])(?:(?i:({_alternation(data['colours'])}))\s+)?"
        rf"(?i:({_alternation(list(makes))}))"
        r"(?:\s+((?:[A-Z]\w*|\d\w*)(?:-?\w+)?))?(?![\w-])"
    )
    place = re.compile(
        r"(?<![\w'\u2019-])((?:[A-Z][\w'\u2019-]*\s+){1,3})"
        rf"(?i:({_alternation(data['place_words'])}))(?![\w'\u2019-])"
    )
    return _Words(makes, frozenset(data["everyday_words"]), vehicle, place)


MODEL_NOT = {"on", "at", "in", "with", "and", "was", "is", "the", "a", "car", "van", "plate"}


def _vehicles(text: str) -> list[Suggestion]:
    """ "a silver Audi A3", "blue Nissan", "a BMW": the make, with the colour before it and a
    model after it when written."""
    words = _words()
    found = []
    for match in words.vehicle.finditer(text):
        make_written = " ".join(match[2].split())
        if make_written.casefold() in words.everyday and not make_written[0].isupper():
            continue
        make = words.makes.get(make_written.casefold(), make_written)
        model = match[3] if match[3] and match[3].casefold() not in MODEL_NOT else ""
        end = match.end(3) if model else match.end(2)
        colour = (match[1] or "").lower()
        value = " ".join(part for part in (colour, make, model) if part)
        fields = [("make", f"{make} {model}".strip())]
        if colour:
            fields.append(("colour", colour))
        found.append(
            Suggestion(
                SuggestionKind.VEHICLE,
                text[match.start() : end],
                value,
                match.start(),
                end,
                fields=tuple(fields),
            )
        )
    return found


PLACE_NOT = NOT_NAMES | {
    "on", "at", "of", "near", "by", "outside", "behind", "opposite", "in", "and", "from", "to",
    "towards", "into", "round", "around", "past", "via", "year", "mr", "mrs", "ms", "miss",
}  # fmt: skip


def _places(text: str) -> list[Suggestion]:
    """ "Mill Lane", "Canal St", "Castle Park", "the Golden Fry takeaway": capitalised words
    before a street word or a kind of place. Leading words that are not names are left out."""
    found = []
    for match in _words().place.finditer(text):
        spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", match[1])]
        offset = match.start(1)
        while spans and match[1][slice(*spans[0])].casefold().strip(".,;") in PLACE_NOT:
            spans.pop(0)
        if not spans:
            continue
        start = offset + spans[0][0]
        value = " ".join(text[start : match.end()].split())
        found.append(
            Suggestion(
                SuggestionKind.PLACE,
                text[start : match.end()],
                value,
                start,
                match.end(),
                fields=(("name", value),),
            )
        )
    return found


SAME_SENTENCE = re.compile(r"^[^.!?\n]{0,60}$")
JUST_A_COMMA = re.compile(r"^\s*,?\s*$")


def _plates_with_vehicles(text: str, kept: list[Suggestion]) -> list[Suggestion]:
    """A make written in the same sentence as a plate, close by, describes that plate's
    vehicle: one row with all three, not a plate and a separate vehicle."""
    plates = [s for s in kept if s.kind == SuggestionKind.PLATE]
    out = [s for s in kept if s.kind not in (SuggestionKind.PLATE, SuggestionKind.VEHICLE)]
    joined: dict[int, Suggestion] = {id(p): p for p in plates}
    for vehicle in (s for s in kept if s.kind == SuggestionKind.VEHICLE):
        near = [
            p
            for p in plates
            if SAME_SENTENCE.match(text[min(p.end, vehicle.end) : max(p.start, vehicle.start)])
        ]
        if not near:
            out.append(vehicle)
            continue
        plate = min(near, key=lambda p: min(abs(p.start - vehicle.end), abs(vehicle.start - p.end)))
        current = joined[id(plate)]
        joined[id(plate)] = Suggestion(
            current.kind,
            current.written,
            current.value,
            current.start,
            current.end,
            current.platform,
            current.fields + vehicle.fields,
        )
    return out + list(joined.values())


def _places_with_postcodes(text: str, kept: list[Suggestion]) -> list[Suggestion]:
    """ "Mill Lane, DN15 6NL" is one place with its postcode, not a place and a postcode."""
    postcodes = {s.start: s for s in kept if s.kind == SuggestionKind.POSTCODE}
    used: set[int] = set()
    out = []
    for s in kept:
        if s.kind != SuggestionKind.PLACE:
            continue
        after = next(
            (
                p
                for start, p in postcodes.items()
                if start >= s.end and JUST_A_COMMA.match(text[s.end : start])
            ),
            None,
        )
        if after is None:
            out.append(s)
            continue
        used.add(after.start)
        out.append(
            Suggestion(
                s.kind,
                text[s.start : after.end],
                s.value,
                s.start,
                after.end,
                fields=(*s.fields, ("postcode", after.value)),
            )
        )
    rest = [
        s
        for s in kept
        if s.kind != SuggestionKind.PLACE
        and not (s.kind == SuggestionKind.POSTCODE and s.start in used)
    ]
    return rest + out
