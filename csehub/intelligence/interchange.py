"""Reading and writing the exchange format (shared/INTERCHANGE.md): one report per JSON line.

Pure functions: `report_parse` turns one line (text or the bytes read from a file) into a
ParsedReport or says exactly what is wrong with it; `report_serialise` turns a stored report back
into a line. The writes are in services.reports_import, which calls `report_parse` line by line;
`lines_read` reads a file's lines without ever holding an oversized one whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.validators import MaxLengthValidator
from django.utils import dateparse, timezone

from .models import (
    MENTION_MODELS,
    HowKnown,
    IntelligenceReport,
    Mention,
    MentionLink,
)
from .validators import refused_character, unstorable_character

# The fields each list's entries may have, with their kind: str (one line), text (tabs and line
# breaks allowed), int, date or bool.
MENTION_FIELDS: dict[str, dict[str, str]] = {
    "children": {"name": "str", "dob": "date"},
    "persons": {"name": "str", "nickname": "str", "age_estimate": "int", "description": "text"},
    "vehicles": {"plate": "str", "make": "str", "colour": "str"},
    "phones": {"number": "str"},
    "online": {"platform": "str", "username": "str"},
    "locations": {"name": "str", "address": "text", "postcode": "str", "business": "bool"},
}
# Where a field's name in the format differs from the model's.
MODEL_FIELD = {"from": "from_ref", "to": "to_ref"}
REF_PREFIX = {
    "children": "c",
    "persons": "p",
    "vehicles": "v",
    "phones": "t",
    "online": "u",
    "locations": "l",
}
REPORT_FIELDS = ("id", "source", "submitted_at", "observed_at", "how_known", "text")
LISTS = (*MENTION_FIELDS, "links")
KNOWN_KEYS = frozenset((*REPORT_FIELDS, *LISTS))
MODEL_FOR_LIST: dict[str, type[Mention]] = {m.interchange_list: m for m in MENTION_MODELS}

# A line's limit, in bytes of UTF-8: a report with the longest text and dozens of mentions is a
# few hundred kilobytes, so anything longer is a partner system's mistake, not a report.
LINE_MAX_BYTES = 2_000_000
# How deep unknown fields may nest lists and objects: deep enough for any real record, and far
# from the depth at which encoding them for the database would run out of stack.
NESTING_MAX = 32
# The years a date may fall in: a year like 0001 or 9999 is a slip, and cannot be moved between
# time zones without leaving the calendar.
YEARS = range(1900, 2101)
_BOM = "\ufeff"


class LineError(ValueError):
    """Why a line cannot be imported, in words for the person running the import."""


@dataclass
class ParsedReport:
    source: str
    external_id: str
    submitted_at: dt.datetime | None
    observed_at: dt.datetime | None
    observed_time_known: bool
    how_known: str
    text: str
    extra: dict[str, Any]
    # list name -> [{model field: value, "extra": {...}}]
    mentions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    links: list[dict[str, Any]] = field(default_factory=list)
    content_hash: str = ""


def _max_length(model: type[Any], name: str) -> int | None:
    """The field's limit, from its validators (a TextField's is only there)."""
    field = model._meta.get_field(name)
    limits = [v.limit_value for v in field.validators if isinstance(v, MaxLengthValidator)]
    return min(limits, default=None)


def _string(value: Any, where: str, max_length: int | None, *, multiline: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise LineError(f"{where} must be text")
    text = str(value).strip()
    if max_length is not None and len(text) > max_length:
        raise LineError(f"{where} is longer than {max_length:,} characters")
    problem = refused_character(text, multiline=multiline)
    if problem:
        raise LineError(f"{where} {problem}")
    return text


def _in_years(value: dt.date, where: str) -> None:
    if value.year not in YEARS:
        raise LineError(f"{where} must be between {YEARS[0]} and {YEARS[-1]}")


def _datetime(value: Any, where: str) -> tuple[dt.datetime | None, bool]:
    """A date and time (ISO 8601), or a date alone (time not known). Naive means UK time."""
    if value in (None, ""):
        return None, True
    if not isinstance(value, str):
        raise LineError(f"{where} must be a date and time like 2026-03-01T14:20:00Z")
    try:
        # A date alone first: parse_datetime would read "2026-02-28" as midnight, known.
        day = dateparse.parse_date(value) if len(value.strip()) == 10 else None
        parsed = None if day else dateparse.parse_datetime(value)
    except ValueError:
        parsed = day = None
    if day is not None:
        _in_years(day, where)
        return timezone.make_aware(dt.datetime.combine(day, dt.time())), False
    if parsed is None:
        raise LineError(f"{where} is not a date and time like 2026-03-01T14:20:00Z")
    _in_years(parsed, where)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed, True


def _date(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        parsed = dateparse.parse_date(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise LineError(f"{where} is not a date like 2011-04-02")
    _in_years(parsed, where)
    return parsed


def _int(value: Any, where: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise LineError(f"{where} must be a whole number")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,3}", value.strip()):
        value = int(value.strip())
    if not isinstance(value, int) or not 0 <= value <= 130:
        raise LineError(f"{where} must be a whole number from 0 to 130")
    return value


def _bool(value: Any, where: str) -> bool:
    if value in (None, ""):
        return False
    if isinstance(value, bool):
        return value
    raise LineError(f"{where} must be true or false")


def _entries(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    value = data.get(name)
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise LineError(f"`{name}` must be a list")
    for index, entry in enumerate(value):
        if not isinstance(entry, dict):
            raise LineError(f"`{name}[{index}]` must be an object")
    return value


def content_hash(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def lines_read(stream: IO[bytes]) -> Iterator[bytes]:
    """The lines of a file as bytes, for `report_parse` to decode one by one.

    A line longer than LINE_MAX_BYTES is cut just past the limit and the rest of it passed over
    unread, so `report_parse` refuses it without the whole of it ever being in memory.
    """
    while line := stream.readline(LINE_MAX_BYTES + 2):
        if len(line) > LINE_MAX_BYTES + 1 and not line.endswith(b"\n"):
            while (rest := stream.readline(LINE_MAX_BYTES)) and not rest.endswith(b"\n"):
                pass
        yield line


def _text(line: str | bytes) -> str:
    """A line as text, without a byte order mark; LineError if it cannot be read as text."""
    if isinstance(line, bytes):
        if len(line.rstrip(b"\r\n")) > LINE_MAX_BYTES:
            raise LineError(f"the line is longer than {LINE_MAX_BYTES:,} bytes")
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as error:
            raise LineError(
                f"not UTF-8 text (byte {error.start + 1:,} of the line cannot be read as UTF-8)"
            ) from None
    else:
        text = line
        # Four bytes at most to a character: only a long line needs counting.
        if len(text) * 4 > LINE_MAX_BYTES and (
            len(text.rstrip("\r\n").encode("utf-8", "surrogatepass")) > LINE_MAX_BYTES
        ):
            raise LineError(f"the line is longer than {LINE_MAX_BYTES:,} bytes")
    return text.removeprefix(_BOM)


def _constant(name: str) -> Any:
    raise LineError(f"not valid JSON ({name} is not a number JSON allows)")


def _finite(number: str) -> float:
    value = float(number)
    if not math.isfinite(value):
        raise LineError("not valid JSON (a number too large to store)")
    return value


def _json(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_constant, parse_float=_finite)
    except json.JSONDecodeError as error:
        raise LineError(f"not valid JSON ({error.msg} at character {error.pos + 1:,})") from None
    except LineError:
        raise
    except RecursionError:
        raise LineError("lists or objects are nested too deeply") from None
    except ValueError:  # an integer with more digits than Python will read
        raise LineError("not valid JSON (a number too large to store)") from None


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")


def _member(path: str, key: str) -> str:
    """`path.key`, with a key that is not a plain word escaped and cut short, so that a message
    never carries control characters, or much of what a partner system put in a key."""
    if _PLAIN_KEY.fullmatch(key):
        return f"{path}.{key}" if path else key
    shown = json.dumps(key[:20])[1:-1] + ("..." if len(key) > 20 else "")
    return f'{path}["{shown}"]'


def _unknown_fields_check(values: dict[str, Any], where: str) -> None:
    """Unknown fields are kept as they came, if the database can store them at all."""
    pending = deque([(where, values, 0)])
    while pending:
        path, value, depth = pending.popleft()
        if depth > NESTING_MAX:
            raise LineError(f"`{path}` has lists or objects nested more than {NESTING_MAX} deep")
        if isinstance(value, str):
            if problem := unstorable_character(value):
                raise LineError(f"`{path}` {problem}")
        elif isinstance(value, list):
            pending += [(f"{path}[{i}]", v, depth + 1) for i, v in enumerate(value)]
        elif isinstance(value, dict):
            for key, item in value.items():
                if problem := unstorable_character(key):
                    raise LineError(f"the name of the field `{_member(path, key)}` {problem}")
                pending.append((_member(path, key), item, depth + 1))


def report_parse(line: str | bytes) -> ParsedReport:
    """One line of the format; raises LineError saying what is wrong, naming fields but never
    their values."""
    data = _json(_text(line))
    if not isinstance(data, dict):
        raise LineError("a report must be a JSON object, {...}")
    external_id = _string(data.get("id"), "`id`", _max_length(IntelligenceReport, "external_id"))
    source = _string(data.get("source"), "`source`", _max_length(IntelligenceReport, "source"))
    if not external_id:
        raise LineError("`id` is missing or empty")
    if not source:
        raise LineError("`source` is missing or empty")
    submitted_at, _ = _datetime(data.get("submitted_at"), "`submitted_at`")
    observed_at, time_known = _datetime(data.get("observed_at"), "`observed_at`")
    how_known = _string(data.get("how_known"), "`how_known`", None) or HowKnown.NOT_RECORDED
    if how_known not in HowKnown.values:
        raise LineError(f"`how_known` must be one of {', '.join(HowKnown.values)}")
    text = _string(
        data.get("text"), "`text`", _max_length(IntelligenceReport, "text"), multiline=True
    )
    parsed = ParsedReport(
        source=source,
        external_id=external_id,
        submitted_at=submitted_at,
        observed_at=observed_at,
        observed_time_known=time_known,
        how_known=how_known,
        text=text,
        extra={k: v for k, v in data.items() if k not in KNOWN_KEYS},
    )
    used_refs: dict[str, str] = {}  # ref -> the entry that has it ("persons[0]")
    for list_name, fields in MENTION_FIELDS.items():
        model = MODEL_FOR_LIST[list_name]
        rows = []
        for index, entry in enumerate(_entries(data, list_name)):
            where = f"`{list_name}[{index}]"
            ref = _string(entry.get("ref"), f"{where}.ref`", _max_length(model, "ref"))
            if ref and ref in used_refs:
                raise LineError(f"{where}.ref` repeats the ref of `{used_refs[ref]}`")
            if "/" in ref:
                # A mention is known by `<report id>/<ref>`: a slash in the ref would let two
                # reports' mentions share an id ("A/B" + "c" and "A" + "B/c").
                raise LineError(f"{where}.ref` must not contain a slash (/)")
            row: dict[str, Any] = {"ref": ref}
            for name, kind in fields.items():
                value = entry.get(name)
                label = f"{where}.{name}`"
                if kind in ("str", "text"):
                    limit = _max_length(model, name)
                    row[name] = _string(value, label, limit, multiline=kind == "text")
                elif kind == "int":
                    row[name] = _int(value, label)
                elif kind == "date":
                    row[name] = _date(value, label)
                else:
                    row[name] = _bool(value, label)
            row["extra"] = {k: v for k, v in entry.items() if k not in fields and k != "ref"}
            _unknown_fields_check(row["extra"], f"{list_name}[{index}]")
            if ref:
                used_refs[ref] = f"{list_name}[{index}]"
            rows.append(row)
        parsed.mentions[list_name] = rows
    # A mention without a ref gets the first free one of its list's letter ("p3").
    for list_name, rows in parsed.mentions.items():
        number = 0
        for row in rows:
            while not row["ref"]:
                number += 1
                candidate = f"{REF_PREFIX[list_name]}{number}"
                if candidate not in used_refs:
                    row["ref"] = candidate
                    used_refs[candidate] = list_name
    for index, entry in enumerate(_entries(data, "links")):
        where = f"`links[{index}]"
        link: dict[str, Any] = {
            "from_ref": _string(
                entry.get("from"), f"{where}.from`", _max_length(MentionLink, "from_ref")
            ),
            "to_ref": _string(entry.get("to"), f"{where}.to`", _max_length(MentionLink, "to_ref")),
            "kind": _string(entry.get("kind"), f"{where}.kind`", _max_length(MentionLink, "kind")),
            "extra": {k: v for k, v in entry.items() if k not in ("from", "to", "kind")},
        }
        for end in ("from", "to"):
            # A link joins two mentions of this report: a ref that names none would be a link
            # to nothing (the ref itself is not repeated: it may be something written by hand).
            if link[f"{end}_ref"] and link[f"{end}_ref"] not in used_refs:
                raise LineError(f"{where}.{end}` names no entry of this report by its ref")
        _unknown_fields_check(link["extra"], f"links[{index}]")
        parsed.links.append(link)
    _unknown_fields_check(parsed.extra, "")
    # Last: only a line known to be storable can be encoded for its hash.
    parsed.content_hash = content_hash(data)
    return parsed


def _datetime_text(value: dt.datetime | None, time_known: bool = True) -> str:
    if value is None:
        return ""
    if not time_known:
        return timezone.localtime(value).date().isoformat()
    utc = value.astimezone(dt.UTC).replace(microsecond=0)
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")


def _mention_entry(mention: Mention, list_name: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"ref": mention.ref}
    for name, kind in MENTION_FIELDS[list_name].items():
        value = getattr(mention, name)
        if kind == "date":
            value = value.isoformat() if value else ""
        entry[name] = value
    entry.update({k: v for k, v in mention.extra.items() if k not in entry})
    return entry


def report_serialise(report: IntelligenceReport) -> dict[str, Any]:
    """A stored report as one line of the format (a dict for json.dumps).

    Expects the mention lists and links prefetched. Every known field is written, empty or
    not; unknown fields kept from an import follow the known ones, as they came.
    """
    data: dict[str, Any] = {
        "id": report.external_id,
        "source": report.source,
        "submitted_at": _datetime_text(report.submitted_at),
        "observed_at": _datetime_text(report.observed_at, report.observed_time_known),
        "text": report.text,
    }
    if report.how_known != HowKnown.NOT_RECORDED:  # not in the format; written only when known
        data["how_known"] = report.how_known
    for model in MENTION_MODELS:
        list_name = model.interchange_list
        data[list_name] = [_mention_entry(m, list_name) for m in getattr(report, list_name).all()]
    data["links"] = [
        {"from": link.from_ref, "to": link.to_ref, "kind": link.kind, **link.extra}
        for link in report.links.all()
    ]
    data.update({k: v for k, v in report.extra.items() if k not in data})
    return data
