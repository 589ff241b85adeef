"""The network as an SVG picture, drawn on the server with a fixed layout.

The focus is in the centre and each step out is a ring; on a ring, nodes are grouped by kind
and then ordered by reference, so the same network always gives the same picture. No script:
each expandable node is an ordinary link, reachable with the keyboard, and its <title> names it.
Shapes and a legend tell kinds apart without relying on colour. The layout, shapes and text
positions here are also what picture_files.py draws the PDF and PNG from.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import escape

from ..models import EntityType
from .graph import KIND_LABELS, KIND_ORDER, THEME, Edge, Network, Node, node_order

RING = 130
SIZE = 14
MARGIN = 80
LEGEND_WIDTH = 190
INK = "#0b0c0c"
LINE = "#505a5f"

FILL = {
    EntityType.CHILD: "#d4351c",
    EntityType.PERSON: "#1d70b8",
    EntityType.VEHICLE: "#00703c",
    EntityType.PHONE: "#6f72af",
    EntityType.ONLINE: "#912b88",
    EntityType.LOCATION: "#f47738",
    THEME: "#b1b4b6",
}


CIRCLE, RECT, POLYGON = "circle", "rect", "polygon"
RING_COLOUR = "#b1b4b6"
FONT_SIZES = (12, 11)  # a node's label, then its reference
LEGEND_FONT_SIZE = 13
LEGEND_TEXT = 28  # from a legend entry's shape to its name


@dataclass(frozen=True)
class Outline:
    """A node's shape in picture coordinates (y grows downwards, as in SVG), for every format.

    A circle is centred on (x, y); a rectangle's top left corner is (x, y).
    """

    shape: str
    x: float = 0.0
    y: float = 0.0
    radius: float = 0.0
    width: float = 0.0
    height: float = 0.0
    corner: float = 0.0
    points: tuple[tuple[float, float], ...] = ()
    dashed: bool = False


def outline(kind: str, x: float, y: float) -> Outline:
    """Each kind has its own shape, so kinds can be told apart without colour."""
    s = SIZE
    if kind == EntityType.CHILD:
        return Outline(CIRCLE, x, y, radius=s)
    if kind == EntityType.PERSON:
        return Outline(RECT, x - s, y - s, width=2 * s, height=2 * s)
    if kind == EntityType.VEHICLE:
        return Outline(RECT, x - 1.4 * s, y - 0.8 * s, width=2.8 * s, height=1.6 * s, corner=5)
    if kind == EntityType.PHONE:
        points = [(x, y - s), (x + s, y + s), (x - s, y + s)]
    elif kind == EntityType.ONLINE:
        points = [
            (x + s * math.cos(math.pi / 3 * i), y + s * math.sin(math.pi / 3 * i)) for i in range(6)
        ]
    elif kind == EntityType.LOCATION:
        points = [(x, y - s * 1.2), (x + s * 1.2, y), (x, y + s * 1.2), (x - s * 1.2, y)]
    else:  # a theme: a dashed circle
        return Outline(CIRCLE, x, y, radius=s, dashed=True)
    return Outline(POLYGON, points=tuple(points))


def stroke_width(*, focus: bool = False) -> int:
    return 4 if focus else 2


def edge_width(edge: Edge) -> int:
    """A thicker line for more reports and concerns in common."""
    return min(1 + edge.weight, 6)


def node_lines(node: Node, x: float, y: float) -> list[tuple[str, float, float, int]]:
    """The text under a node: (text, x, baseline y, font size) for its label and reference."""
    return [
        (_short(node.label), x, y + SIZE + 14, FONT_SIZES[0]),
        (_short(node.reference), x, y + SIZE + 28, FONT_SIZES[1]),
    ]


@dataclass(frozen=True)
class Frame:
    """The picture's extent in its own coordinates: the rings, with the legend to their right."""

    reach: float
    left: float
    top: float
    width: float
    height: float


def frame(network: Network) -> Frame:
    reach = max((node.depth for node in network.nodes), default=0) * RING + MARGIN
    return Frame(
        reach=reach, left=-reach, top=-reach, width=2 * reach + LEGEND_WIDTH, height=2 * reach
    )


