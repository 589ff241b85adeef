"""The network picture as a PDF or a PNG file, drawn from the same layout as the SVG on screen.

Both take their positions, shapes, line widths and text from picture.py, so the three formats
show the same picture (docs/decisions/0012-network-export.md). The PDF is vector, drawn with
ReportLab through the product's PDF layer (csehub.pdf: its page template, styles and embedded
DejaVu Sans), and after the picture it lists the nodes and links as tables, the same information
as the page's tables. The PNG is drawn with Pillow, which comes with ReportLab, in the same DejaVu
Sans file, so a label such as "Łucja" or "Анна" reads the same in both
(docs/decisions/0022-one-pdf-layer.md). Neither needs a system library or font, and both give
the same bytes for the same network.
"""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer

from csehub import pdf

from .graph import KIND_LABELS, Network, container_label
from .picture import (
    CIRCLE,
    FILL,
    INK,
    LEGEND_FONT_SIZE,
    LEGEND_TEXT,
    LINE,
    RECT,
    RING,
    RING_COLOUR,
    Frame,
    Outline,
    edge_width,
    frame,
    layout,
    legend,
    node_lines,
    outline,
    stroke_width,
)

WHITE = "#ffffff"
RING_DASH = (2, 6)
THEME_DASH = (4, 3)
# The PNG is drawn at four times the picture's size and shrunk to twice it, which smooths edges
# (Pillow draws shapes without anti-aliasing).
PNG_SCALE = 2
PNG_SUPERSAMPLE = 2


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------


class _Picture(Flowable):
    """The network drawn to fit a box, in picture coordinates flipped to PDF's upward y."""

    def __init__(self, network: Network, width: float, height: float) -> None:
        super().__init__()
        self.hAlign = "CENTER"
        self.network = network
        self.extent = frame(network)
        self.scale = min(width / self.extent.width, height / self.extent.height)
        self.width = self.extent.width * self.scale
        self.height = self.extent.height * self.scale

    def draw(self) -> None:
        canvas: Canvas = self.canv
        extent, network = self.extent, self.network
        canvas.saveState()
        canvas.translate(0, self.height)
        canvas.scale(self.scale, -self.scale)
        canvas.translate(-extent.left, -extent.top)
        canvas.setStrokeColor(colors.HexColor(RING_COLOUR))
        canvas.setLineWidth(1)
        canvas.setDash(*RING_DASH)
        for ring in range(1, network.depth + 1):
            canvas.circle(0, 0, ring * RING, stroke=1, fill=0)
        canvas.setDash()
        places = layout(network)
        canvas.setStrokeColor(colors.HexColor(LINE))
        for edge in network.edges:
            (x1, y1), (x2, y2) = places[edge.a], places[edge.b]
            canvas.setLineWidth(edge_width(edge))
            canvas.line(x1, y1, x2, y2)
        for node in network.nodes:
            x, y = places[node.key]
            self._shape(outline(node.kind, x, y), node.kind, focus=node.key == network.focus)
            for text, tx, ty, size in node_lines(node, x, y):
                self._text(text, tx, ty, size, centred=True)
        for kind, x, y in legend(extent):
            self._shape(outline(kind, x, y), kind)
            self._text(KIND_LABELS[kind], x + LEGEND_TEXT, y + 5, LEGEND_FONT_SIZE)
        canvas.restoreState()

    def _shape(self, found: Outline, kind: str, *, focus: bool = False) -> None:
        canvas: Canvas = self.canv
        canvas.setFillColor(colors.HexColor(FILL.get(kind, WHITE)))
        canvas.setStrokeColor(colors.HexColor(INK))
        canvas.setLineWidth(stroke_width(focus=focus))
        if found.dashed:
            canvas.setDash(*THEME_DASH)
        if found.shape == CIRCLE:
            canvas.circle(found.x, found.y, found.radius, stroke=1, fill=1)
        elif found.shape == RECT and found.corner:
            canvas.roundRect(
                found.x, found.y, found.width, found.height, found.corner, stroke=1, fill=1
            )
        elif found.shape == RECT:
            canvas.rect(found.x, found.y, found.width, found.height, stroke=1, fill=1)
        else:
            path = canvas.beginPath()
            path.moveTo(*found.points[0])
            for point in found.points[1:]:
                path.lineTo(*point)
            path.close()
            canvas.drawPath(path, stroke=1, fill=1)
        canvas.setDash()

    def _text(self, text: str, x: float, y: float, size: float, *, centred: bool = False) -> None:
        canvas: Canvas = self.canv
        canvas.saveState()
        canvas.translate(x, y)
        canvas.scale(1, -1)  # text upright again inside the flipped picture
        canvas.setFillColor(colors.HexColor(INK))
        canvas.setFont(pdf.REGULAR, size)
        text = pdf.text(text)
        if centred:
            canvas.drawCentredString(0, 0, text)
        else:
            canvas.drawString(0, 0, text)
        canvas.restoreState()


