"""The profile's charts for tables of several columns, drawn on the server as SVG.

Nothing comes from a CDN or a tile server: each chart is one <svg> element written here, and
the table beside it holds the same figures. Suppression holds in the drawing too: a count from
1 to 4 is never drawn at its size. A line's point sits in a shaded band marked "fewer than 5",
a grid cell has one shade for every suppressed count, and a map marker is the same size
whatever the count.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

from csehub.linking.network.map import MapPlace, Where, postcode_locate, svg_map

from .selectors import SUPPRESS_BELOW, Table

INK = "#0b0c0c"
MUTED = "#505a5f"
RULE = "#b1b4b6"
BAND = "#f3f2f1"
FONT = 'font-family="Arial, sans-serif"'
# Colours a reader can tell apart from white and from each other at 3:1 or more, and each
# series also has its own dash and marker, so colour is never the only difference.
SERIES = (
    ("#1d70b8", "", "circle"),
    ("#00703c", "8 4", "square"),
    ("#912b88", "2 3", "triangle"),
)


def _marker(shape: str, x: float, y: float, colour: str, hollow: bool) -> str:
    fill = "#ffffff" if hollow else colour
    common = f'fill="{fill}" stroke="{colour}" stroke-width="2"'
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" {common}/>'
    if shape == "triangle":
        corners = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}"
        return f'<polygon points="{corners}" {common}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" {common}/>'


def _nice_top(largest: int) -> int:
    """A round number at or above the largest count (and above the suppressed band)."""
    top = max(largest, SUPPRESS_BELOW * 2)
    power = 10 ** math.floor(math.log10(top))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= top:
            return int(step * power)
    return top


def _open(key: str, title: str, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="c-{key}" '
        f'viewBox="0 0 {width} {height}" width="100%" class="app-chart">',
        f'<title id="c-{key}">Chart of {escape(title.lower())}; the table beside it holds '
        "the same figures</title>",
    ]


def line_chart(table: Table) -> str:
    """One line per column over the rows (months), with a legend above."""
    series = table.columns[1:]
    rows = table.rows
    if not rows or not series:
        return ""
    width, left, right, top, plot_h = 560, 44, 32, 34 + 22 * (len(series) + 1), 200
    height = top + plot_h + 44
    plot_w = width - left - right
    y_top = _nice_top(max(max(row.counts) for row in rows))

    def y(value: float) -> float:
        return top + plot_h - plot_h * value / y_top

    def x(index: int) -> float:
        return left + (plot_w * index / (len(rows) - 1) if len(rows) > 1 else plot_w / 2)

    parts = _open(table.key, table.title, width, height)
    for index, name in enumerate(series):
        colour, dash, shape = SERIES[index % len(SERIES)]
        ly = 16 + 22 * index
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts += [
            f'<line x1="0" y1="{ly}" x2="36" y2="{ly}" stroke="{colour}" '
            f'stroke-width="3"{dashed}/>',
            _marker(shape, 18, ly, colour, hollow=False),
            f'<text x="44" y="{ly + 5}" font-size="15" {FONT} fill="{INK}">{escape(name)}</text>',
        ]
    # The band where counts are suppressed: a point inside it says "1 to 4", never which.
    ly = 16 + 22 * len(series)
    parts += [
        f'<rect x="0" y="{ly - 8}" width="36" height="16" fill="{BAND}" stroke="{RULE}"/>',
        f'<text x="44" y="{ly + 5}" font-size="15" {FONT} fill="{INK}">'
        "Shaded: 1 to 4, shown as &lt;5 (open markers)</text>",
    ]
    band_top = y(SUPPRESS_BELOW)
    parts.append(
        f'<rect x="{left}" y="{band_top:.1f}" width="{plot_w}" height="{y(0) - band_top:.1f}" '
        f'fill="{BAND}"/>'
    )
    for tick in (0, y_top // 2, y_top):
        parts += [
            f'<line x1="{left}" y1="{y(tick):.1f}" x2="{width - right}" y2="{y(tick):.1f}" '
            f'stroke="{RULE}"/>',
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="13" '
            f'{FONT} fill="{INK}">{tick:,}</text>',
        ]
    every = max(1, math.ceil(len(rows) / 7))
    for index, row in enumerate(rows):
        if index % every == 0 or index == len(rows) - 1:
            parts.append(
                f'<text x="{x(index):.1f}" y="{top + plot_h + 20}" text-anchor="middle" '
                f'font-size="12" {FONT} fill="{INK}">{escape(_short_month(row.label))}</text>'
            )
    for column, _name in enumerate(series):
        colour, dash, shape = SERIES[column % len(SERIES)]
        points = []
        for index, row in enumerate(rows):
            value = row.counts[column]
            suppressed = 0 < value < SUPPRESS_BELOW
            points.append((x(index), y(SUPPRESS_BELOW / 2 if suppressed else value), suppressed))
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in points)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dashed}/>'
        )
        parts += [_marker(shape, px, py, colour, hollow) for px, py, hollow in points]
    parts.append("</svg>")
    return "\n".join(parts)


def _short_month(label: str) -> str:
    """ "November 2026" as "Nov 26"; anything else as it is."""
    words = label.split()
    if len(words) == 2 and words[1].isdigit():
        return f"{words[0][:3]} {words[1][-2:]}"
    return label


def grid_chart(table: Table) -> str:
    """A cell per count, shaded by how large it is; every suppressed count has one shade."""
    rows, columns = table.rows, table.columns[1:]
    if not rows or not columns:
        return ""
    label_w, cell_w, cell_h, head_h = 96, 92, 34, 44
    width = label_w + cell_w * len(columns)
    height = head_h + cell_h * len(rows)
    largest = max(max(row.counts) for row in rows)
    parts = _open(table.key, table.title, width, height)
    for index, name in enumerate(columns):
        cx = label_w + cell_w * index + cell_w / 2
        first, _, rest = name.partition(" to ")
        lines = [f"{first} to", rest] if rest else [name]
        for line_no, text in enumerate(lines):
            parts.append(
                f'<text x="{cx:.1f}" y="{16 + 16 * line_no}" text-anchor="middle" font-size="13" '
                f'{FONT} fill="{INK}">{escape(text)}</text>'
            )
    for r, row in enumerate(rows):
        ty = head_h + cell_h * r
        parts.append(
            f'<text x="0" y="{ty + 22}" font-size="14" {FONT} fill="{INK}">'
            f"{escape(row.label)}</text>"
        )
        for c, (value, shown) in enumerate(zip(row.counts, row.shown, strict=True)):
            fill, ink = _shade(value, largest)
            tx = label_w + cell_w * c
            parts += [
                f'<rect x="{tx + 1}" y="{ty + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                f'fill="{fill}" stroke="{RULE}"/>',
                f'<text x="{tx + cell_w / 2:.1f}" y="{ty + 22}" text-anchor="middle" '
                f'font-size="14" {FONT} fill="{ink}">{escape(shown)}</text>',
            ]
    parts.append("</svg>")
    return "\n".join(parts)


def _shade(value: int, largest: int) -> tuple[str, str]:
    """A cell's fill and text colour: white for none, grey for "<5", then three blues."""
    if value == 0:
        return "#ffffff", INK
    if value < SUPPRESS_BELOW:
        return BAND, INK
    share = value / largest
    if share > 2 / 3:
        return "#1d70b8", "#ffffff"
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
    places: Sequence[MapPlace] = [
        MapPlace(key=row.label, reference=row.label, label=row.label, located=located)
        for row in table.rows
        if (located := postcode_locate(row.label)).where == Where.FOUND
    ]
    described = {spot.postcode: spot.description for spot in hotspots(table)}
    return svg_map(
        places,
        href=lambda place: None,
        title="Map of the places named most often; the table below it holds the same figures",
        describe=lambda place: described[place.key],
    )


def chart_svg(table: Table) -> SafeString:
    """The chart for a table of several columns ("" when it has none). Every value written into
    the SVG is escaped here, so the result is safe to put in the page."""
    draw = {"lines": line_chart, "grid": grid_chart, "map": map_chart}.get(table.chart)
    return mark_safe(draw(table) if draw else "")
