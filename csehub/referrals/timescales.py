"""How long each receiving team has to decide, read from data/timescales.yaml.

Working days come from the product's one calendar (deadlines.clocks), which the contact
directory uses too, so "who to call now" and "is it overdue" agree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from csehub.deadlines.clocks import LONDON, to_london, working_days_after

TIMESCALES_FILE = Path(__file__).resolve().parent / "data" / "timescales.yaml"


@dataclass(frozen=True)
class Timescale:
    working_days: int
    describe: str


@dataclass(frozen=True)
class Timescales:
    end_of_working_day: datetime.time
    destinations: dict[str, Timescale]

    def for_destination(self, destination: str) -> Timescale:
        return self.destinations[destination]


def timescales_parse(text: str) -> Timescales:
    """Read a timescales file. Raises ValueError naming the bad entry."""
    data = yaml.safe_load(text) or {}
    try:
        hours, minutes = (int(part) for part in str(data["end_of_working_day"]).split(":"))
        end = datetime.time(hours, minutes)
    except (KeyError, ValueError) as error:
        raise ValueError("end_of_working_day: give a time like 17:00") from error
    destinations: dict[str, Timescale] = {}
    for code, entry in (data.get("destinations") or {}).items():
        days = entry.get("decision_within_working_days")
        if not isinstance(days, int) or days < 0:
            raise ValueError(
                f"destinations.{code}: decision_within_working_days must be a whole number"
            )
        destinations[str(code)] = Timescale(working_days=days, describe=entry.get("describe", ""))
    return Timescales(end_of_working_day=end, destinations=destinations)


@lru_cache(maxsize=1)
def timescales() -> Timescales:
    return timescales_parse(TIMESCALES_FILE.read_text(encoding="utf-8"))


def decision_due(*, destination: str, sent_at: datetime.datetime) -> datetime.datetime:
    """When a referral sent at `sent_at` must have an outcome (aware, London time)."""
    scales = timescales()
    scale = scales.for_destination(destination)
    day = working_days_after(to_london(sent_at).date(), scale.working_days)
    return datetime.datetime.combine(day, scales.end_of_working_day, tzinfo=LONDON)
