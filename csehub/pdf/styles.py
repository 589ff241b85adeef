"""Colours, paragraph styles and the table style every PDF shares (GOV.UK's palette, as the
pages use it, without GOV.UK's branding)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from .fonts import BOLD, REGULAR, fonts_register

INK = colors.HexColor("#0b0c0c")
MUTED = colors.HexColor("#484949")
BLUE = colors.HexColor("#1d70b8")
BORDER = colors.HexColor("#b1b4b6")
WHITE = colors.HexColor("#ffffff")


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_heading: ParagraphStyle
    cell_number: ParagraphStyle
    cell_number_heading: ParagraphStyle


@functools.cache
def styles() -> Styles:
    fonts_register()
    body = ParagraphStyle(
        "Body", fontName=REGULAR, fontSize=10, leading=14, textColor=INK, spaceAfter=6
    )
    cell = ParagraphStyle("Cell", parent=body, fontSize=9, leading=12, spaceAfter=0)
    cell_heading = ParagraphStyle("CellHeading", parent=cell, fontName=BOLD)
    return Styles(
        title=ParagraphStyle(
            "Title", parent=body, fontName=BOLD, fontSize=22, leading=28, spaceAfter=10
        ),
        heading=ParagraphStyle(
            "Heading", parent=body, fontName=BOLD, fontSize=15, leading=20, spaceBefore=12
        ),
        subheading=ParagraphStyle(
            "Subheading", parent=body, fontName=BOLD, fontSize=12, leading=16, spaceBefore=10
        ),
        body=body,
        small=ParagraphStyle("Small", parent=body, fontSize=8.5, leading=12, textColor=MUTED),
        cell=cell,
        cell_heading=cell_heading,
        cell_number=ParagraphStyle("CellNumber", parent=cell, alignment=TA_RIGHT),
        cell_number_heading=ParagraphStyle(
            "CellNumberHeading", parent=cell_heading, alignment=TA_RIGHT
        ),
    )


def table_style() -> TableStyle:
    """A line under each row, a heavier one under the header, top-aligned cells."""
    return TableStyle(
        [
            # ReportLab's table cells default to Helvetica even when they hold paragraphs.
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, BORDER),
            ("LINEBELOW", (0, 0), (-1, 0), 1, INK),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]
    )
