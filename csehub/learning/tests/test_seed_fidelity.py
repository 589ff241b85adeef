"""What the seed documents say, as the course, the pledge and the guidance pages now say it
(issue 12): the facts a trainer would check against the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from csehub.datafiles import DataFileError
from csehub.learning.references import references_read, references_shipped
from csehub.learning.selectors.pledge import pledge_wording
from csehub.taxonomy.models import Item
from csehub.taxonomy.services import taxonomy_load
from csehub.testing.clients import signed_in_client

from .briefing_setup import briefing_load
from .workbook_setup import workbook_load

pytestmark = pytest.mark.django_db


def _text(section) -> str:
    parts = []
    for block in section.blocks:
        parts.append(block.get("text", ""))
        parts.extend(block.get("items", []))
    return " ".join(parts)


def test_the_briefings_warning_signs_slide_has_every_sign_the_seed_lists(tmp_path):
    briefing = briefing_load(tmp_path)
    slide = _text(briefing.sections.get(code="warning_signs"))
    for sign in (
        "missing from home, care or school",
        "change in relationships with family and friends",
        "Physical injuries",
        "Money, gifts or a phone",
        "self-harm",
        "alcohol or drug use",
        "offending",
        "Sexual health",
        "online or on the phone",
        "older boyfriend or girlfriend",
    ):
        assert sign in slide, sign


def test_the_workbook_says_once_when_child_prostitution_left_the_law(tmp_path):
    workbook = workbook_load(tmp_path)
    text = " ".join(_text(section) for section in workbook.sections.all())
    assert "Before 2003" not in text
    assert text.count("child prostitution") == 2
    words_matter = _text(workbook.sections.get(code="what_is_cse"))
    assert "Serious Crime Act 2015 amended the Sexual Offences Act 2003" in words_matter


def test_safeguards_a_is_absent_from_school_or_repeatedly_running_away(tmp_path):
    taxonomy_load(actor=None)
    item = Item.objects.get(vocabulary__code="safeguard_areas", code__startswith="absent")
    assert item.label == "Absent from school or repeatedly running away"


def test_the_pledge_is_to_zero_tolerance_of_cse(school_practitioner):
    assert pledge_wording().statement.startswith("I pledge my support to zero tolerance of CSE")
    page = signed_in_client(school_practitioner).get(reverse("learning:pledge"))
    assert "I pledge my support to zero tolerance of CSE" in page.content.decode()


def test_each_seeds_resources_are_references_on_the_guidance_pages(school_practitioner):
    page = signed_in_client(school_practitioner).get(reverse("taxonomy:guidance-index"))
    body = page.content.decode()
    assert "References and further reading" in body
    for title in (
        "Childnet",
        "ThinkUKnow",
        "NSPCC Share Aware",
        "Parents Against Child Exploitation (PACE)",
        "Missing children from home, care and education joint protocol",
        "The London CSE operating protocol (2021)",
        "London child protection procedures",
        "Working Together to Safeguard Children (2018)",
        "Safeguarding children and young people from sexual exploitation (2009)",
        "What to do if you suspect a child is being sexually exploited",
        "Child Exploitation Practice Guidance",
    ):
        assert title in body, title
    sources = {r.source for g in references_shipped() for r in g.references}
    assert {"Southwark", "Leeds", "Wiltshire", "North Lincolnshire and Wiltshire"} <= sources


def test_a_bad_references_file_names_the_group_and_the_reference(tmp_path: Path):
    bad = tmp_path / "references.yaml"
    bad.write_text(
        "version: 1\ngroups:\n  - code: x\n    title: X\n    description: D\n    references:\n"
        "      - title: Somewhere\n        source: Leeds\n        url: http://insecure.example/\n"
        "      - source: Leeds\n"
    )
    with pytest.raises(DataFileError) as caught:
        references_read(bad)
    assert caught.value.problems == [
        "references.yaml: group 1: reference 1: url must start with https://",
        "references.yaml: group 1: reference 2: title must be non-empty text",
    ]
