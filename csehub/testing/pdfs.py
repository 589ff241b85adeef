"""Reading a PDF back in tests, as a person (or a screen reader) would get it: its text, and
the fonts it carries."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_fonts(data: bytes) -> dict[str, bool]:
    """Each font the pages use (its PDF name, such as "AAAAAA+DejaVuSans" for a subset), and
    whether the font file is embedded in the PDF."""
    found: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        resources: Any = page["/Resources"]
        for reference in resources["/Font"].values():
            font = reference.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            found[str(font["/BaseFont"]).lstrip("/")] = embedded
    return found
