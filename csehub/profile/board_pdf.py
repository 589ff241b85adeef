"""The board report as a PDF: the problem profile of a period, every table as published.

The figures are the page's and the CSV's, suppressed the same way: each cell is `Row.shown`, so
a count from 1 to 4 reads "<5". Every table has the page's chart above it, drawn in vector: bars
for a one-column table, with no bar for a suppressed count; and the activity lines, the
day-by-time grid and the hotspot map from the same marks as the page's SVG (charts.py,
chart_pdf.py), so a suppressed point sits in the "1 to 4" band, a suppressed cell has the one
grey and every map marker is the same size (docs/decisions/0021-problem-profile.md). Drawn
through csehub.pdf, so the same profile gives the same bytes
(docs/decisions/0022-one-pdf-layer.md).
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from csehub import pdf
from csehub.linking.network.map import (
    ATTRIBUTION,
    LICENCE_URL,
    WHERE_LABELS,
    Where,
    directory_version,
)

from .chart_pdf import ChartDrawing
from .charts import chart_marks, hotspots
from .selectors import CHART_WIDTH, Bar, Profile, table_bars
from .selectors import Table as ProfileTable

SUPPRESSION = "Counts from 1 to 4 are shown as <5"
BAR_HEIGHT = 11.0
BAR_STEP = 16.0
LABEL_SHARE = 0.42  # of the chart's width, for the labels left of the bars
VALUE_ROOM = 36.0  # points right of the longest bar, for its number
CHART_SIZE = 8.5


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def profile_period(profile: Profile) -> str:
    return f"{_day(profile.start)} to {_day(profile.end)}"


class BarChart(Flowable):
    """A one-column table's bars, as the page's SVG draws them: label, bar, number."""

    def __init__(self, bars: list[Bar], width: float) -> None:
        super().__init__()
        self.bars = bars
        self.width = width
        self.height = BAR_STEP * len(bars)
        self.label_width = width * LABEL_SHARE
        self.scale = (width - self.label_width - VALUE_ROOM) / CHART_WIDTH

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """A long chart runs on over pages; its bars keep the scale of the whole table."""
        fits = int(available_height // BAR_STEP)
        if fits < 1 or fits >= len(self.bars):
            return []
        return [BarChart(self.bars[:fits], self.width), BarChart(self.bars[fits:], self.width)]

    def draw(self) -> None:
        canvas: Canvas = self.canv
        canvas.saveState()
        canvas.setFont(pdf.REGULAR, CHART_SIZE)
        for index, bar in enumerate(self.bars):
            top = self.height - index * BAR_STEP
            baseline = top - BAR_STEP + (BAR_STEP - CHART_SIZE) / 2 + 1
            canvas.setFillColor(pdf.INK)
            label = pdf.fitted(bar.label, self.label_width - 6, size=CHART_SIZE)
            canvas.drawString(0, baseline, label)
            length = bar.width * self.scale
            if length:
                canvas.setFillColor(pdf.BLUE)
                canvas.rect(
                    self.label_width,
                    top - BAR_STEP + (BAR_STEP - BAR_HEIGHT) / 2,
                    length,
                    BAR_HEIGHT,
                    stroke=0,
                    fill=1,
                )
            canvas.setFillColor(pdf.INK)
            canvas.drawString(self.label_width + length + 4, baseline, bar.shown)
        canvas.restoreState()


def _map_notes(table: ProfileTable) -> list[Flowable]:
    """Under the map, as on the page: what its markers mean, the postcodes it could not draw
    and why, and the attribution the directory's licence asks for (decision 0013)."""
    styles = pdf.styles()
    parts = [
        pdf.paragraph(
            "Every marker is the same size whatever the count. Postcodes are placed from the "
            f"ONS postcode directory shipped with CSE Hub (version {directory_version()}); "
            "nothing is fetched over the internet.",
            styles.small,
        )
    ]
    missing = [spot for spot in hotspots(table) if spot.where != Where.FOUND]
    if missing:
        parts.append(pdf.paragraph("Not drawn on the map:", styles.small))
        parts += [
            pdf.paragraph(f"{spot.postcode}: {WHERE_LABELS[spot.where]}", styles.small)
            for spot in missing
        ]
    parts += [
        pdf.paragraph(f"{ATTRIBUTION} Open Government Licence v3.0: {LICENCE_URL}", styles.small),
        Spacer(0, 3 * mm),
    ]
    return parts


def _widths(table: ProfileTable, usable: float) -> list[float]:
    """Labels take the room they need; numbers share the rest (a one-column table stays
    narrow, so that its number sits near its label)."""
    numbers = len(table.columns) - 1
    if numbers == 1:
        return [usable * 0.6, usable * 0.2]
    first = usable * (0.4 if numbers <= 3 else 0.22)
    return [first, *([(usable - first) / numbers] * numbers)]


def _table_block(table: ProfileTable, usable: float) -> KeepTogether:
    styles = pdf.styles()
    parts: list[Flowable] = [pdf.paragraph(table.title, styles.heading)]
    if table.note:
        parts.append(pdf.paragraph(table.note, styles.small))
    bars = table_bars(table)
    if bars:
        parts += [BarChart(bars, usable * 0.8), Spacer(0, 3 * mm)]
    drawn = chart_marks(table)
    if drawn:
        parts += [ChartDrawing(drawn, usable), Spacer(0, 3 * mm)]
    if table.chart == "map":
        parts += _map_notes(table)
    rows: list[list[str]] = [[row.label, *row.shown] for row in table.rows]
    if not rows:
        rows = [["None in this period", *([""] * (len(table.columns) - 1))]]
    grid: Table = pdf.data_table(
        [table.columns[0], *table.columns[1:]], rows, _widths(table, usable), numeric_from=1
    )
    parts.append(grid)
    # Heading, chart and the table's first rows stay on one page; a long table then runs on
    # with its header row repeated.
    return KeepTogether(parts)


def profile_pdf(profile: Profile, *, partnership_name: str = "") -> bytes:
    """The board report: a cover block (period, whose figures, the suppression rule), then
    every table of the profile with its title, note, chart and rows as published."""
    styles = pdf.styles()
    usable = pdf.usable_width()
    scope = profile.agency.name if profile.agency else "The whole partnership"
    period = profile_period(profile)
    cover = Table(
        [
            [pdf.paragraph("Problem profile: board report", styles.title)],
            [pdf.paragraph(f"Period: {period}", styles.subheading)],
            [pdf.paragraph(f"Figures for: {scope}", styles.subheading)],
            [
                pdf.paragraph(
                    f"{SUPPRESSION}, so that no child can be picked out of a small number. "
                    "A chart draws no bar for a count shown as <5, and puts a point for one in "
                    "the shaded band for 1 to 4. Zero stays zero.",
                    styles.body,
                )
            ],
            [
                pdf.paragraph(
                    "Every figure is a count of the records the partnership holds: this report "
                    "names no child and no person.",
                    styles.body,
                )
            ],
        ],
        colWidths=[usable],
        hAlign="LEFT",
    )
    cover.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), pdf.REGULAR),  # not ReportLab's Helvetica
            ("LINEBEFORE", (0, 0), (0, -1), 4, pdf.BLUE),
            ("LEFTPADDING", (0, 0), (-1, -1), 10),
        ]
    )
    story: list[Flowable] = [cover, Spacer(0, 6 * mm)]
    story += [_table_block(table, usable) for table in profile.tables]
    return pdf.document_pdf(
        story,
        title=f"Problem profile, {period}",
        partnership_name=partnership_name,
        subject=f"Board report for {scope}. {SUPPRESSION}.",
    )
