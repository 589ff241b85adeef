"""The one PDF layer of the product: fonts, page template, styles and colours
(docs/decisions/0022-one-pdf-layer.md). Every PDF the product makes is drawn through it."""

from .document import (
    MARGIN,
    canvas_for,
    data_table,
    document_pdf,
    fit_size,
    fitted,
    paragraph,
    usable_width,
)
from .fonts import BOLD, REGULAR, font_path, fonts_register, text, uncovered
from .styles import BLUE, BORDER, INK, MUTED, WHITE, styles, table_style

__all__ = [
    "BLUE",
    "BOLD",
    "BORDER",
    "INK",
    "MARGIN",
    "MUTED",
    "REGULAR",
    "WHITE",
    "canvas_for",
    "data_table",
    "document_pdf",
    "fit_size",
    "fitted",
    "font_path",
    "fonts_register",
    "paragraph",
    "styles",
    "table_style",
    "text",
    "uncovered",
    "usable_width",
]
