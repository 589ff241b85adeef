"""The profile's charts for tables of several columns, drawn on the server.

Each chart is computed once as marks (marks.py): `svg_marks` writes them as the page's <svg>
and chart_pdf.py draws them in the board report's PDF, so the two show the same chart. Nothing
comes from a CDN or a tile server, and the table beside each chart holds the same figures.
Suppression holds in the drawing too: a count from 1 to 4 is never drawn at its size. A line's
point sits in a shaded band marked "fewer than 5", a grid cell has one shade for every
suppressed count, and a map marker is the same size whatever the count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from csehub.linking.network.map import FILL as MAP_FILL
from csehub.linking.network.map import (
    GRID_LINE,
    MapPlace,
    Where,
    distance_label,
    grid_note,
    map_layout,
    north_arrow,
    postcode_locate,
    svg_map,
)
from csehub.linking.network.map import HEIGHT as MAP_HEIGHT
from csehub.linking.network.map import MARGIN as MAP_MARGIN
from csehub.linking.network.map import WIDTH as MAP_WIDTH

from .marks import (
    INK,
    WHITE,
    Chart,
    Circle,
    Line,
    Mark,
    Marker,
    Polygon,
    Polyline,
    Rect,
    Text,
    svg_marks,
)
from .selectors import SUPPRESS_BELOW, Table

MUTED = "#505a5f"
RULE = "#b1b4b6"
BAND = "#f3f2f1"
# Colours a reader can tell apart from white and from each other at 3:1 or more, and each
# series also has its own dash and marker, so colour is never the only difference.
SERIES = (
    ("#1d70b8", "", "circle"),
    ("#00703c", "8 4", "square"),
    ("#912b88", "2 3", "triangle"),
)


def _nice_top(largest: int) -> int:
    """A round number at or above the largest count (and above the suppressed band)."""
    top = max(largest, SUPPRESS_BELOW * 2)
    power = 10 ** math.floor(math.log10(top))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= top:
            return int(step * power)
    return top


def line_geometry(table: Table) -> Chart | None:
    """One line per column over the rows (months), with a legend above; None without data.

    A suppressed count's point sits in the middle of the shaded "1 to 4" band, hollow, so its
    height never tells the number."""
    series = table.columns[1:]
    rows = table.rows
    if not rows or not series:
        return None
    width, left, right, top, plot_h = 560, 44, 32, 34 + 22 * (len(series) + 1), 200
    height = top + plot_h + 44
    plot_w = width - left - right
    y_top = _nice_top(max(max(row.counts) for row in rows))

    def y(value: float) -> float:
        return top + plot_h - plot_h * value / y_top

    def x(index: int) -> float:
        return left + (plot_w * index / (len(rows) - 1) if len(rows) > 1 else plot_w / 2)

    marks: list[Mark] = []
    for index, name in enumerate(series):
        colour, dash, shape = SERIES[index % len(SERIES)]
        ly = 16 + 22 * index
        marks += [
            Line(0, ly, 36, ly, colour, width=3, dash=dash),
            Marker(shape, 18, ly, colour),
            Text(44, ly + 5, name, 15),
        ]
    # The band where counts are suppressed: a point inside it says "1 to 4", never which.
    ly = 16 + 22 * len(series)
    marks += [
        Rect(0, ly - 8, 36, 16, fill=BAND, stroke=RULE),
        Text(44, ly + 5, "Shaded: 1 to 4, shown as <5 (open markers)", 15),
    ]
    band_top = y(SUPPRESS_BELOW)
    marks.append(Rect(left, band_top, plot_w, y(0) - band_top, fill=BAND))
    for tick in (0, y_top // 2, y_top):
        marks += [
            Line(left, y(tick), width - right, y(tick), RULE),
            Text(left - 6, y(tick) + 4, f"{tick:,}", 13, anchor="end"),
        ]
    every = max(1, math.ceil(len(rows) / 7))
    for index, row in enumerate(rows):
        if index % every == 0 or index == len(rows) - 1:
            marks.append(
                Text(x(index), top + plot_h + 20, _short_month(row.label), 12, anchor="middle")
            )
    for column, _name in enumerate(series):
        colour, dash, shape = SERIES[column % len(SERIES)]
        points = []
        for index, row in enumerate(rows):
            value = row.counts[column]
            suppressed = 0 < value < SUPPRESS_BELOW
            points.append((x(index), y(SUPPRESS_BELOW / 2 if suppressed else value), suppressed))
        marks.append(Polyline(tuple((px, py) for px, py, _ in points), colour, 2.5, dash))
        marks += [Marker(shape, px, py, colour, hollow) for px, py, hollow in points]
    return Chart(table.key, table.title, width, height, tuple(marks))


def line_chart(table: Table) -> str:
    """The line chart as SVG ("" without data)."""
    chart = line_geometry(table)
    return svg_marks(chart) if chart else ""


def _short_month(label: str) -> str:
    """ "November 2026" as "Nov 26"; anything else as it is."""
    words = label.split()
    if len(words) == 2 and words[1].isdigit():
        return f"{words[0][:3]} {words[1][-2:]}"
    return label


def grid_geometry(table: Table) -> Chart | None:
    """A cell per count, shaded by how large it is; every suppressed count has one shade."""
    rows, columns = table.rows, table.columns[1:]
    if not rows or not columns:
        return None
    label_w, cell_w, cell_h, head_h = 96, 92, 34, 44
    width = label_w + cell_w * len(columns)
    height = head_h + cell_h * len(rows)
    largest = max(max(row.counts) for row in rows)
    marks: list[Mark] = []
    for index, name in enumerate(columns):
        cx = label_w + cell_w * index + cell_w / 2
        first, _, rest = name.partition(" to ")
        lines = [f"{first} to", rest] if rest else [name]
        marks += [
            Text(cx, 16 + 16 * line_no, text, 13, anchor="middle")
            for line_no, text in enumerate(lines)
        ]
    for r, row in enumerate(rows):
        ty = head_h + cell_h * r
        marks.append(Text(0, ty + 22, row.label, 14))
        for c, (value, shown) in enumerate(zip(row.counts, row.shown, strict=True)):
            fill, ink = _shade(value, largest)
            tx = label_w + cell_w * c
            marks += [
                Rect(tx + 1, ty + 1, cell_w - 2, cell_h - 2, fill=fill, stroke=RULE),
                Text(tx + cell_w / 2, ty + 22, shown, 14, anchor="middle", colour=ink),
            ]
    return Chart(table.key, table.title, width, height, tuple(marks))


def grid_chart(table: Table) -> str:
    """The day-by-time grid as SVG ("" without data)."""
    chart = grid_geometry(table)
    return svg_marks(chart) if chart else ""


def _shade(value: int, largest: int) -> tuple[str, str]:
    """A cell's fill and text colour: white for none, grey for "<5", then three blues."""
    if value == 0:
        return WHITE, INK
    if value < SUPPRESS_BELOW:
        return BAND, INK
    share = value / largest
    if share > 2 / 3:
        return "#1d70b8", WHITE
    if share > 1 / 3:
        return "#8eb8dc", INK
    return "#d2e2f1", INK


