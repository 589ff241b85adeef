"""The one typeface of every PDF (and the network PNG): DejaVu Sans, embedded as a subset.

The 14 standard PDF fonts cover Western European letters only, so "Łucja", "Анна" or "Nguyễn"
came out as boxes. DejaVu Sans covers Latin with its extensions (Vietnamese included), Greek,
Cyrillic, Armenian, Georgian and Hebrew letters. The files come with matplotlib, a dependency
installed from PyPI, so no system font is needed (docs/decisions/0022-one-pdf-layer.md).
Right-to-left and complex scripts (Arabic, Urdu, Bengali, Devanagari, ...) are not laid out
correctly: ReportLab would need rlbidi, which is not on PyPI, and Bengali has no glyphs here.
"""

from __future__ import annotations

import functools
import importlib.util
import unicodedata
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FAMILY = "DejaVuSans"


@functools.cache
def font_directory() -> Path:
    """matplotlib's own font folder, found without importing matplotlib (which loads NumPy and
    reads its settings: nothing a PDF needs)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The PDF font comes with matplotlib: pip install the project again")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


def font_path(*, bold: bool = False) -> Path:
    return font_directory() / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")


@functools.cache
def fonts_register() -> None:
    """Register the regular and bold faces with ReportLab once per process, as a family so
    that <b> in a paragraph picks the bold face."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(font_path())))
    pdfmetrics.registerFont(TTFont(BOLD, str(font_path(bold=True))))
    pdfmetrics.registerFontFamily(
        FAMILY, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )


def text(value: object) -> str:
    """Text as drawn: composed (NFC), so a name typed with combining accents ("e" + U+0302)
    uses the font's own accented letter, as the same name typed on another keyboard would."""
    return unicodedata.normalize("NFC", str(value))


def uncovered(value: str, *, bold: bool = False) -> list[str]:
    """The characters of `value` the font has no glyph for (each drawn as a box)."""
    fonts_register()
    font = pdfmetrics.getFont(BOLD if bold else REGULAR)
    widths = font.face.charWidths
    return [c for c in text(value) if c.isprintable() and not c.isspace() and ord(c) not in widths]
