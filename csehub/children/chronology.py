"""One chronology per child, built from entries other apps contribute.

Each app registers a source: a function (child, user) -> entries, which returns only what that
user may see (the source applies its own selectors). Concerns, indicators and assessments come
from the concerns app; referrals, decisions and disclosures from theirs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from csehub.accounts.models import User
from csehub.registry import Registry

from .models import Child


@dataclass(frozen=True)
class ChronologyEntry:
    at: dt.datetime  # when it happened (aware); for approximate dates, the far end
    kind: str  # a stable code: "concern", "indicator", "assessment", "referral", ...
    kind_label: str  # how the kind reads on the page: "Concern raised"
    title: str
    summary: str = ""
    url: str = ""
    agency: str = ""
    approximate: bool = False  # the date is an estimate ("roughly when") or has no time of day
    # For an estimate, the latest it can have been (a sign seen "in the last week" was seen
    # between `at` and the day it was recorded).
    approximate_until: dt.datetime | None = None

    @property
    def when_text(self) -> str:
        """The date as the chronology shows it: "6 Dec 2026", or for an estimated one
        "Between 29 Nov and 6 Dec 2026"."""
        start = timezone.localdate(self.at)
        if self.approximate_until is None:
            return _short_date(start)
        end = timezone.localdate(self.approximate_until)
        if end <= start:
            return _short_date(start)
        if start.year == end.year:
            return f"Between {start.day} {start:%b} and {_short_date(end)}"
        return f"Between {_short_date(start)} and {_short_date(end)}"


def _short_date(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


ChronologySource = Callable[[Child, User], list[ChronologyEntry]]

_sources = Registry[ChronologySource]("chronology sources")

# Labels for the kind filter; apps add theirs with register_chronology_kind.
KIND_LABELS: dict[str, str] = {}


def register_chronology_source(source: ChronologySource) -> ChronologySource:
    """Add a source (usable as a decorator). Registering the same one twice is harmless."""
    return _sources.register(source)


def register_chronology_kind(kind: str, label: str) -> None:
    KIND_LABELS[kind] = label


def chronology_for(
    *,
    child: Child,
    user: User,
    kinds: list[str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[ChronologyEntry]:
    """The child's chronology as the user may see it, oldest first, optionally narrowed to
    some kinds and to a period (both ends included)."""
    entries: list[ChronologyEntry] = []
    for source in _sources:
        entries.extend(source(child, user))
    if kinds:
        entries = [e for e in entries if e.kind in kinds]
    if start is not None:
        entries = [e for e in entries if timezone.localdate(e.at) >= start]
    if end is not None:
        entries = [e for e in entries if timezone.localdate(e.at) <= end]
    return sorted(entries, key=lambda e: (e.at, e.kind, e.title))
