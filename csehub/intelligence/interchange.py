"""Reading and writing the exchange format (shared/INTERCHANGE.md): one report per JSON line.

Pure functions: `report_parse` turns one line into a ParsedReport or says exactly what is wrong
with it; `report_serialise` turns a stored report back into a line. The writes are in
services.reports_import, which calls `report_parse` line by line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.utils import dateparse, timezone

from .models import (
    MENTION_MODELS,
    HowKnown,
    IntelligenceReport,
    Mention,
)

# The fields each list's entries may have, with their kind: str, int, date or bool.
MENTION_FIELDS: dict[str, dict[str, str]] = {
    "children": {"name": "str", "dob": "date"},
    "persons": {"name": "str", "nickname": "str", "age_estimate": "int", "description": "str"},
    "vehicles": {"plate": "str", "make": "str", "colour": "str"},
    "phones": {"number": "str"},
    "online": {"platform": "str", "username": "str"},
    "locations": {"name": "str", "address": "str", "postcode": "str", "business": "bool"},
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
    return getattr(model._meta.get_field(name), "max_length", None)


def _string(value: Any, where: str, max_length: int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise LineError(f"{where} must be text")
    text = str(value).strip()
    if max_length is not None and len(text) > max_length:
        raise LineError(f"{where} is longer than {max_length} characters")
    return text


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
    if parsed is None and day is None:
        raise LineError(f"{where} is not a date and time like 2026-03-01T14:20:00Z")
    if parsed is None:
        assert day is not None
        midnight = dt.datetime.combine(day, dt.time())
        return timezone.make_aware(midnight), False
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
    return parsed


def _int(value: Any, where: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise LineError(f"{where} must be a whole number")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
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


def report_parse(line: str) -> ParsedReport:
    """One line of the format; raises LineError saying what is wrong."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise LineError(f"not valid JSON ({error.msg} at character {error.pos + 1})") from None
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
    text = _string(data.get("text"), "`text`", None)
    parsed = ParsedReport(
        source=source,
        external_id=external_id,
        submitted_at=submitted_at,
        observed_at=observed_at,
        observed_time_known=time_known,
        how_known=how_known,
        text=text,
        extra={k: v for k, v in data.items() if k not in KNOWN_KEYS},
        content_hash=content_hash(data),
    )
    used_refs: set[str] = set()
    for list_name, fields in MENTION_FIELDS.items():
        model = MODEL_FOR_LIST[list_name]
        rows = []
        for index, entry in enumerate(_entries(data, list_name)):
            where = f"`{list_name}[{index}]"
            ref = _string(entry.get("ref"), f"{where}.ref`", _max_length(model, "ref"))
            if ref and ref in used_refs:
                raise LineError(f"{where}.ref` repeats the ref {ref!r} of another entry")
            row: dict[str, Any] = {"ref": ref}
            for name, kind in fields.items():
                value = entry.get(name)
                label = f"{where}.{name}`"
                if kind == "str":
                    row[name] = _string(value, label, _max_length(model, name))
                elif kind == "int":
                    row[name] = _int(value, label)
                elif kind == "date":
                    row[name] = _date(value, label)
                else:
                    row[name] = _bool(value, label)
            row["extra"] = {k: v for k, v in entry.items() if k not in fields and k != "ref"}
            used_refs.add(ref)
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
                    used_refs.add(candidate)
    for index, entry in enumerate(_entries(data, "links")):
        where = f"`links[{index}]"
        link = {
            "from_ref": _string(entry.get("from"), f"{where}.from`", 40),
            "to_ref": _string(entry.get("to"), f"{where}.to`", 40),
            "kind": _string(entry.get("kind"), f"{where}.kind`", 100),
            "extra": {k: v for k, v in entry.items() if k not in ("from", "to", "kind")},
        }
        parsed.links.append(link)
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
