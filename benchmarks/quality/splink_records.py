"""The plain Splink build's input: each mention as a record of its type, in plain forms.

Small normalisers of the Splink build's own (splink_plain.py), written apart from csehub: lower
case, spaces and punctuation out, "SURNAME, Given" by its comma, a handful of common
abbreviations and other spellings of makes and platforms.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KINDS = ("person", "child", "vehicle", "phone", "online", "location")
LISTS = {
    "persons": "person",
    "children": "child",
    "vehicles": "vehicle",
    "phones": "phone",
    "online": "online",
    "locations": "location",
}

# ---------------------------------------------------------------------------------------------
# Small normalisers of our own
# ---------------------------------------------------------------------------------------------

FOLD = str.maketrans("01582", "OISBZ")  # characters a camera or a hurried note confuses
MAKE_NAMES = {"vw": "volkswagen", "merc": "mercedes-benz", "mercedes": "mercedes-benz"}
MAKE_NAMES |= {"citroën": "citroen"}
COLOUR_NAMES = {"gray": "grey"}
PLATFORM_NAMES = {"insta": "instagram", "ig": "instagram", "snap": "snapchat", "sc": "snapchat"}
PLACE_WORDS = {"st": "street", "rd": "road", "ln": "lane", "sq": "square", "stn": "station"}
PLACE_WORDS |= {"pk": "park", "ave": "avenue", "carpark": "car park"}
PLACE_STOP = {"the", "on", "at", "of"}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _words(text: str) -> list[str]:
    return re.sub(r"[^a-z'\- ]", " ", text.lower()).split()


def name_split(name: str) -> tuple[str | None, str | None]:
    """(forename, surname): "SURNAME, Given" by its comma, otherwise first and last word."""
    if "," in name:
        before, _, after = name.partition(",")
        family, given = _words(before), _words(after)
        return (given[0] if given else None), (" ".join(family) or None)
    words = _words(name)
    if not words:
        return None, None
    return words[0], (words[-1] if len(words) > 1 else None)


def plate_clean(text: str) -> str | None:
    plate = text.upper().strip()
    if plate.startswith("STARTS WITH"):
        plate = plate[len("STARTS WITH") :] + "*"
    elif plate.startswith("ENDS WITH"):
        plate = "*" + plate[len("ENDS WITH") :]
    return re.sub(r"[^A-Z0-9?*]", "", plate) or None


def phone_clean(text: str) -> str | None:
    digits = re.sub(r"\D", "", text)
    if digits.startswith("00"):
        digits = digits[2:]
    if digits.startswith("44"):
        digits = digits[2:]
    return digits.lstrip("0") or None


def handle_clean(text: str) -> str | None:
    return re.sub(r"[\s@]", "", text).lower() or None


def platform_clean(text: str) -> str | None:
    words = text.lower().split()
    key = "".join(words)
    return PLATFORM_NAMES.get(key, key) or None


def place_clean(text: str) -> tuple[str | None, str | None]:
    """(name, key): the name in plain words, and its words sorted without the little ones."""
    words = re.sub(r"[^a-z0-9 ]", " ", text.lower()).split()
    name = " ".join(PLACE_WORDS.get(word, word) for word in words)
    key = " ".join(sorted(w for w in name.split() if w not in PLACE_STOP))
    return (name or None), (key or None)


def postcode_clean(text: str) -> str | None:
    return re.sub(r"\s", "", text.upper()) or None


# ---------------------------------------------------------------------------------------------
# Records, one table per type
# ---------------------------------------------------------------------------------------------


@dataclass
class Table:
    columns: dict[str, list[Any]] = field(default_factory=dict)

    def add(self, **row: Any) -> None:
        for name, value in row.items():
            self.columns.setdefault(name, []).append(value)

    def __len__(self) -> int:
        return len(self.columns.get("unique_id", []))

    def arrow(self) -> Any:
        """A pyarrow table with fixed column types (a column of nothing but nulls included)."""
        import pyarrow as pa

        types = {"age": pa.int64(), "context": pa.list_(pa.string())}
        return pa.table(
            {
                name: pa.array(values, type=types.get(name, pa.string()))
                for name, values in self.columns.items()
            }
        )


def _context(line: dict[str, Any]) -> list[str]:
    """The identifiers in a report, for the persons named in it."""
    found = {f"phone:{phone_clean(_text(t.get('number')))}" for t in line.get("phones", [])}
    for vehicle in line.get("vehicles", []):
        plate = plate_clean(_text(vehicle.get("plate")))
        if plate and "?" not in plate and "*" not in plate:
            found.add(f"plate:{plate.translate(FOLD)}")
    found |= {f"handle:{handle_clean(_text(u.get('username')))}" for u in line.get("online", [])}
    return sorted(key for key in found if not key.endswith(":None"))


def tables_read(path: Path) -> dict[str, Table]:
    tables = {kind: Table() for kind in KINDS}
    with path.open(encoding="utf-8") as lines:
        for raw in lines:
            if not raw.strip():
                continue
            line = json.loads(raw)
            context = _context(line) or None
            for list_name, kind in LISTS.items():
                for entry in line.get(list_name) or []:
                    mention = f"{line['id']}/{entry['ref']}"
                    _record_add(tables[kind], kind, mention, entry, context)
    return tables


def _record_add(
    table: Table, kind: str, mention: str, entry: dict[str, Any], context: list[str] | None
) -> None:
    if kind in ("person", "child"):
        forename, surname = name_split(_text(entry.get("name")))
        full = f"{forename} {surname}" if forename and surname else None
        if kind == "person":
            age = entry.get("age_estimate")
            table.add(
                unique_id=mention,
                forename=forename,
                surname=surname,
                full_name=full,
                street_name=" ".join(_words(_text(entry.get("nickname")))) or None,
                age=age if isinstance(age, int) else None,
                context=context,
            )
        else:
            dob = _text(entry.get("dob"))
            dob_ok = re.fullmatch(r"\d{4}-\d{2}-\d{2}", dob)
            table.add(
                unique_id=mention,
                forename=forename,
                surname=surname,
                full_name=full,
                dob=dob if dob_ok else None,
            )
    elif kind == "vehicle":
        plate = plate_clean(_text(entry.get("plate")))
        fold = plate.translate(FOLD) if plate else None
        make = _text(entry.get("make")).lower()
        colour = _text(entry.get("colour")).lower()
        table.add(
            unique_id=mention,
            plate=plate,
            plate_fold=fold,
            plate_pattern=fold.replace("?", "_").replace("*", "%") if fold else None,
            make=MAKE_NAMES.get(make, make) or None,
            colour=COLOUR_NAMES.get(colour, colour) or None,
        )
    elif kind == "phone":
        table.add(unique_id=mention, number=phone_clean(_text(entry.get("number"))))
    elif kind == "online":
        table.add(
            unique_id=mention,
            handle=handle_clean(_text(entry.get("username"))),
            platform=platform_clean(_text(entry.get("platform"))),
        )
    else:
        name, key = place_clean(_text(entry.get("name")))
        postcode = postcode_clean(_text(entry.get("postcode")))
        table.add(
            unique_id=mention,
            name=name,
            name_key=key,
            postcode=postcode,
            district=postcode[:-3] if postcode and len(postcode) >= 5 else None,
        )