@dataclass(frozen=True)
class Hotspot:
    postcode: str
    where: Where
    description: str


def hotspots(table: Table) -> list[Hotspot]:
    """Each postcode of a "map" table, where the directory puts it, and what a screen reader
    hears for it (the counts as published)."""
    found = []
    for row in table.rows:
        located = postcode_locate(row.label)
        figures = ", ".join(
            f"{shown} {name.lower()}"
            for name, shown in zip(table.columns[1:], row.shown, strict=True)
        )
        found.append(Hotspot(row.label, located.where, f"{row.label}: {figures}"))
    return found


def map_chart(table: Table) -> str:
    """The postcodes on the offline map (docs/decisions/0013): every marker the same size, so
    the picture never tells a suppressed count."""
    described = {spot.postcode: spot.description for spot in hotspots(table)}
    return svg_map(
        _map_places(table),
        href=lambda place: None,
        title="Map of the places named most often; the table below it holds the same figures",
        describe=lambda place: described[place.key],
    )


def _map_places(table: Table) -> list[MapPlace]:
    return [
        MapPlace(key=row.label, reference=row.label, label=row.label, located=located)
        for row in table.rows
        if (located := postcode_locate(row.label)).where == Where.FOUND
    ]


def map_geometry(table: Table) -> Chart | None:
    """The hotspot map's marks, from the same layout as the page's SVG map (map.map_layout):
    every marker the same size; None when no postcode can be drawn."""
    layout = map_layout(_map_places(table))
    if layout is None:
        return None
    edge, bottom = MAP_MARGIN / 2, MAP_HEIGHT - MAP_MARGIN / 2
    marks: list[Mark] = [
        Rect(edge, edge, MAP_WIDTH - MAP_MARGIN, MAP_HEIGHT - MAP_MARGIN, fill=None, stroke=INK)
    ]
    marks += [Line(x, edge, x, bottom, GRID_LINE, dash="2 6") for x in layout.verticals]
    marks += [Line(edge, y, MAP_WIDTH - edge, y, GRID_LINE, dash="2 6") for y in layout.horizontals]
    for group in layout.groups:
        if group.radius:
            marks.append(Circle(group.x, group.y, group.radius, None, INK, dash="3 3"))
        for marker in group.markers:
            marks += [
                Polygon(marker.diamond, MAP_FILL, INK, 2),
                Text(marker.label_x, marker.label_y, marker.label, 12, anchor=marker.anchor),
            ]
    bar, y0 = layout.bar, layout.bar_top
    marks += [
        Rect(edge, y0, bar / 2, 8, fill=INK),
        Rect(edge + bar / 2, y0, bar / 2, 8, fill=WHITE, stroke=INK),
        Text(edge, y0 + 26, "0", 13),
        Text(edge + bar, y0 + 26, distance_label(layout.step), 13, anchor="middle"),
        Text(edge, y0 + 48, grid_note(layout), 13),
        Polygon(north_arrow(layout), INK),
        Text(MAP_WIDTH - 50, y0 + 42, "N", 14, anchor="middle", bold=True),
    ]
    return Chart(table.key, table.title, layout.width, layout.height, tuple(marks))


def chart_marks(table: Table) -> Chart | None:
    """The marks of a table's chart of several columns, for the PDF; None when it has none."""
    draw = {"lines": line_geometry, "grid": grid_geometry, "map": map_geometry}.get(table.chart)
    return draw(table) if draw else None


def chart_svg(table: Table) -> SafeString:
    """The chart for a table of several columns ("" when it has none). Every value written into
    the SVG is escaped here, so the result is safe to put in the page."""
    draw = {"lines": line_chart, "grid": grid_chart, "map": map_chart}.get(table.chart)
    return mark_safe(draw(table) if draw else "")
