"""A chart's marks (marks.py) drawn in vector on a PDF page, for the board report.

The marks are the ones the page's SVG is written from, so the PDF shows the same chart: the
same points, shades, dashes and texts, in the product's font (csehub.pdf). The picture is
drawn in the SVG's coordinates, flipped to PDF's upward y, as the network picture is
(linking/network/picture_files.py).
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.pathobject import PDFPathObject
from reportlab.platypus import Flowable

from csehub import pdf

from .marks import Chart, Circle, Line, Mark, Marker, Polygon, Polyline, Rect, Text, marker_outline

MAX_SCALE = 0.75  # of a chart's SVG units, as points: its 15-unit legend prints at 11 points


def _dash(dash: str) -> list[float]:
    return [float(part) for part in dash.split()]


class ChartDrawing(Flowable):
    """A chart scaled to fit `width` (and never larger than MAX_SCALE)."""

    def __init__(self, chart: Chart, width: float) -> None:
        super().__init__()
        self.hAlign = "LEFT"
        self.chart = chart
        self.scale = min(width / chart.width, MAX_SCALE)
        self.width = chart.width * self.scale
        self.height = chart.height * self.scale

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas: Canvas = self.canv
        canvas.saveState()
        canvas.translate(0, self.height)
        canvas.scale(self.scale, -self.scale)
        for mark in self.chart.marks:
            self._mark(mark)
        canvas.restoreState()

    def _paint(self, fill: str | None, stroke: str | None, width: float, dash: str = "") -> None:
        canvas: Canvas = self.canv
        if fill:
            canvas.setFillColor(colors.HexColor(fill))
        if stroke:
            canvas.setStrokeColor(colors.HexColor(stroke))
            canvas.setLineWidth(width)
            canvas.setDash(_dash(dash) if dash else [])

    def _mark(self, mark: Mark) -> None:
        canvas: Canvas = self.canv
        if isinstance(mark, Marker):
            self._mark(marker_outline(mark))
        elif isinstance(mark, Line):
            self._paint(None, mark.colour, mark.width, mark.dash)
            canvas.line(mark.x1, mark.y1, mark.x2, mark.y2)
        elif isinstance(mark, Polyline):
            self._paint(None, mark.colour, mark.width, mark.dash)
            canvas.drawPath(self._path(mark.points, closed=False), stroke=1, fill=0)
        elif isinstance(mark, Rect):
            self._paint(mark.fill, mark.stroke, mark.stroke_width)
            canvas.rect(
                mark.x,
                mark.y,
                mark.width,
                mark.height,
                stroke=int(bool(mark.stroke)),
                fill=int(bool(mark.fill)),
            )
        elif isinstance(mark, Polygon):
            self._paint(mark.fill, mark.stroke, mark.stroke_width)
            canvas.drawPath(
                self._path(mark.points, closed=True),
                stroke=int(bool(mark.stroke)),
                fill=int(bool(mark.fill)),
            )
        elif isinstance(mark, Circle):
            self._paint(mark.fill, mark.stroke, mark.stroke_width, mark.dash)
            canvas.circle(
                mark.x,
                mark.y,
                mark.radius,
                stroke=int(bool(mark.stroke)),
                fill=int(bool(mark.fill)),
            )
        else:
            self._text(mark)

    def _path(self, points: tuple[tuple[float, float], ...], *, closed: bool) -> PDFPathObject:
        path = self.canv.beginPath()
        path.moveTo(*points[0])
        for point in points[1:]:
            path.lineTo(*point)
        if closed:
            path.close()
        return path

    def _text(self, mark: Text) -> None:
        canvas: Canvas = self.canv
        canvas.saveState()
        canvas.translate(mark.x, mark.y)
        canvas.scale(1, -1)  # upright again inside the flipped picture
        canvas.setFillColor(colors.HexColor(mark.colour))
        canvas.setFont(pdf.BOLD if mark.bold else pdf.REGULAR, mark.size)
        text = pdf.text(mark.text)
        if mark.anchor == "middle":
            canvas.drawCentredString(0, 0, text)
        elif mark.anchor == "end":
            canvas.drawRightString(0, 0, text)
        else:
            canvas.drawString(0, 0, text)
        canvas.restoreState()