def network_pdf(network: Network, *, title: str, partnership_name: str = "") -> bytes:
    """The picture on an A4 landscape page, then the nodes and links as tables."""
    page = landscape(A4)
    styles = pdf.styles()
    usable = pdf.usable_width(page)
    by_key = network.by_key
    nodes = [
        [node.reference, node.label, node.kind_label, str(node.depth), str(links)]
        for node in network.nodes
        for links in [len(network.neighbours(node.key))]
    ]
    links = [
        [
            by_key[edge.a].reference,
            by_key[edge.b].reference,
            ", ".join(container_label(c) for c in edge.containers),
            ", ".join(edge.kinds) or "None stated",
        ]
        for edge in network.edges
    ]
    story: list[Flowable] = [
        pdf.paragraph(title, styles.title),
        pdf.paragraph(
            "Everything mentioned in the same report or concern, a thicker line meaning more "
            "reports and concerns in common. The tables after the picture hold the same "
            "information.",
            styles.body,
        ),
        Spacer(0, 4 * mm),
        _Picture(network, usable, page[1] - 2 * pdf.MARGIN - 34 * mm),
        pdf.paragraph("Nodes", styles.heading),
        pdf.data_table(
            ["Node", "Label", "Type", "Steps away", "Links"],
            nodes,
            [usable * share for share in (0.18, 0.36, 0.16, 0.14, 0.16)],
        ),
        pdf.paragraph("Links", styles.heading),
        pdf.data_table(
            ["From", "To", "Joined by", "Stated link"],
            links,
            [usable * share for share in (0.18, 0.18, 0.44, 0.20)],
        ),
    ]
    return pdf.document_pdf(story, title=title, partnership_name=partnership_name, pagesize=page)


# ---------------------------------------------------------------------------------------------
# PNG
# ---------------------------------------------------------------------------------------------


class _Raster:
    """Draws in picture coordinates onto a Pillow image `factor` times the picture's size."""

    def __init__(self, extent: Frame, factor: int) -> None:
        self.extent, self.factor = extent, factor
        size = (math.ceil(extent.width * factor), math.ceil(extent.height * factor))
        self.image = Image.new("RGB", size, WHITE)
        self.draw = ImageDraw.Draw(self.image)
        self.fonts: dict[int, ImageFont.FreeTypeFont] = {}

    def at(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.extent.left) * self.factor, (y - self.extent.top) * self.factor

    def width(self, value: float) -> int:
        return max(1, round(value * self.factor))

    def box(self, x: float, y: float, radius: float) -> tuple[float, float, float, float]:
        (left, top), (right, bottom) = (
            self.at(x - radius, y - radius),
            self.at(x + radius, y + radius),
        )
        return left, top, right, bottom

    def dashed_circle(
        self, x: float, y: float, radius: float, dash: tuple[int, int], colour: str, width: float
    ) -> None:
        """Pillow has no dashed lines: each dash is a short straight stroke round the circle."""
        step = 1 / radius  # radians per unit of length
        start = 0.0
        while start < 2 * math.pi:
            end = min(start + dash[0] * step, 2 * math.pi)
            self.draw.line(
                [
                    self.at(x + radius * math.cos(start), y + radius * math.sin(start)),
                    self.at(x + radius * math.cos(end), y + radius * math.sin(end)),
                ],
                fill=colour,
                width=self.width(width),
            )
            start += (dash[0] + dash[1]) * step

    def shape(self, found: Outline, kind: str, *, focus: bool = False) -> None:
        fill, width = FILL.get(kind, WHITE), self.width(stroke_width(focus=focus))
        if found.shape == CIRCLE:
            box = self.box(found.x, found.y, found.radius)
            if found.dashed:
                self.draw.ellipse(box, fill=fill)
                self.dashed_circle(
                    found.x, found.y, found.radius, THEME_DASH, INK, stroke_width(focus=focus)
                )
            else:
                self.draw.ellipse(box, fill=fill, outline=INK, width=width)
        elif found.shape == RECT:
            corners = (
                self.at(found.x, found.y),
                self.at(found.x + found.width, found.y + found.height),
            )
            self.draw.rounded_rectangle(
                corners, radius=found.corner * self.factor, fill=fill, outline=INK, width=width
            )
        else:
            points = [self.at(px, py) for px, py in found.points]
            self.draw.polygon(points, fill=fill, outline=INK, width=width)

    def text(self, text: str, x: float, y: float, size: int, *, centred: bool = False) -> None:
        if size not in self.fonts:
            self.fonts[size] = ImageFont.truetype(str(pdf.font_path()), size * self.factor)
        text = pdf.text(text)
        anchor = "ms" if centred else "ls"  # middle or left, on the baseline, as in the SVG
        self.draw.text(self.at(x, y), text, fill=INK, font=self.fonts[size], anchor=anchor)


def network_png(network: Network, *, title: str) -> bytes:
    """The picture at twice the size of the SVG's own coordinates."""
    extent = frame(network)
    raster = _Raster(extent, PNG_SCALE * PNG_SUPERSAMPLE)
    for ring in range(1, network.depth + 1):
        raster.dashed_circle(0, 0, ring * RING, RING_DASH, RING_COLOUR, 1)
    places = layout(network)
    for edge in network.edges:
        (x1, y1), (x2, y2) = places[edge.a], places[edge.b]
        raster.draw.line(
            [raster.at(x1, y1), raster.at(x2, y2)], fill=LINE, width=raster.width(edge_width(edge))
        )
    for node in network.nodes:
        x, y = places[node.key]
        raster.shape(outline(node.kind, x, y), node.kind, focus=node.key == network.focus)
        for text, tx, ty, size in node_lines(node, x, y):
            raster.text(text, tx, ty, size, centred=True)
    for kind, x, y in legend(extent):
        raster.shape(outline(kind, x, y), kind)
        raster.text(KIND_LABELS[kind], x + LEGEND_TEXT, y + 5, LEGEND_FONT_SIZE)
    image = raster.image.reduce(PNG_SUPERSAMPLE)
    info = PngInfo()
    info.add_text("Title", title)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()
