"""The rating scheme of the risk identification tool: data in, a level and its reasons out.

`risk_rate` is a pure function of the scheme, the observations and the day they are counted
from, so the same inputs always give the same answer and every point can be explained.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .models import RiskLevel

RATING_DIR = Path(__file__).resolve().parent / "data" / "rating"
DEFAULT_SCHEME = "default"

LEVEL_ORDER = [
    RiskLevel.NO_INDICATORS_RECORDED,
    RiskLevel.EMERGING_RISK,
    RiskLevel.SIGNIFICANT_RISK,
    RiskLevel.HIGH_RISK,
]
ROLES = ("indicator", "vulnerability", "context")


class SchemeError(ValueError):
    """A rating scheme file that cannot be used, with the reason."""


@dataclass(frozen=True)
class AgeBand:
    up_to_days: int | None  # None: no upper limit
    points: int
    label: str


@dataclass(frozen=True)
class SignificantBand:
    up_to_days: int | None
    level: RiskLevel


@dataclass(frozen=True)
class Scheme:
    slug: str
    version: int
    name: str
    description: str
    vocabularies: dict[str, str]  # vocabulary code -> indicator / vulnerability / context
    vulnerability_points: int
    vulnerability_cap: int
    age_bands: tuple[AgeBand, ...]
    unknown_age_points: int
    significant: tuple[SignificantBand, ...]
    unknown_age_significant_level: RiskLevel
    thresholds: dict[RiskLevel, int]
    # Signs that are a sexual offence against the child ("vocabulary.code"): with the child in
    # immediate danger, any one of them sets `danger_offence_level` on its own.
    danger_offence_signs: frozenset[str] = frozenset()
    danger_offence_level: RiskLevel = RiskLevel.HIGH_RISK

    def role_of(self, vocabulary: str) -> str | None:
        return self.vocabularies.get(vocabulary)


@dataclass(frozen=True)
class RatedObservation:
    """What the scheme needs to know about one ticked indicator."""

    vocabulary: str
    code: str
    label: str
    significant: bool
    # The day it was seen, exact or estimated from "roughly when"; None: not sure when.
    seen_on: dt.date | None
    key: object = None  # handed back in the reason, e.g. the observation's id


@dataclass(frozen=True)
class Reason:
    observation: RatedObservation
    points: int
    counted: bool
    significant: bool
    explanation: str


@dataclass(frozen=True)
class Rating:
    level: RiskLevel
    points: int
    reasons: tuple[Reason, ...]
    scheme_slug: str
    scheme_version: int
    # The level the points alone give; `level` is higher when a sign set it on its own.
    points_level: RiskLevel = RiskLevel.NO_INDICATORS_RECORDED

    @property
    def set_by_signs(self) -> tuple[Reason, ...]:
        """The signs that set the level on their own, when the points alone give less."""
        if LEVEL_ORDER.index(self.level) <= LEVEL_ORDER.index(self.points_level):
            return ()
        return tuple(r for r in self.reasons if r.significant)


def _level(value: Any, where: str) -> RiskLevel:
    try:
        return RiskLevel(value)
    except ValueError:
        raise SchemeError(f"{where}: unknown level {value!r}") from None


def _days(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or value < 0:
        raise SchemeError(f"{where}: up_to_days must be a whole number of days or null")
    return value


def scheme_from_dict(data: dict[str, Any], *, slug: str) -> Scheme:
    try:
        vocabularies = {str(k): str(v) for k, v in data["vocabularies"].items()}
        for code, role in vocabularies.items():
            if role not in ROLES:
                raise SchemeError(f"vocabulary {code}: role must be one of {', '.join(ROLES)}")
        bands = tuple(
            AgeBand(_days(b["up_to_days"], f"age band {i + 1}"), int(b["points"]), str(b["label"]))
            for i, b in enumerate(data["age_bands"])
        )
        significant = tuple(
            SignificantBand(
                _days(b["up_to_days"], f"significant band {i + 1}"),
                _level(b["level"], f"significant band {i + 1}"),
            )
            for i, b in enumerate(data["significant"])
        )
        thresholds = {_level(k, "thresholds"): int(v) for k, v in data["thresholds"].items()}
        scheme = Scheme(
            slug=str(data.get("scheme", slug)),
            version=int(data["version"]),
            name=str(data["name"]),
            description=str(data.get("description", "")),
            vocabularies=vocabularies,
            vulnerability_points=int(data["vulnerabilities"]["points_each"]),
            vulnerability_cap=int(data["vulnerabilities"]["cap"]),
            age_bands=bands,
            unknown_age_points=int(data["unknown_age_points"]),
            significant=significant,
            unknown_age_significant_level=_level(
                data["unknown_age_significant_level"], "unknown_age_significant_level"
            ),
            thresholds=thresholds,
            danger_offence_signs=frozenset(
                str(code) for code in (data.get("immediate_danger") or {}).get("offence_signs", [])
            ),
            danger_offence_level=_level(
                (data.get("immediate_danger") or {}).get("level", RiskLevel.HIGH_RISK.value),
                "immediate_danger.level",
            ),
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise SchemeError(f"rating scheme {slug}: missing or malformed {error}") from None
    for name, bands_ in (("age_bands", scheme.age_bands), ("significant", scheme.significant)):
        if not bands_ or bands_[-1].up_to_days is not None:
            raise SchemeError(f"{name}: the last band must have up_to_days: null")
    return scheme


def scheme_load(slug: str = DEFAULT_SCHEME) -> Scheme:
    """The partnership's scheme when it has published one, otherwise the default."""
    path = RATING_DIR / f"{slug}.yaml"
    if not path.exists():
        path = RATING_DIR / f"{DEFAULT_SCHEME}.yaml"
        slug = DEFAULT_SCHEME
    return scheme_from_dict(yaml.safe_load(path.read_text(encoding="utf-8")), slug=slug)


