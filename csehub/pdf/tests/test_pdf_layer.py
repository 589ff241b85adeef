"""The PDF layer: which names its font can draw, the page template, the same bytes every time.
Every name is fictional."""

from __future__ import annotations

import unicodedata

import pytest
from reportlab.platypus import PageBreak

from csehub import pdf
from csehub.testing.pdfs import pdf_fonts, pdf_text

COVERED = [
    "Łucja Wiśniewska",  # Polish
    "Şükrü Ağaoğlu",  # Turkish
    "Ștefan Țurcanu",  # Romanian
    "Nguyễn Thị Hồng",  # Vietnamese
    "Αθηνά Παππά",  # Greek
    "Анна Петрова",  # Russian
    "Олеся Ґудзь",  # Ukrainian
    "Siobhán Ó Súilleabháin",  # Irish
    "Siân Ŵyn Pŷr",  # Welsh
    "Řehoř Dvořáček",  # Czech
    "Ђорђе Јовановић",  # Serbian
]


@pytest.mark.parametrize("name", COVERED)
@pytest.mark.parametrize("bold", [False, True])
def test_the_font_draws_latin_greek_and_cyrillic_names(name, bold):
    assert pdf.uncovered(name, bold=bold) == []


def test_the_font_has_no_bengali_letters_which_is_why_the_decision_says_so():
    assert pdf.uncovered("আয়েশা বেগম") != []


def test_a_name_typed_with_combining_accents_is_drawn_with_the_composed_letters():
    typed = unicodedata.normalize("NFD", "Nguyễn Thị Hồng")
    assert typed != "Nguyễn Thị Hồng"
    data = pdf.document_pdf(
        [pdf.paragraph(typed, pdf.styles().body)], title="Names", partnership_name="Testshire"
    )
    assert "Nguyễn Thị Hồng" in pdf_text(data)


def test_a_document_has_the_page_template_and_the_same_bytes_every_time():
    styles = pdf.styles()
    story = [
        pdf.paragraph("First page", styles.title),
        PageBreak(),
        pdf.data_table(["Name", "Count"], [["Анна Петрова", "<5"]], [200, 60], numeric_from=1),
    ]
    made = pdf.document_pdf(story, title="Αθηνά's report", partnership_name="Testshire SCP")
    assert pdf.document_pdf(story, title="Αθηνά's report", partnership_name="Testshire SCP") == made
    first, second = pdf_text(made).split("Page 1 of 2")
    assert "Testshire SCP" in first
    assert "Page 2 of 2" in second and "Αθηνά's report" in second  # the title on later pages
    assert "Анна Петрова" in second and "<5" in second
    assert all(pdf_fonts(made).values())
