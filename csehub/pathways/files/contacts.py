"""Reading and checking a contacts.yaml file: services, hours, out-of-hours lines, closures."""

from __future__ import annotations

import datetime
from pathlib import Path

from ..directory import (
    END_OF_DAY,
    WEEKDAYS,
    Closure,
    Directory,
    OpeningRange,
    OtherNumber,
    OutOfHours,
    OutOfHoursKind,
    Service,
)
from .common import (
    _RANGE,
    _SLUG,
    ContactsFile,
    PathwayFileError,
    _clean,
    _id_problem,
    _is_int,
    _read_yaml,
    _string_list,
    _text,
)


def _parse_ranges(
    where: str, code: str, day: str, value: object, problems: list[str]
) -> tuple[OpeningRange, ...]:
    texts = _string_list(value)
    if texts is None:
        problems.append(
            f"{where}: service {code!r}: hours for {day} must be ranges like 09:00-17:00"
        )
        return ()
    ranges: list[OpeningRange] = []
    for text in texts:
        match = _RANGE.match(text.strip())
        if not match:
            problems.append(
                f"{where}: service {code!r}: {day} {text!r} is not a range like 09:00-17:00"
            )
            continue
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
            problems.append(f"{where}: service {code!r}: {day} {text!r} is not a real time")
            continue
        opens = datetime.time(h1, m1)
        closes = END_OF_DAY if h2 == 24 else datetime.time(h2, m2)
        if closes <= opens:
            problems.append(f"{where}: service {code!r}: {day} {text!r} closes before it opens")
            continue
        if ranges and opens < ranges[-1].closes:
            problems.append(f"{where}: service {code!r}: {day} ranges overlap or are out of order")
            continue
        ranges.append(OpeningRange(opens=opens, closes=closes))
    return tuple(ranges)


SERVICE_KEYS = {
    "code",
    "name",
    "purpose",
    "phone",
    "other_numbers",
    "email",
    "hours",
    "hours_note",
    "out_of_hours",
    "closed_on_bank_holidays",
}


def _read_service(where: str, index: int, raw: object, problems: list[str]) -> Service | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: service {index + 1}: must be a mapping with a code")
        return None
    code = raw.get("code")
    if (problem := _id_problem(code)) is not None:
        problems.append(f"{where}: service {index + 1} ({code!r}): code {problem}")
        return None
    assert isinstance(code, str)
    before = len(problems)
    unknown = sorted(str(k) for k in raw if k not in SERVICE_KEYS)
    if unknown:
        problems.append(f"{where}: service {code!r}: unknown key(s) {', '.join(unknown)}")
    for key in ("name", "purpose", "phone"):
        if not _text(raw.get(key)):
            problems.append(f"{where}: service {code!r}: {key} must be non-empty text")
    for key in ("email", "hours_note"):
        if key in raw and not isinstance(raw[key], str):
            problems.append(f"{where}: service {code!r}: {key} must be text")
    hours: dict[int, tuple[OpeningRange, ...]] = {}
    raw_hours = raw.get("hours") or {}
    if not isinstance(raw_hours, dict):
        problems.append(f"{where}: service {code!r}: hours must map weekdays to ranges")
        raw_hours = {}
    for day, value in raw_hours.items():
        days = (
            list(range(7))
            if day == "every_day"
            else list(range(5))
            if day == "weekdays"
            else [WEEKDAYS.index(day)]
            if day in WEEKDAYS
            else None
        )
        if days is None:
            problems.append(
                f"{where}: service {code!r}: {day!r} is not a weekday "
                "(monday ... sunday, weekdays or every_day)"
            )
            continue
        ranges = _parse_ranges(where, code, str(day), value, problems)
        for weekday in days:
            hours[weekday] = ranges
    out_of_hours: OutOfHours | None = None
    raw_ooh = raw.get("out_of_hours")
    if raw_ooh is not None:
        kind = raw_ooh.get("kind") if isinstance(raw_ooh, dict) else None
        if not isinstance(raw_ooh, dict) or not _text(raw_ooh.get("number")):
            problems.append(f"{where}: service {code!r}: out_of_hours needs a number")
        elif kind not in OutOfHoursKind._value2member_map_:
            problems.append(
                f"{where}: service {code!r}: out_of_hours kind must be one of "
                f"{', '.join(k.value for k in OutOfHoursKind)}"
            )
        else:
            out_of_hours = OutOfHours(
                number=raw_ooh["number"].strip(),
                kind=OutOfHoursKind(str(kind)),
                description=_clean(raw_ooh.get("description") or ""),
            )
    others: list[OtherNumber] = []
    for other in raw.get("other_numbers") or []:
        if (
            not isinstance(other, dict)
            or not _text(other.get("label"))
            or not _text(other.get("number"))
        ):
            problems.append(f"{where}: service {code!r}: other_numbers need a label and number")
            continue
        others.append(OtherNumber(label=_clean(other["label"]), number=other["number"].strip()))
    closed = raw.get("closed_on_bank_holidays", True)
    if not isinstance(closed, bool):
        problems.append(f"{where}: service {code!r}: closed_on_bank_holidays must be true or false")
    if len(problems) > before:
        return None
    return Service(
        code=code,
        name=_clean(raw["name"]),
        purpose=_clean(raw["purpose"]),
        phone=raw["phone"].strip(),
        email=(raw.get("email") or "").strip(),
        hours=hours,
        hours_note=_clean(raw.get("hours_note") or ""),
        out_of_hours=out_of_hours,
        closed_on_bank_holidays=closed,
        other_numbers=tuple(others),
    )