def _band(bands: Sequence[Any], days: int) -> Any:
    for band in bands:
        if band.up_to_days is None or days <= band.up_to_days:
            return band
    return bands[-1]


def _when(days: int | None) -> str:
    if days is None:
        return "when it was seen is not known"
    if days <= 7:
        return "seen in the last week"
    if days <= 31:
        return "seen in the last month"
    months = round(days / 30.4)
    if months < 12:
        return f"seen about {months} months ago"
    years = round(days / 365)
    return f"seen about {years} year{'s' if years != 1 else ''} ago"


def points_level(scheme: Scheme, points: int, *, counted_any: bool) -> RiskLevel:
    """The level the points alone give: emerging at least once anything counts."""
    if not counted_any:
        return RiskLevel.NO_INDICATORS_RECORDED
    level = RiskLevel.EMERGING_RISK
    for candidate in LEVEL_ORDER[1:]:
        if points >= scheme.thresholds.get(candidate, 10**9):
            level = candidate
    return level


def _higher(a: RiskLevel, b: RiskLevel) -> RiskLevel:
    return a if LEVEL_ORDER.index(a) >= LEVEL_ORDER.index(b) else b


def risk_rate(
    scheme: Scheme,
    observations: Sequence[RatedObservation],
    as_of: dt.date,
    *,
    immediate_danger: bool = False,
) -> Rating:
    """Rate the observations under the scheme as of a day: each indicator's age is counted
    from `as_of`, so the same observations weigh less when rated again later. A child in
    immediate danger with a sign that is a sexual offence against them is at the scheme's
    `danger_offence_level` (high risk) whatever the points."""
    reasons: list[Reason] = []
    points = 0
    floor = RiskLevel.NO_INDICATORS_RECORDED
    vulnerability_points = 0
    counted_any = False

    for obs in observations:
        role = scheme.role_of(obs.vocabulary)
        days_ago = None if obs.seen_on is None else max((as_of - obs.seen_on).days, 0)
        when = _when(days_ago)
        if role == "vulnerability":
            room = scheme.vulnerability_cap - vulnerability_points
            add = max(min(scheme.vulnerability_points, room), 0)
            vulnerability_points += add
            points += add
            counted_any = True
            if add:
                text = (
                    f"Vulnerability factor: counts {add} point{'s' if add != 1 else ''} once, "
                    "however long ago"
                )
            else:
                text = (
                    f"Vulnerability factor: recorded, but vulnerabilities count "
                    f"{scheme.vulnerability_cap} points at most"
                )
            reasons.append(Reason(obs, add, bool(add), False, text))
        elif role == "indicator":
            counted_any = True
            if days_ago is None:
                add = scheme.unknown_age_points
                text = f"Indicator, {when}: counts {add} point{'s' if add != 1 else ''}"
            else:
                band = _band(scheme.age_bands, days_ago)
                add = band.points
                text = (
                    f"Indicator, {when}: counts {add} point{'s' if add != 1 else ''} ({band.label})"
                )
            points += add
            significant = obs.significant
            if obs.significant:
                level = (
                    scheme.unknown_age_significant_level
                    if days_ago is None
                    else _band(scheme.significant, days_ago).level
                )
                text += f"; significant on its own, so the level is at least {level.label.lower()}"
                floor = _higher(floor, level)
            if immediate_danger and f"{obs.vocabulary}.{obs.code}" in scheme.danger_offence_signs:
                level = scheme.danger_offence_level
                text += (
                    "; a sexual offence against a child who is in immediate danger, so the level "
                    f"is {level.label.lower()}"
                )
                floor = _higher(floor, level)
                significant = True
            reasons.append(Reason(obs, add, True, significant, text))
        else:
            reasons.append(
                Reason(obs, 0, False, False, "Recorded to describe the concern; it does not count")
            )

    by_points = points_level(scheme, points, counted_any=counted_any)
    return Rating(
        level=_higher(floor, by_points),
        points=points,
        reasons=tuple(reasons),
        scheme_slug=scheme.slug,
        scheme_version=scheme.version,
        points_level=by_points,
    )
