"""Field limits and control characters, refused alike by the forms, the services and the models.

(The bulk import's refusals, by line and field, are in test_interchange.py.)
"""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from csehub.intelligence.forms import GradingForm, PersonForm, ShareForm
from csehub.intelligence.models import IntelligenceReport, PersonMention
from csehub.intelligence.services import SharedItems, report_share
from csehub.intelligence.validators import TEXT_MAX, AllowedCharacters, refused_character
from csehub.testing.clients import signed_in_client

ITEM_PREFIXES = ("persons", "vehicles", "phones", "online", "locations")


@pytest.mark.parametrize(
    ("value", "multiline", "problem"),
    [
        ("Danny Smith", False, ""),
        ("Zoë O'Neil-Smith", False, ""),
        ("Danny\tSmith", False, "at character 6"),
        ("Danny\u2028Smith", False, "at character 6"),
        ("Danny\u202eSmith", False, "at character 6"),  # right-to-left override
        ("Seen:\tFriday\r\nagain", True, ""),
        ("Seen\x00again", True, "at character 5"),
        ("Seen\x1b[31m", True, "at character 5"),
        ("ok \ud83d", True, "escape on its own) at character 4"),
    ],
)
def test_refused_characters_are_found_by_position(value, multiline, problem):
    found = refused_character(value, multiline=multiline)
    assert (problem in found) if problem else found == ""


def test_the_validator_names_the_field_not_the_value():
    with pytest.raises(ValidationError) as caught:
        AllowedCharacters("The person's name")("Danny\nSmith")
    assert caught.value.messages == [
        "The person's name has a control character (a tab, line break or similar) at character 6"
    ]


@pytest.mark.django_db
def test_the_service_refuses_a_name_with_a_control_character_and_saves_nothing(
    school_practitioner,
):
    with pytest.raises(ValidationError) as caught:
        report_share(
            actor=school_practitioner,
            text="A man by the gate",
            how_known="saw_it",
            observed_at=None,
            items=SharedItems(persons=[{"name": "Danny\x1bSmith"}]),
        )
    assert caught.value.message_dict == {
        "name": [
            "The person's name has a control character (a tab, line break or similar) at "
            "character 6"
        ]
    }
    assert not IntelligenceReport.objects.exists() and not PersonMention.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_text_over_the_limit(school_practitioner):
    with pytest.raises(ValidationError) as caught:
        report_share(
            actor=school_practitioner,
            text="x" * (TEXT_MAX + 1),
            how_known="saw_it",
            observed_at=None,
        )
    assert caught.value.message_dict == {"text": ["The report must be 20,000 characters or fewer"]}
    assert not IntelligenceReport.objects.exists()


@pytest.mark.django_db
def test_a_model_refuses_an_oversized_description(school_practitioner):
    report = report_share(
        actor=school_practitioner, text="Seen", how_known="saw_it", observed_at=None
    )
    mention = PersonMention(report=report, ref="p1", description="tall " * 2001)
    with pytest.raises(ValidationError) as caught:
        mention.full_clean()
    assert caught.value.message_dict == {
        "description": ["The description must be 10,000 characters or fewer"]
    }


def test_the_share_form_keeps_tabs_and_line_breaks_but_not_other_controls():
    base = {"how_known": "saw_it"}
    assert ShareForm({**base, "text": "Seen:\tFriday\r\nand again"}).is_valid()
    form = ShareForm({**base, "text": "Seen\x07 Friday"})
    assert form.errors["text"] == [
        "What did you see, hear or get told has a control character at character 5 (tabs "
        "and line breaks are fine)"
    ]


def test_the_share_form_says_how_long_the_text_may_be():
    form = ShareForm({"how_known": "saw_it", "text": "x" * (TEXT_MAX + 1)})
    assert form.errors["text"] == ["What you saw must be 20,000 characters or fewer"]


def test_an_item_form_names_the_field_with_a_control_character_or_too_long():
    form = PersonForm({"name": "Danny\tSmith", "nickname": "D" * 201})
    assert form.errors == {
        "name": ["Name has a control character (a tab, line break or similar) at character 6"],
        "nickname": ["Nickname or name they use must be 200 characters or fewer"],
    }


def test_the_grading_form_names_its_fields_limits():
    form = GradingForm({"outcome_reference": "R" * 61, "handling_conditions": "c" * 1001})
    assert form.errors["outcome_reference"] == ["Reference must be 60 characters or fewer"]
    assert form.errors["handling_conditions"] == [
        "Conditions on sharing must be 1,000 characters or fewer"
    ]


@pytest.mark.django_db
def test_the_full_form_refuses_a_control_character_and_keeps_what_was_typed(
    school_practitioner,
):
    client = signed_in_client(school_practitioner)
    data = {
        "text": "A man waits by the gate",
        "how_known": "saw_it",
        "submit": "yes",
        **{f"{p}-TOTAL_FORMS": "0" for p in ITEM_PREFIXES},
        **{f"{p}-INITIAL_FORMS": "0" for p in ITEM_PREFIXES},
        "persons-TOTAL_FORMS": "1",
        "persons-0-name": "Danny\x1bSmith",
        "persons-0-description": "Tall, with a beard",
    }
    page = html.unescape(client.post(reverse("intelligence:share-full"), data).content.decode())
    assert "Name has a control character (a tab, line break or similar) at character 6" in page
    assert "A man waits by the gate" in page and "Tall, with a beard" in page
    assert not IntelligenceReport.objects.exists()
