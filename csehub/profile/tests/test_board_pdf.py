"""The board report as a PDF, as a board member would read it: the period, the figures, small
numbers as "<5" and no bar to give them away; the same file every time; and only for the
people who may see the profile, each download audited. Everyone is fictional."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from csehub.audit.models import AuditEvent, Verb
from csehub.profile.board_pdf import BarChart, profile_pdf
from csehub.profile.selectors import Profile, Row, Table, profile_for, table_bars
from csehub.testing.clients import signed_in_client
from csehub.testing.pdfs import pdf_fonts, pdf_text

from . import test_profile

pytestmark = pytest.mark.django_db

world = test_profile.world  # the profile tests' fixture: 8 concerns in November 2026

NOVEMBER = {"start": "01/11/2026", "end": "30/11/2026"}


@pytest.fixture
def november(world, partnership_admin):
    return profile_for(
        user=partnership_admin, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30)
    )


def test_the_pdf_holds_the_period_the_figures_and_small_numbers_as_under_5(november):
    text = pdf_text(profile_pdf(november, partnership_name="Testshire Safeguarding Partnership"))
    assert "Problem profile: board report" in text
    assert "Period: 1 November 2026 to 30 November 2026" in text
    assert "Figures for: The whole partnership" in text
    assert "Counts from 1 to 4 are shown as <5" in text
    # Every table, under its title, with its rows as published.
    for table in november.tables:
        assert table.title in text
    assert re.search(r"November 2026\s+8\s+0\s+0", text)  # 8 concerns in the month
    assert re.search(r"Female\s+6", text)
    assert re.search(r"Not recorded\s+<5", text)  # 2 children, suppressed
    assert not re.search(r"Not recorded\s+2\b", text)
    assert "Testshire Safeguarding Partnership" in text and "Page 1 of" in text


def test_the_pdf_is_the_same_bytes_every_time_and_embeds_its_font(november):
    first = profile_pdf(november)
    assert first.startswith(b"%PDF-")
    assert profile_pdf(november) == first
    fonts = pdf_fonts(first)
    assert set(fonts) == {"AAAAAA+DejaVuSans", "AAAAAA+DejaVuSans-Bold"}  # subsets, no Helvetica
    assert all(fonts.values())


CHARTED = Profile(
    start=dt.date(2026, 10, 1),
    end=dt.date(2026, 11, 30),
    agency=None,
    tables=(
        Table(
            "activity",
            "Concerns, referrals and intelligence over time",
            ("Month", "Concerns", "Referrals", "Intelligence reports"),
            (Row("October 2026", (20, 3, 0)), Row("November 2026", (40, 10, 4))),
            chart="lines",
        ),
        Table(
            "when",
            "When what was seen happened",
            ("Day", "Morning", "Evening to night"),
            (Row("Friday", (30, 3)), Row("Saturday", (0, 12))),
            chart="grid",
        ),
        Table(
            "where",
            "Places named most often",
            ("Postcode", "Concerns", "Intelligence reports"),
            (Row("DN15 6NL", (12, 0)), Row("DN15 6BS", (2, 1)), Row("FB1 1AA", (7, 0))),
            chart="map",
        ),
    ),
)


def test_the_pdf_carries_the_pages_lines_grid_and_map_above_their_tables():
    data = profile_pdf(CHARTED, partnership_name="Testshire Safeguarding Partnership")
    text = pdf_text(data)
    # The line chart's legend, before the table's header row.
    assert re.search(
        r"Concerns\s+Referrals\s+Intelligence reports\s+"
        r"Shaded: 1 to 4, shown as <5 \(open markers\).*?Oct 26\s+Nov 26\s+Month",
        text,
        re.DOTALL,
    )
    # The grid's cells as published, then the table.
    assert re.search(r"Friday\s+30\s+<5\s+Saturday\s+0\s+12\s+Day\s+Morning", text)
    # The map: a label per postcode drawn, the scale, the postcodes not drawn, the attribution.
    places = text.index("Places named most often")
    assert "DN15 6NL" in text[places : text.index("Grid lines every")]
    assert "FB1 1AA: Not on the map: postcode not found" in text
    assert "Contains OS data © Crown copyright and database right 2025" in " ".join(text.split())
    assert profile_pdf(CHARTED, partnership_name="Testshire Safeguarding Partnership") == data
    assert set(pdf_fonts(data)) == {"AAAAAA+DejaVuSans", "AAAAAA+DejaVuSans-Bold"}


def test_a_long_table_repeats_its_header_on_the_next_page():
    rows = tuple(Row(f"Postcode {n}", (n,)) for n in range(1, 120))
    long = Table("where", "Places named most often", ("Postcode", "Concerns"), rows)
    data = profile_pdf(
        Profile(start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31), agency=None, tables=(long,))
    )
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    # The chart runs on first (bars for every row), then the table, its header on each page.
    table_pages = [page for page in pages if "Concerns" in page]
    assert len(table_pages) >= 2
    assert "Postcode 119" in table_pages[-1]


def test_a_chart_draws_no_bar_for_a_suppressed_count():
    table = Table(
        "age",
        "Age",
        ("", "Children"),
        (Row("Under 10", (0,)), Row("10 to 12", (3,)), Row("13 to 15", (12,)), Row("16", (6,))),
    )
    chart = BarChart(table_bars(table), 400)
    canvas = Canvas(io.BytesIO(), pageCompression=0)
    chart.wrapOn(canvas, 400, 400)
    chart.drawOn(canvas, 0, 0)
    drawn = "\n".join(canvas._code)
    assert len(re.findall(r" re f\b", drawn)) == 2  # the 12 and the 6; none for 0 or "<5"
    assert "(<5)" in drawn.replace("\\", "")


def test_the_page_offers_the_pdf_and_the_download_is_audited(world, partnership_admin):
    client = signed_in_client(partnership_admin)
    page = client.get(reverse("profile:dashboard"), NOVEMBER).content.decode()
    assert "Board report (PDF)" in page and "Board report (CSV)" in page
    response = client.get(reverse("profile:board-pdf"), NOVEMBER)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="problem-profile-20261101-20261130.pdf"'
    )
    assert re.search(r"Not recorded\s+<5", pdf_text(response.content))
    event = AuditEvent.objects.get(target_type="problem_profile", verb=Verb.EXPORTED)
    assert event.actor == partnership_admin
    assert event.detail == {"from": "2026-11-01", "to": "2026-11-30", "agency": None}


def test_a_lead_gets_their_own_agencys_report(world, school_dsl):
    response = signed_in_client(school_dsl).get(reverse("profile:board-pdf"), NOVEMBER)
    text = pdf_text(response.content)
    assert f"Figures for: {school_dsl.agency.name}" in text
    assert re.search(r"November 2026\s+6\s+0\s+0", text)


def test_the_pdf_is_refused_to_anyone_without_the_profile(world, school_practitioner):
    response = signed_in_client(school_practitioner).get(reverse("profile:board-pdf"), NOVEMBER)
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(target_type="problem_profile", verb=Verb.EXPORTED).exists()


def test_a_period_that_cannot_be_right_gives_no_pdf(partnership_admin):
    response = signed_in_client(partnership_admin).get(
        reverse("profile:board-pdf"), {"start": "30/11/2026", "end": "01/11/2026"}
    )
    assert response.status_code == 400
    assert "The last day must be on or after the first day" in response.content.decode()


def _board(partnership, *extra: str) -> None:
    call_command(
        "report",
        "board",
        "--partnership",
        partnership.slug,
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        *extra,
    )


def test_the_board_command_writes_the_pdf_and_the_csv(world, partnership, tmp_path):
    pdf_file, csv_file = tmp_path / "board.pdf", tmp_path / "board.csv"
    _board(partnership, "--out", str(pdf_file), "--csv", str(csv_file))
    text = pdf_text(pdf_file.read_bytes())
    assert "Period: 1 November 2026 to 30 November 2026" in text
    assert re.search(r"Not recorded\s+<5", text)
    assert partnership.name in text
    assert "Not recorded,<5" in csv_file.read_text(encoding="utf-8")
    assert AuditEvent.objects.filter(target_type="problem_profile", verb=Verb.EXPORTED).count() == 1


def test_the_board_command_needs_somewhere_to_write(partnership):
    with pytest.raises(CommandError, match=r"--out FILE\.pdf"):
        _board(partnership)
