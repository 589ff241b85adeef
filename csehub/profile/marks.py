"""A chart as a short list of marks, computed once and drawn twice: as SVG for the page
(`svg_marks`) and in vector for the board report PDF (chart_pdf.py).

Coordinates are the SVG's: y grows downwards, text is placed at its baseline. Each mark says
everything either format needs (colour, dash, anchor, size), so the page and the PDF cannot
draw a chart differently. A marker's outline is worked out here, once, for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

INK = "#0b0c0c"
WHITE = "#ffffff"
FONT = 'font-family="Arial, sans-serif"'

Point = tuple[float, float]


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    width: float = 1.0
    dash: str = ""  # SVG's stroke-dasharray: "8 4", or "" for solid


@dataclass(frozen=True)
class Polyline:
    points: tuple[Point, ...]
    colour: str
    width: float = 1.0
    dash: str = ""


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str | None  # None: not filled
    stroke: str | None = None  # None: no outline
    stroke_width: float = 1.0


@dataclass(frozen=True)
class Polygon:
    points: tuple[Point, ...]
    fill: str | None
    stroke: str | None = None
    stroke_width: float = 1.0


@dataclass(frozen=True)
class Circle:
    x: float
    y: float
    radius: float
    fill: str | None
    stroke: str | None = None
    stroke_width: float = 1.0
    dash: str = ""


@dataclass(frozen=True)
class Marker:
    """A data point: its series' shape, filled, or hollow (white inside) when suppressed."""

    shape: str  # "circle", "square" or "triangle"
    x: float
    y: float
    colour: str
    hollow: bool = False


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # the baseline
    text: str  # plain text: each format escapes it its own way
    size: float
    anchor: str = "start"  # "start", "middle" or "end", as SVG's text-anchor
    colour: str = INK
    bold: bool = False


Mark = Line | Polyline | Rect | Polygon | Circle | Marker | Text


@dataclass(frozen=True)
class Chart:
    """A chart's marks in a width x height box, and the name a screen reader hears for it."""

    key: str
    title: str
    width: float
    height: float
    marks: tuple[Mark, ...]


def marker_outline(marker: Marker) -> Circle | Rect | Polygon:
    """The shape a marker is drawn as: the same for the page and the PDF."""
    x, y, colour = marker.x, marker.y, marker.colour
    fill = WHITE if marker.hollow else colour
    if marker.shape == "square":
        return Rect(x - 4, y - 4, 8, 8, fill=fill, stroke=colour, stroke_width=2)
    if marker.shape == "triangle":
        return Polygon(((x, y - 5), (x + 5, y + 4), (x - 5, y + 4)), fill, colour, 2)
    return Circle(x, y, 4.5, fill=fill, stroke=colour, stroke_width=2)


# ---------------------------------------------------------------------------------------------
# SVG
# ---------------------------------------------------------------------------------------------


def _n(value: float) -> str:
    """A coordinate to a tenth, without a trailing ".0"."""
    found = f"{value:.1f}"
    return found[:-2] if found.endswith(".0") else found


def _stroke(stroke: str | None, width: float, dash: str = "") -> str:
    if not stroke:
        return ""
    found = f' stroke="{stroke}"'
    if width != 1:
        found += f' stroke-width="{_n(width)}"'
    if dash:
        found += f' stroke-dasharray="{dash}"'
    return found


def _paint(fill: str | None, stroke: str | None, width: float, dash: str = "") -> str:
    return f'fill="{fill or "none"}"' + _stroke(stroke, width, dash)


def svg_mark(mark: Mark) -> str:
    """One mark as an SVG element."""
    if isinstance(mark, Marker):
        return svg_mark(marker_outline(mark))
    if isinstance(mark, Line):
        return (
            f'<line x1="{_n(mark.x1)}" y1="{_n(mark.y1)}" x2="{_n(mark.x2)}" y2="{_n(mark.y2)}"'
            f"{_stroke(mark.colour, mark.width, mark.dash)}/>"
        )
    if isinstance(mark, Polyline):
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in mark.points)
        return f'<polyline points="{points}" {_paint(None, mark.colour, mark.width, mark.dash)}/>'
    if isinstance(mark, Rect):
        return (
            f'<rect x="{_n(mark.x)}" y="{_n(mark.y)}" width="{_n(mark.width)}" '
            f'height="{_n(mark.height)}" {_paint(mark.fill, mark.stroke, mark.stroke_width)}/>'
        )
    if isinstance(mark, Polygon):
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in mark.points)
        return f'<polygon points="{points}" {_paint(mark.fill, mark.stroke, mark.stroke_width)}/>'
    if isinstance(mark, Circle):
        paint = _paint(mark.fill, mark.stroke, mark.stroke_width, mark.dash)
        return f'<circle cx="{_n(mark.x)}" cy="{_n(mark.y)}" r="{_n(mark.radius)}" {paint}/>'
    anchor = f' text-anchor="{mark.anchor}"' if mark.anchor != "start" else ""
    weight = ' font-weight="bold"' if mark.bold else ""
    return (
        f'<text x="{_n(mark.x)}" y="{_n(mark.y)}"{anchor} font-size="{_n(mark.size)}"{weight} '
        f'{FONT} fill="{mark.colour}">{escape(mark.text)}</text>'
    )


def svg_marks(chart: Chart) -> str:
    """The chart as one <svg> image whose title points to the table with the same figures."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="c-{chart.key}" '
        f'viewBox="0 0 {_n(chart.width)} {_n(chart.height)}" width="100%" class="app-chart">',
        f'<title id="c-{chart.key}">Chart of {escape(chart.title.lower())}; the table beside '
        "it holds the same figures</title>",
        *(svg_mark(mark) for mark in chart.marks),
        "</svg>",
    ]
    return "\n".join(parts)
