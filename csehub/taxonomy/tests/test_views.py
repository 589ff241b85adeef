from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from csehub.taxonomy.services import taxonomy_load
from csehub.testing.clients import signed_in_client

from .conftest import rewrite

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(school_practitioner):
    taxonomy_load()
    return signed_in_client(school_practitioner)


def test_index_lists_vocabularies_and_says_no_signs_is_not_safe(client_for):
    response = client_for.get(reverse("taxonomy:guidance-index"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Guidance - CSE Hub" in body
    assert "Not seeing any warning signs never means a child is safe" in body
    for name in ("Warning signs", "SAFEGUARD areas", "Grooming line stages", "VOLT", "The 3Ps"):
        assert name in body
    assert reverse("taxonomy:guidance-vocabulary", args=["vulnerability_factors"]) in body


def test_search_finds_an_item(client_for):
    response = client_for.get(reverse("taxonomy:guidance-index"), {"q": "nickname"})

    body = response.content.decode()
    assert "for \u2018nickname\u2019" in body
    assert reverse("taxonomy:guidance-item", args=["intelligence_kinds", "nickname"]) in body


def test_search_with_no_match_says_so(client_for):
    response = client_for.get(reverse("taxonomy:guidance-index"), {"q": "zzzqqq"})

    assert "0 results for \u2018zzzqqq\u2019" in response.content.decode()
    assert "Nothing in the guidance matches your search" in response.content.decode()


def test_too_long_a_search_is_an_error_that_keeps_the_text(client_for):
    response = client_for.get(reverse("taxonomy:guidance-index"), {"q": "x" * 101})

    body = response.content.decode()
    assert "There is a problem" in body
    assert "Search terms must be 100 characters or fewer" in body
    assert 'value="' + "x" * 101 + '"' in body


def test_vocabulary_page_groups_items_and_tags_significant_ones(client_for):
    response = client_for.get(reverse("taxonomy:guidance-vocabulary", args=["warning_signs"]))

    assert response.status_code == 200
    body = response.content.decode()
    assert '<h1 class="govuk-heading-l">Warning signs</h1>' in body
    assert "Sexual health and behaviour</a></h2>" in body
    assert "govuk-tag govuk-tag--red" in body
    assert reverse("taxonomy:guidance-item", args=["warning_signs", "picked_up_in_cars"]) in body
    assert 'aria-label="Breadcrumb"' in body


def test_item_page_shows_explanation_parent_and_examples(client_for):
    response = client_for.get(
        reverse("taxonomy:guidance-item", args=["grooming_behaviours", "you_owe_me"])
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Claiming the child is in debt" in body
    assert "Part of" in body
    assert (
        reverse("taxonomy:guidance-item", args=["grooming_stages", "abusive_relationship"]) in body
    )

    stage = client_for.get(
        reverse("taxonomy:guidance-item", args=["grooming_stages", "abusive_relationship"])
    ).content.decode()
    assert "Includes" in stage and "Threats" in stage

    examples = client_for.get(
        reverse("taxonomy:guidance-item", args=["intelligence_kinds", "registration_plate_partial"])
    ).content.decode()
    assert "Examples" in examples


def test_retired_item_page_says_so(client_for, data_copy):
    def drop_theme(data):
        data["items"].pop()
        data["version"] = 2

    rewrite(data_copy / "volt.yaml", drop_theme)
    taxonomy_load(data_dir=data_copy)

    response = client_for.get(reverse("taxonomy:guidance-item", args=["volt", "theme"]))
    assert response.status_code == 200
    assert "This item was retired" in response.content.decode()
    listing = client_for.get(
        reverse("taxonomy:guidance-vocabulary", args=["volt"])
    ).content.decode()
    assert reverse("taxonomy:guidance-item", args=["volt", "theme"]) not in listing


@pytest.mark.parametrize(
    "url",
    [
        reverse("taxonomy:guidance-vocabulary", args=["no_such_list"]),
        reverse("taxonomy:guidance-item", args=["vipa", "no_such_item"]),
        reverse("taxonomy:guidance-item", args=["no_such_list", "violence"]),
    ],
)
def test_unknown_codes_are_not_found(client_for, url):
    assert client_for.get(url).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in():
    url = reverse("taxonomy:guidance-vocabulary", args=["vipa"])

    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
