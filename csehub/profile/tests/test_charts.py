"""The profile's charts of several columns as a reader would notice them: each series and cell
labelled, no suppressed count drawn at its size, and hotspot postcodes on the offline map."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from csehub.intelligence.services import SharedItems, report_share
from csehub.profile.charts import (
    BAND,
    chart_svg,
    grid_chart,
    grid_geometry,
    line_chart,
    line_geometry,
    map_chart,
    map_geometry,
)
from csehub.profile.marks import Marker, Polygon, Polyline, Rect, Text
from csehub.profile.selectors import Row, Table, profile_for
from csehub.testing.factories import ChildFactory, ConcernFactory

ACTIVITY = Table(
    "activity",
    "Activity",
    ("Month", "Concerns", "Referrals", "Intelligence reports"),
    (
        Row("October 2026", (20, 3, 0)),
        Row("November 2026", (40, 10, 4)),
    ),
    chart="lines",
)


def _points(svg: str, colour: str) -> list[tuple[float, float]]:
    line = re.search(rf'<polyline points="([^"]+)" fill="none" stroke="{colour}"', svg)
    assert line, f"no line in {colour}"
    return [tuple(map(float, pair.split(","))) for pair in line.group(1).split()]  # type: ignore[misc]


def test_a_line_per_series_with_a_legend_and_suppressed_points_in_the_band():
    svg = line_chart(ACTIVITY)
    for name in ("Concerns", "Referrals", "Intelligence reports"):
        assert f">{name}</text>" in svg
    assert "Shaded: 1 to 4, shown as &lt;5 (open markers)" in svg
    concerns = _points(svg, "#1d70b8")
    referrals = _points(svg, "#00703c")
    reports = _points(svg, "#912b88")
    # 3 referrals and 4 reports sit at the same height: the middle of the band, not their own.
    assert referrals[0][1] == reports[1][1]
    # A count of 10 is drawn higher (smaller y) than the band, and 40 higher still.
    assert concerns[1][1] < concerns[0][1] < referrals[1][1] < referrals[0][1]
    # None is drawn on the baseline, below the band's middle.
    assert reports[0][1] > referrals[0][1]
    assert "Oct 26" in svg and "Nov 26" in svg


def test_a_suppressed_point_is_drawn_in_the_middle_of_the_band_not_at_its_height():
    chart = line_geometry(ACTIVITY)
    assert chart is not None
    band = next(
        m for m in chart.marks if isinstance(m, Rect) and m.fill == BAND and m.stroke is None
    )
    middle = band.y + band.height / 2
    referrals = next(m for m in chart.marks if isinstance(m, Polyline) and m.colour == "#00703c")
    (x3, y3), (x10, y10) = referrals.points  # 3 referrals in October, 10 in November
    assert y3 == pytest.approx(middle)
    assert y10 < band.y  # an unsuppressed count is drawn at its own height, above the band
    markers = {(m.x, m.y): m.hollow for m in chart.marks if isinstance(m, Marker)}
    assert markers[(x3, y3)] is True and markers[(x10, y10)] is False
    # The page's SVG is written from the same marks.
    assert _points(line_chart(ACTIVITY), "#00703c") == [
        pytest.approx((x3, y3), abs=0.05),
        pytest.approx((x10, y10), abs=0.05),
    ]


WHEN = Table(
    "when",
    "When",
    ("Day", "Morning", "Evening"),
    (Row("Friday", (30, 3)), Row("Saturday", (0, 12))),
    chart="grid",
)


def test_the_day_by_time_grid_shows_each_cell_as_published():
    svg = grid_chart(WHEN)
    cells = re.findall(r'fill="(#[0-9a-f]+)" stroke="#b1b4b6"/>\s*<text[^>]*>([^<]+)</text>', svg)
    assert cells == [
        ("#1d70b8", "30"),  # the largest: the darkest shade
        ("#f3f2f1", "&lt;5"),  # suppressed: the one grey, whatever the count
        ("#ffffff", "0"),
        ("#8eb8dc", "12"),
    ]
    assert ">Friday</text>" in svg
    chart = grid_geometry(WHEN)
    assert chart is not None
    assert [m.text for m in chart.marks if isinstance(m, Text) and m.anchor == "middle"][2:] == [
        "30",
        "<5",
        "0",
        "12",
    ]


def test_hotspots_are_drawn_offline_with_markers_all_one_size():
    table = Table(
        "where",
        "Places",
        ("Postcode", "Concerns", "Intelligence reports"),
        (
            Row("DN15 6NL", (12, 0)),
            Row("DN15 6BS", (2, 1)),
            Row("FB1 1AA", (7, 0)),  # fictional: not in the directory
        ),
        chart="map",
    )
    svg = map_chart(table)
    assert "<title>DN15 6NL: 12 concerns, 0 intelligence reports</title>" in svg
    assert "<title>DN15 6BS: &lt;5 concerns, &lt;5 intelligence reports</title>" in svg
    assert "FB1 1AA" not in svg
    sizes = {
        round(abs(float(a) - float(b)), 1)
        for a, b in re.findall(
            r'<polygon points="([\d.]+),[\d.]+ ([\d.]+),[^"]*" fill="#f47738"', svg
        )
    }
    assert len(sizes) == 1  # every diamond the same width
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing fetched
    # The PDF's map, drawn from the same layout: two diamonds of one size, labelled.
    chart = map_geometry(table)
    assert chart is not None
    diamonds = [m for m in chart.marks if isinstance(m, Polygon) and m.fill == "#f47738"]
    assert len(diamonds) == 2
    assert len({round(d.points[1][0] - d.points[3][0], 3) for d in diamonds}) == 1
    labels = {m.text for m in chart.marks if isinstance(m, Text)}
    assert {"DN15 6NL", "DN15 6BS"} <= labels and "FB1 1AA" not in labels


def test_a_table_without_a_chart_of_several_columns_draws_nothing():
    assert chart_svg(Table("x", "X", ("", "Number"), (Row("a", (1,)),))) == ""


@pytest.mark.django_db
def test_the_places_table_counts_concerns_and_intelligence_reports(
    partnership_admin, school_practitioner
):
    when = timezone.make_aware(dt.datetime(2026, 11, 10, 12, 0))
    for _ in range(6):
        concern = ConcernFactory(
            raised_by=school_practitioner,
            child=ChildFactory(created_by=school_practitioner),
            submitted_at=when,
        )
        concern.locations.create(name="Bus station", postcode="DN15 6NL")
    with time_machine.travel(when, tick=False):
        for _ in range(2):
            report_share(
                actor=school_practitioner,
                text="Older men wait at the bus station most evenings.",
                how_known="saw_it",
                observed_at=None,
                items=SharedItems(locations=[{"name": "Bus station", "postcode": "dn156nl"}]),
            )
    profile = profile_for(
        user=partnership_admin, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30)
    )
    where = next(t for t in profile.tables if t.key == "where")
    assert where.columns == ("Postcode", "Concerns", "Intelligence reports")
    assert where.rows[0].label == "DN15 6NL"
    assert where.rows[0].counts == (6, 2)
    assert where.rows[0].shown == ("6", "<5")
