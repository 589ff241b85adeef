"""Making a PDF: a canvas for a fixed layout (the certificate), or a flowing document with the
product's page template (the network picture, the board report).

Every PDF is drawn in ReportLab's `invariant` mode (a fixed creation date and document id), so
the same input gives the same bytes, and in DejaVu Sans (fonts.py), embedded as a subset.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table

from .fonts import REGULAR, fonts_register, text
from .styles import MUTED, styles, table_style

LANGUAGE = "en-GB"
MARGIN = 15 * mm
FOOTER_SIZE = 8


def canvas_for(
    buffer: io.BytesIO,
    *,
    pagesize: tuple[float, float],
    title: str,
    author: str,
    subject: str = "",
) -> Canvas:
    """A canvas for a fixed, one-page layout, with the product's fonts and metadata."""
    fonts_register()
    canvas = Canvas(
        buffer,
        pagesize=pagesize,
        invariant=True,
        pageCompression=1,
        initialFontName=REGULAR,
        lang=LANGUAGE,
    )
    canvas.setTitle(text(title))
    canvas.setAuthor(text(author))
    if subject:
        canvas.setSubject(text(subject))
    return canvas


class _FurnishedCanvas(Canvas):
    """Holds each page back until the last is drawn, so that the footer can say "Page 2 of 5".

    The footer names the partnership; pages after the first carry the title at the top, so a
    loose page still says what it belongs to."""

    def __init__(self, *args: Any, running_title: str, partnership_name: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._running_title = running_title
        self._partnership_name = partnership_name
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._furnish(number, total)
            super().showPage()
        super().save()

    def _furnish(self, number: int, total: int) -> None:
        width, height = self._pagesize
        self.saveState()
        self.setFont(REGULAR, FOOTER_SIZE)
        self.setFillColor(MUTED)
        baseline = MARGIN / 2
        if self._partnership_name:
            self.drawString(MARGIN, baseline, fitted(self._partnership_name, width / 2))
        self.drawRightString(width - MARGIN, baseline, f"Page {number} of {total}")
        if number > 1:
            self.drawString(
                MARGIN, height - MARGIN / 2, fitted(self._running_title, width - 2 * MARGIN)
            )
        self.restoreState()


def document_pdf(
    story: Sequence[Flowable],
    *,
    title: str,
    partnership_name: str,
    subject: str = "",
    pagesize: tuple[float, float] = A4,
) -> bytes:
    """A flowing document on the product's page template: margins, footer with the
    partnership's name and page numbers, the title at the top of every page after the first."""
    fonts_register()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=text(title),
        author=text(partnership_name),
        subject=text(subject),
        invariant=True,
        pageCompression=1,
        initialFontName=REGULAR,
        lang=LANGUAGE,
        displayDocTitle=True,
    )
    document.build(
        list(story),
        canvasmaker=functools.partial(
            _FurnishedCanvas, running_title=text(title), partnership_name=text(partnership_name)
        ),
    )
    return buffer.getvalue()


def usable_width(pagesize: tuple[float, float] = A4) -> float:
    return pagesize[0] - 2 * MARGIN


def paragraph(value: object, style: ParagraphStyle) -> Paragraph:
    """Plain text as a paragraph: escaped (a name is never markup) and composed (fonts.text)."""
    return Paragraph(escape(text(value)), style)


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    *,
    numeric_from: int | None = None,
) -> Table:
    """A table of text whose header row is repeated on every page it runs onto; columns from
    `numeric_from` on are right-aligned, as numbers are on the pages."""
    found = styles()

    def cell(value: object, column: int, *, heading: bool) -> Paragraph:
        numeric = numeric_from is not None and column >= numeric_from
        if heading:
            style = found.cell_number_heading if numeric else found.cell_heading
        else:
            style = found.cell_number if numeric else found.cell
        return paragraph(value, style)

    cells = [[cell(value, column, heading=True) for column, value in enumerate(header)]]
    cells += [
        [cell(value, column, heading=False) for column, value in enumerate(row)] for row in rows
    ]
    table = Table(cells, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(table_style())
    return table


def fitted(value: str, width: float, *, font: str = REGULAR, size: float = FOOTER_SIZE) -> str:
    """`value` cut short with an ellipsis where it would run wider than `width`."""
    value = text(value)
    if stringWidth(value, font, size) <= width:
        return value
    while value and stringWidth(value + "…", font, size) > width:
        value = value[:-1]
    return value.rstrip() + "…"


def fit_size(value: str, width: float, *, font: str, size: float, min_size: float) -> float:
    """The largest type size from `size` down to `min_size`, in half points, at which `value`
    fits within `width`."""
    while size > min_size and stringWidth(text(value), font, size) > width:
        size -= 0.5
    return size
