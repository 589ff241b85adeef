"""The network as an SVG picture, drawn on the server with a fixed layout.

The focus is in the centre and each step out is a ring; on a ring, nodes are grouped by kind
and then ordered by reference, so the same network always gives the same picture. No script:
each expandable node is an ordinary link, reachable with the keyboard, and its <title> names it.
Shapes and a legend tell kinds apart without relying on colour.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable

from django.utils.html import escape

from ..models import EntityType
from .graph import KIND_LABELS, KIND_ORDER, THEME, Network, Node, node_order

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


def _shape(kind: str, x: float, y: float, *, focus: bool = False) -> str:
    s = SIZE
    common = f'fill="{FILL.get(kind, "#ffffff")}" stroke="{INK}" stroke-width="{4 if focus else 2}"'
    if kind == EntityType.CHILD:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{s}" {common}/>'
    if kind == EntityType.PERSON:
        return f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s}" height="{2 * s}" {common}/>'
    if kind == EntityType.VEHICLE:
        return (
            f'<rect x="{x - 1.4 * s:.1f}" y="{y - 0.8 * s:.1f}" width="{2.8 * s:.1f}" '
            f'height="{1.6 * s:.1f}" rx="5" {common}/>'
        )
    if kind == EntityType.PHONE:
        points = [(x, y - s), (x + s, y + s), (x - s, y + s)]
    elif kind == EntityType.ONLINE:
        points = [
            (x + s * math.cos(math.pi / 3 * i), y + s * math.sin(math.pi / 3 * i)) for i in range(6)
        ]
    elif kind == EntityType.LOCATION:
        points = [(x, y - s * 1.2), (x + s * 1.2, y), (x, y + s * 1.2), (x - s * 1.2, y)]
    else:  # a theme: a dashed circle
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{s}" {common} stroke-dasharray="4 3"/>'
    joined = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
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
    reach = max((node.depth for node in network.nodes), default=0) * RING + MARGIN
    left, top = -reach, -reach
    width, height = 2 * reach + LEGEND_WIDTH, 2 * reach
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left} {top} {width} {height}" '
        f'width="100%" role="group" aria-label="{escape(title)}" class="csehub-network">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{left}" y="{top}" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for ring in range(1, network.depth + 1):
        parts.append(
            f'<circle cx="0" cy="0" r="{ring * RING}" fill="none" stroke="#b1b4b6" '
            'stroke-dasharray="2 6"/>'
        )
    for edge in network.edges:
        (x1, y1), (x2, y2) = places[edge.a], places[edge.b]
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{LINE}" '
            f'stroke-width="{min(1 + edge.weight, 6)}" '
            f'data-edge="{escape(edge.a)} {escape(edge.b)}"/>'
        )
    for node in network.nodes:
        x, y = places[node.key]
        name = f"{node.kind_label} {node.reference}: {node.label}"
        inner = (
            f"<title>{escape(name)}</title>"
            + _shape(node.kind, x, y, focus=node.key == network.focus)
            + f'<text x="{x:.1f}" y="{y + SIZE + 14:.1f}" text-anchor="middle" font-size="12" '
            f'font-family="Arial, sans-serif" fill="{INK}">{escape(_short(node.label))}</text>'
            + f'<text x="{x:.1f}" y="{y + SIZE + 28:.1f}" text-anchor="middle" font-size="11" '
            f'font-family="Arial, sans-serif" fill="{INK}">{escape(_short(node.reference))}</text>'
        )
        target = href(node)
        if target:
            parts.append(f'<a href="{escape(target)}" data-node="{escape(node.key)}">{inner}</a>')
        else:
            parts.append(f'<g data-node="{escape(node.key)}">{inner}</g>')
    # The legend, to the right of the rings.
    x = reach + 30
    for number, kind in enumerate(KIND_ORDER):
        y = top + 40 + number * 40
        parts.append(_shape(kind, x, y))
        parts.append(
            f'<text x="{x + 28}" y="{y + 5}" font-size="13" font-family="Arial, sans-serif" '
            f'fill="{INK}">{escape(KIND_LABELS[kind])}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