def legend(extent: Frame) -> list[tuple[str, float, float]]:
    """(kind, x, y) of each entry in the legend, to the right of the rings."""
    x = extent.reach + 30
    return [(kind, x, extent.top + 40 + number * 40) for number, kind in enumerate(KIND_ORDER)]


def _shape(kind: str, x: float, y: float, *, focus: bool = False) -> str:
    fill, width = FILL.get(kind, "#ffffff"), stroke_width(focus=focus)
    common = f'fill="{fill}" stroke="{INK}" stroke-width="{width}"'
    found = outline(kind, x, y)
    if found.shape == CIRCLE:
        dash = ' stroke-dasharray="4 3"' if found.dashed else ""
        return (
            f'<circle cx="{found.x:.1f}" cy="{found.y:.1f}" r="{found.radius:g}" {common}{dash}/>'
        )
    if found.shape == RECT:
        corner = f' rx="{found.corner:g}"' if found.corner else ""
        return (
            f'<rect x="{found.x:.1f}" y="{found.y:.1f}" width="{found.width:g}" '
            f'height="{found.height:g}"{corner} {common}/>'
        )
    joined = " ".join(f"{px:.1f},{py:.1f}" for px, py in found.points)
    return f'<polygon points="{joined}" {common}/>'


def layout(network: Network) -> dict[str, tuple[float, float]]:
    """Where each node goes: the focus at (0, 0), step n on the ring of radius n * RING."""
    rings: dict[int, list[Node]] = defaultdict(list)
    for node in network.nodes:
        rings[node.depth].append(node)
    places: dict[str, tuple[float, float]] = {}
    for depth, nodes in rings.items():
        if depth == 0:
            for node in nodes:
                places[node.key] = (0.0, 0.0)
            continue
        nodes.sort(key=node_order)
        # Each ring starts a little further round, so labels on neighbouring rings do not line up.
        start = -math.pi / 2 + depth * 0.35
        for number, node in enumerate(nodes):
            angle = start + 2 * math.pi * number / len(nodes)
            places[node.key] = (depth * RING * math.cos(angle), depth * RING * math.sin(angle))
    return places


def _short(text: str, limit: int = 18) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def svg_draw(
    network: Network, *, href: Callable[[Node], str | None], title: str = "Network"
) -> str:
    """The picture as one <svg> element (also a valid stand-alone SVG file)."""
    places = layout(network)
    extent = frame(network)
    left, top, width, height = extent.left, extent.top, extent.width, extent.height
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left:g} {top:g} {width:g} {height:g}" '
        f'width="100%" role="group" aria-label="{escape(title)}" class="csehub-network">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{left:g}" y="{top:g}" width="{width:g}" height="{height:g}" fill="#ffffff"/>',
    ]
    for ring in range(1, network.depth + 1):
        parts.append(
            f'<circle cx="0" cy="0" r="{ring * RING}" fill="none" stroke="{RING_COLOUR}" '
            'stroke-dasharray="2 6"/>'
        )
    for edge in network.edges:
        (x1, y1), (x2, y2) = places[edge.a], places[edge.b]
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{LINE}" '
            f'stroke-width="{edge_width(edge)}" '
            f'data-edge="{escape(edge.a)} {escape(edge.b)}"/>'
        )
    for node in network.nodes:
        x, y = places[node.key]
        name = f"{node.kind_label} {node.reference}: {node.label}"
        inner = (
            f"<title>{escape(name)}</title>"
            + _shape(node.kind, x, y, focus=node.key == network.focus)
            + "".join(
                f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="middle" font-size="{size}" '
                f'font-family="Arial, sans-serif" fill="{INK}">{escape(text)}</text>'
                for text, tx, ty, size in node_lines(node, x, y)
            )
        )
        target = href(node)
        if target:
            parts.append(f'<a href="{escape(target)}" data-node="{escape(node.key)}">{inner}</a>')
        else:
            parts.append(f'<g data-node="{escape(node.key)}">{inner}</g>')
    for kind, x, y in legend(extent):
        parts.append(_shape(kind, x, y))
        parts.append(
            f'<text x="{x + LEGEND_TEXT:g}" y="{y + 5:g}" font-size="{LEGEND_FONT_SIZE}" '
            f'font-family="Arial, sans-serif" fill="{INK}">{escape(KIND_LABELS[kind])}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
