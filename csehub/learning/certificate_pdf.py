"""The certificate as a PDF: drawn on demand from the certificate row, the same bytes every time.

Drawn through the product's PDF layer (csehub.pdf): `invariant` mode fixes the creation date
and the document id, so nothing but the row decides the output
(docs/decisions/0009-certificates-pdf.md), and DejaVu Sans is embedded, so a learner called
"Łucja" or "Анна" reads as typed (docs/decisions/0022-one-pdf-layer.md).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from csehub import pdf
from csehub.accounts.models import Partnership

from .models import Certificate

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 18 * mm


@dataclass(frozen=True)
class CertificateFacts:
    """What the certificate says, worked out once for the PDF and the emails."""

    partnership_name: str
    learner_name: str
    course_title: str
    completed_on: dt.date
    code: str
    reviewer_name: str
    verify_url: str

    @property
    def completed_on_text(self) -> str:
        return f"{self.completed_on.day} {self.completed_on:%B %Y}"


def verify_url() -> str:
    """The public check's address: the configured site address plus the page's path."""
    site = (getattr(settings, "CSEHUB_SITE_URL", "") or "").rstrip("/")
    return site + reverse("certificates:verify")


def _partnership_name(certificate: Certificate) -> str:
    learner = certificate.attempt.learner
    if learner.agency_id is not None:
        return learner.partnership.name
    configured = Partnership.objects.filter(slug=settings.CSEHUB_PARTNERSHIP_SLUG).first()
    return configured.name if configured else "Safeguarding children partnership"


def certificate_completed_on(certificate: Certificate) -> dt.date:
    """The day the reviewer confirmed completion (the training record's date when there is one)."""
    attempt = certificate.attempt
    record = getattr(attempt, "training_record", None)
    if record is not None:
        return record.completed_on
    return timezone.localdate(attempt.confirmed_at or certificate.issued_at)


def certificate_facts(certificate: Certificate) -> CertificateFacts:
    attempt = certificate.attempt
    reviewer = attempt.reviewer
    return CertificateFacts(
        partnership_name=_partnership_name(certificate),
        learner_name=attempt.learner.full_name,
        course_title=attempt.course.title,
        completed_on=certificate_completed_on(certificate),
        code=certificate.code,
        reviewer_name=reviewer.full_name if reviewer is not None else "",
        verify_url=verify_url(),
    )


def _centred(
    canvas: Canvas, text: str, *, y: float, font: str, size: float, min_size: float = 9
) -> None:
    """Draw one centred line, shrinking the type until it fits between the margins."""
    text = pdf.text(text)
    width = PAGE_WIDTH - 2 * MARGIN - 20 * mm
    canvas.setFont(font, pdf.fit_size(text, width, font=font, size=size, min_size=min_size))
    canvas.drawCentredString(PAGE_WIDTH / 2, y, text)


def certificate_pdf(certificate: Certificate) -> bytes:
    facts = certificate_facts(certificate)
    buffer = io.BytesIO()
    canvas = pdf.canvas_for(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        title=f"Certificate of completion: {facts.course_title}",
        author=facts.partnership_name,
        subject=f"Verification code {facts.code}",
    )

    # A double frame: a plain border that prints well in black and white.
    canvas.setStrokeColor(pdf.BLUE)
    canvas.setLineWidth(3)
    canvas.rect(MARGIN / 2, MARGIN / 2, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - MARGIN)
    canvas.setLineWidth(0.8)
    canvas.rect(MARGIN / 2 + 5, MARGIN / 2 + 5, PAGE_WIDTH - MARGIN - 10, PAGE_HEIGHT - MARGIN - 10)

    top = PAGE_HEIGHT - MARGIN - 16 * mm
    canvas.setFillColor(pdf.BLUE)
    _centred(canvas, facts.partnership_name, y=top, font=pdf.BOLD, size=18)
    canvas.setFillColor(pdf.INK)
    _centred(canvas, "Certificate of completion", y=top - 22 * mm, font=pdf.BOLD, size=34)
    canvas.setFillColor(pdf.MUTED)
    _centred(canvas, "This is to certify that", y=top - 40 * mm, font=pdf.REGULAR, size=14)
    canvas.setFillColor(pdf.INK)
    _centred(canvas, facts.learner_name, y=top - 55 * mm, font=pdf.BOLD, size=28)
    canvas.setFillColor(pdf.MUTED)
    _centred(canvas, "has completed", y=top - 69 * mm, font=pdf.REGULAR, size=14)
    canvas.setFillColor(pdf.INK)
    _centred(canvas, facts.course_title, y=top - 83 * mm, font=pdf.BOLD, size=22)
    _centred(
        canvas,
        f"Completed on {facts.completed_on_text}",
        y=top - 97 * mm,
        font=pdf.REGULAR,
        size=14,
    )
    if facts.reviewer_name:
        _centred(
            canvas,
            f"Completion confirmed by {facts.reviewer_name}",
            y=top - 106 * mm,
            font=pdf.REGULAR,
            size=12,
        )

    # The verification block along the foot of the page.
    foot = MARGIN + 14 * mm
    canvas.setStrokeColor(pdf.MUTED)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN + 10 * mm, foot + 14 * mm, PAGE_WIDTH - MARGIN - 10 * mm, foot + 14 * mm)
    canvas.setFillColor(pdf.INK)
    _centred(
        canvas,
        f"Verification code: {facts.code}",
        y=foot + 6 * mm,
        font=pdf.BOLD,
        size=14,
    )
    canvas.setFillColor(pdf.MUTED)
    _centred(
        canvas,
        f"Anyone can check this certificate at {facts.verify_url} by entering the code above.",
        y=foot,
        font=pdf.REGULAR,
        size=11,
    )
    _centred(
        canvas,
        f"Issued on behalf of {facts.partnership_name}.",
        y=foot - 6 * mm,
        font=pdf.REGULAR,
        size=10,
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