CONTACTS_KEYS = {"version", "partnership", "services", "closures"}


def contacts_file_read(path: Path) -> ContactsFile:
    """Read and check one contacts file. Raises PathwayFileError naming every bad service."""
    path = Path(path)
    where = path.name if path.parent == Path() else f"{path.parent.name}/{path.name}"
    raw, checksum = _read_yaml(path)
    if not isinstance(raw, dict):
        raise PathwayFileError([f"{where}: must be a mapping with version and services"])
    problems: list[str] = []
    unknown = sorted(str(k) for k in raw if k not in CONTACTS_KEYS)
    if unknown:
        problems.append(f"{where}: unknown key(s) {', '.join(unknown)}")
    version = raw.get("version")
    if not (isinstance(version, int) and _is_int(version) and version >= 1):
        problems.append(f"{where}: version must be a whole number of 1 or more")
    slug = raw.get("partnership")
    if not isinstance(slug, str) or not _SLUG.match(slug):
        problems.append(f"{where}: partnership must be the partnership's slug")
    raw_services = raw.get("services")
    if not isinstance(raw_services, list) or not raw_services:
        problems.append(f"{where}: services must be a list with at least one service")
        raw_services = []
    services: list[Service] = []
    for index, raw_service in enumerate(raw_services):
        service = _read_service(where, index, raw_service, problems)
        if service is None:
            continue
        if any(s.code == service.code for s in services):
            problems.append(f"{where}: service {service.code!r}: the code is used twice")
            continue
        services.append(service)
    closures: list[Closure] = []
    for raw_closure in raw.get("closures") or []:
        day = raw_closure.get("date") if isinstance(raw_closure, dict) else None
        if not isinstance(day, datetime.date) or not _text(raw_closure.get("reason")):
            problems.append(
                f"{where}: each closure needs a date (YYYY-MM-DD) and a reason; got {raw_closure!r}"
            )
            continue
        closures.append(Closure(date=day, reason=_clean(raw_closure["reason"])))
    if problems:
        raise PathwayFileError(problems)
    directory = Directory(
        partnership=slug,  # type: ignore[arg-type]
        version=version,  # type: ignore[arg-type]
        services=tuple(services),
        closures=tuple(sorted(closures, key=lambda c: c.date)),
    )
    return ContactsFile(directory=directory, checksum=checksum)
