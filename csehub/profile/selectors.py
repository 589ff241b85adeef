"""The problem profile: what the partnership's records add up to over a period, as counts.

Every figure is a count of records the partnership holds, never a record itself. Counts from
1 to 4 are shown as "<5" (SUPPRESS_BELOW), on the page and in every export, so that no child
can be picked out of a small number. A safeguarding lead sees their own agency's figures; the
partnership's people see the partnership's, or one agency's.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from csehub.access.permissions import Permission, Scope, scope_for
from csehub.accounts.models import Agency, User
from csehub.children.models import CareStatus, Child, Disability, Ethnicity, Gender
from csehub.concerns.models import (
    Concern,
    ConcernLocation,
    ConcernStatus,
    IndicatorObservation,
    RiskAssessment,
    RiskLevel,
)
from csehub.intelligence.models import IntelligenceReport, LocationMention
from csehub.linking.models import Alert, Entity
from csehub.missing.models import InterviewStatus, MissingEpisode, ReturnInterview
from csehub.referrals.models import Referral

SUPPRESS_BELOW = 5
HOTSPOTS = 15  # the places on the map and in its table
NOT_RECORDED = "Not recorded"


def shown(value: int) -> str:
    """A count as published: 1 to 4 read "<5"."""
    return "<5" if 0 < value < SUPPRESS_BELOW else f"{value:,}"


@dataclass(frozen=True)
class Row:
    label: str
    counts: tuple[int, ...]

    @property
    def shown(self) -> tuple[str, ...]:
        return tuple(shown(c) for c in self.counts)


@dataclass(frozen=True)
class Table:
    key: str  # for the CSV: "activity", "risk_levels", ...
    title: str
    columns: tuple[str, ...]  # the first names the row labels
    rows: tuple[Row, ...]
    note: str = ""
    # How the page draws it (charts.py): "bars" for one column, "lines" over months, "grid"
    # for day by time, "map" for postcodes. The table beside it always holds the figures.
    chart: str = "bars"


CHART_WIDTH = 300  # pixels for the largest bar


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str
    width: int  # 0 for a suppressed or empty count: a bar would tell its size
    y: int


def table_bars(table: Table) -> list[Bar]:
    """The bars of a one-column table's chart, drawn on the server as SVG (nothing from a
    CDN); the table beside it holds the same figures."""
    if len(table.columns) != 2 or not table.rows:
        return []
    largest = max(row.counts[0] for row in table.rows)
    return [
        Bar(
            label=row.label,
            shown=row.shown[0],
            width=round(CHART_WIDTH * row.counts[0] / largest)
            if largest and row.counts[0] >= SUPPRESS_BELOW
            else 0,
            y=index * 28,
        )
        for index, row in enumerate(table.rows)
    ]


@dataclass(frozen=True)
class Profile:
    start: dt.date
    end: dt.date
    agency: Agency | None
    tables: tuple[Table, ...] = field(default_factory=tuple)


def profile_agencies(*, user: User) -> QuerySet[Agency]:
    """The agencies whose figures the user may filter to."""
    scope = scope_for(user, Permission.VIEW_PROBLEM_PROFILE)
    if scope is None or user.agency_id is None:
        return Agency.objects.none()
    agencies = Agency.objects.filter(partnership_id=user.partnership_id)
    return agencies if scope == Scope.ALL else agencies.filter(pk=user.agency_id)


def _window(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    begin = timezone.make_aware(dt.datetime.combine(start, dt.time()))
    finish = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    return begin, finish


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def _by_month(found: QuerySet, field_name: str) -> dict[dt.date, int]:
    rows = found.annotate(month=TruncMonth(field_name)).values("month").annotate(n=Count("pk"))
    out: dict[dt.date, int] = {}
    for row in rows:
        month = row["month"]
        day = month.date() if isinstance(month, dt.datetime) else month
        out[day] = out.get(day, 0) + row["n"]
    return out


def profile_for(
    *, user: User, start: dt.date, end: dt.date, agency: Agency | None = None
) -> Profile:
    """The profile of the period (both days included), for the partnership or one agency
    (a safeguarding lead always gets their own agency's)."""
    scope = scope_for(user, Permission.VIEW_PROBLEM_PROFILE)
    if scope is None or user.agency_id is None:
        return Profile(start=start, end=end, agency=None)
    if scope != Scope.ALL:
        agency = user.agency
    elif agency is not None and agency.partnership_id != user.partnership_id:
        return Profile(start=start, end=end, agency=None)
    return partnership_profile_unchecked(
        partnership_id=user.partnership_id, start=start, end=end, agency=agency
    )


def partnership_profile_unchecked(
    *, partnership_id: int, start: dt.date, end: dt.date, agency: Agency | None = None
) -> Profile:
    """The profile without asking who wants it: for `csehub report board`, run by whoever
    runs the service."""
    begin, finish = _window(start, end)
    concerns = Concern.objects.filter(
        child__partnership_id=partnership_id,
        status=ConcernStatus.SUBMITTED,
        submitted_at__gte=begin,
        submitted_at__lt=finish,
    )
    referrals = Referral.objects.filter(
        partnership_id=partnership_id, submitted_at__gte=begin, submitted_at__lt=finish
    )
    reports = IntelligenceReport.objects.filter(
        partnership_id=partnership_id, received_at__gte=begin, received_at__lt=finish
    )
    episodes = MissingEpisode.objects.filter(
        partnership_id=partnership_id, last_seen_at__gte=begin, last_seen_at__lt=finish
    )
    if agency is not None:
        concerns = concerns.filter(agency=agency)
        referrals = referrals.filter(concern__agency=agency)
        reports = reports.filter(agency=agency)
        episodes = episodes.filter(agency=agency)
    children = Child.objects.filter(pk__in=concerns.values("child_id"))
    tables = [
        _activity(start, end, concerns, referrals, reports),
        _risk_levels(concerns),
        _indicators(concerns, begin, finish),
        _missing(episodes),
        _when(concerns),
        _where(concerns, reports),
        # The network is the partnership's: it has no agency to filter by.
        *([_network(partnership_id, begin, finish)] if agency is None else []),
        *_demographics(children, end),
    ]
    return Profile(start=start, end=end, agency=agency, tables=tuple(tables))


def _activity(
    start: dt.date,
    end: dt.date,
    concerns: QuerySet[Concern],
    referrals: QuerySet[Referral],
    reports: QuerySet[IntelligenceReport],
) -> Table:
    c, r, i = (
        _by_month(concerns, "submitted_at"),
        _by_month(referrals, "submitted_at"),
        _by_month(reports, "received_at"),
    )
    rows = [
        Row(f"{month:%B %Y}", (c.get(month, 0), r.get(month, 0), i.get(month, 0)))
        for month in _months(start, end)
    ]
    return Table(
        "activity",
        "Concerns, referrals and intelligence over time",
        ("Month", "Concerns", "Referrals", "Intelligence reports"),
        tuple(rows),
        chart="lines",
    )


def _risk_levels(concerns: QuerySet[Concern]) -> Table:
    """Each child's latest assessment from the period's concerns, with any judgement on it."""
    latest = RiskAssessment.objects.filter(concern__in=concerns, concern__child=OuterRef("pk"))
    latest = latest.order_by("-created_at", "-pk")
    levels = (
        Child.objects.filter(pk__in=concerns.values("child_id"))
        .annotate(
            computed=Subquery(latest.values("computed_level")[:1]),
            judged=Subquery(latest.values("judgement_level")[:1]),
        )
        .values_list("computed", "judged")
    )
    counted = Counter((judged or computed or "") for computed, judged in levels)
    rows = [Row(level.label, (counted.get(level.value, 0),)) for level in reversed(RiskLevel)]
    rows.append(Row("No risk assessment", (counted.get("", 0),)))
    return Table(
        "risk_levels",
        "Risk levels of the children concerned",
        ("Latest level", "Children"),
        tuple(rows),
        note="The latest assessment of each child with a concern in the period, or the "
        "professional judgement made on it.",
    )


def _indicators(concerns: QuerySet[Concern], begin: dt.datetime, finish: dt.datetime) -> Table:
    seen = (
        IndicatorObservation.objects.filter(assessment__concern__in=concerns)
        .values("item__label", "item__vocabulary__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "item__label")[:12]
    )
    return Table(
        "indicators",
        "The signs recorded most often",
        ("Sign", "Times recorded"),
        tuple(Row(f"{s['item__label']} ({s['item__vocabulary__name']})", (s["n"],)) for s in seen),
    )


def _missing(episodes: QuerySet[MissingEpisode]) -> Table:
    interviews = ReturnInterview.objects.filter(episode__in=episodes)
    statuses = Counter(interviews.values_list("status", flat=True))
    in_time = interviews.filter(offered_at__lte=F("due_by")).count()
    now = timezone.now()
    rows = (
        Row("Missing episodes", (episodes.count(),)),
        Row("Children who went missing", (episodes.values("child_id").distinct().count(),)),
        Row("Return interviews offered within 72 hours", (in_time,)),
        Row("Return interviews held", (statuses.get(InterviewStatus.DONE, 0),)),
        Row("Declined by the child", (statuses.get(InterviewStatus.DECLINED, 0),)),
        Row("Not possible", (statuses.get(InterviewStatus.NOT_POSSIBLE, 0),)),
        Row(
            "Not offered and now overdue",
            (interviews.filter(status=InterviewStatus.DUE, due_by__lt=now).count(),),
        ),
    )
    return Table("missing", "Missing episodes and return interviews", ("", "Number"), rows)


DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
BANDS = ("00:00 to 05:59", "06:00 to 11:59", "12:00 to 17:59", "18:00 to 23:59")


def _when(concerns: QuerySet[Concern]) -> Table:
    """When what was seen happened: day of the week by time of day."""
    grid: Counter[tuple[int, int]] = Counter()
    unknown_time: Counter[int] = Counter()
    for day, time in concerns.exclude(observed_on=None).values_list("observed_on", "observed_time"):
        if day is None:
            continue
        if time is None:
            unknown_time[day.weekday()] += 1
        else:
            grid[(day.weekday(), time.hour // 6)] += 1
    rows = tuple(
        Row(name, (*(grid[(d, b)] for b in range(4)), unknown_time[d]))
        for d, name in enumerate(DAYS)
    )
    return Table(
        "when",
        "When what was seen happened",
        ("Day", *BANDS, "Time not known"),
        rows,
        chart="grid",
    )


def _where(concerns: QuerySet[Concern], reports: QuerySet[IntelligenceReport]) -> Table:
    """The postcodes named most often, in concerns and in intelligence reports."""
    in_concerns = Counter(
        dict(
            ConcernLocation.objects.filter(concern__in=concerns)
            .exclude(postcode="")
            .values("postcode")
            .annotate(n=Count("concern", distinct=True))
            .values_list("postcode", "n")
        )
    )
    in_reports = Counter(
        dict(
            LocationMention.objects.filter(report__in=reports)
            .exclude(postcode_normalised="")
            .values("postcode_normalised")
            .annotate(n=Count("report", distinct=True))
            .values_list("postcode_normalised", "n")
        )
    )
    named = sorted(
        set(in_concerns) | set(in_reports),
        key=lambda code: (-(in_concerns[code] + in_reports[code]), code),
    )[:HOTSPOTS]
    return Table(
        "where",
        "Places named most often",
        ("Postcode", "Concerns", "Intelligence reports"),
        tuple(Row(code, (in_concerns[code], in_reports[code])) for code in named),
        note="By postcode, from the places named in concerns and in intelligence reports.",
        chart="map",
    )


def _network(partnership_id: int, begin: dt.datetime, finish: dt.datetime) -> Table:
    entities = Counter(
        Entity.objects.filter(partnership_id=partnership_id, assignments__isnull=False)
        .distinct()
        .values_list("entity_type", flat=True)
    )
    alerts = Alert.objects.filter(
        partnership_id=partnership_id, created_at__gte=begin, created_at__lt=finish
    ).aggregate(
        second=Count("pk", filter=Q(kind="links_second_child")),
        mace=Count("pk", filter=Q(kind="links_mace_person")),
    )
    rows = [
        Row(f"{ENTITY_KINDS.get(kind, kind)} known", (n,)) for kind, n in sorted(entities.items())
    ]
    rows += [
        Row("New links to a second child", (alerts["second"],)),
        Row("New links to a person on the MACE list", (alerts["mace"],)),
    ]
    return Table(
        "network",
        "The network's shape",
        ("", "Number"),
        tuple(rows),
        note="Entities across the partnership as the linking engine holds them today; alerts "
        "raised in the period.",
    )


ENTITY_KINDS = {
    "child": "Children",
    "person": "People",
    "vehicle": "Vehicles",
    "phone": "Phones",
    "online": "Online accounts",
    "location": "Places",
}
AGE_BANDS = ((0, 9, "Under 10"), (10, 12, "10 to 12"), (13, 15, "13 to 15"), (16, 17, "16 to 17"))


def _demographics(children: QuerySet[Child], on: dt.date) -> list[Table]:
    """Who the children concerned are. "Not recorded" is a finding about the records."""
    found = list(children)
    ages: Counter[str] = Counter()
    for child in found:
        age = child.age_on(on)
        label = (
            NOT_RECORDED
            if age is None
            else next((name for low, high, name in AGE_BANDS if low <= age <= high), "18 or over")
        )
        ages[label] += 1

    def table(key: str, title: str, values: list[str], choices: dict[str, str]) -> Table:
        counted = Counter(values)
        rows = [
            Row(label, (counted.get(value, 0),))
            for value, label in choices.items()
            if value != "not_recorded"
        ]
        rows.append(Row(NOT_RECORDED, (counted.get("not_recorded", 0),)))
        return Table(key, title, ("", "Children"), tuple(rows))

    age_rows = [Row(name, (ages.get(name, 0),)) for _, _, name in AGE_BANDS]
    age_rows += [
        Row("18 or over", (ages.get("18 or over", 0),)),
        Row(NOT_RECORDED, (ages.get(NOT_RECORDED, 0),)),
    ]
    return [
        Table("age", "Age of the children concerned", ("", "Children"), tuple(age_rows)),
        table("gender", "Gender", [c.gender for c in found], dict(Gender.choices)),
        table("ethnicity", "Ethnicity", [c.ethnicity for c in found], dict(Ethnicity.choices)),
        table("disability", "Disability", [c.disability for c in found], dict(Disability.choices)),
        table(
            "care_status", "Care status", [c.care_status for c in found], dict(CareStatus.choices)
        ),
    ]
