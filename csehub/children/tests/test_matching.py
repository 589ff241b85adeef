"""Likely existing records: nicknames, aliases, near spellings and the same date of birth."""

from __future__ import annotations

import datetime as dt

import pytest

from csehub.children.matching import NewChildNames, candidate_reasons, name_normalise
from csehub.children.models import AliasKind, ChildAlias
from csehub.testing.factories import ChildFactory


def test_names_are_normalised_for_comparison():
    assert name_normalise("  Zoë O'Neil-Smith ") == "zoe oneilsmith"


@pytest.mark.django_db
def test_a_nickname_from_the_table_matches_the_full_name(school_practitioner):
    child = ChildFactory(
        created_by=school_practitioner, given_name="Alexandra", family_name="Marsh"
    )
    assert candidate_reasons(NewChildNames(given_name="Lexi", family_name="Marsh"), child)


@pytest.mark.django_db
def test_an_alias_on_the_record_matches(school_practitioner):
    child = ChildFactory(created_by=school_practitioner, given_name="Jade", family_name="Quill")
    ChildAlias.objects.create(child=child, name="Jaycee Quill", kind=AliasKind.ALIAS)
    assert candidate_reasons(NewChildNames(given_name="Jaycee", family_name="Quill"), child)


@pytest.mark.django_db
def test_a_near_spelling_matches(school_practitioner):
    child = ChildFactory(
        created_by=school_practitioner, given_name="Kayleigh", family_name="Thornbury"
    )
    assert candidate_reasons(NewChildNames(given_name="Kayley", family_name="Thornbery"), child)


@pytest.mark.django_db
def test_the_same_date_of_birth_and_a_similar_first_name_match(school_practitioner):
    born = dt.date(2011, 4, 2)
    child = ChildFactory(
        created_by=school_practitioner,
        given_name="Thomas",
        family_name="Ashdown",
        date_of_birth=born,
        age_estimate_years=None,
    )
    reasons = candidate_reasons(
        NewChildNames(given_name="Tommy", family_name="Greaves", date_of_birth=born), child
    )
    assert "The same date of birth" in reasons


@pytest.mark.django_db
def test_different_children_do_not_match(school_practitioner):
    child = ChildFactory(created_by=school_practitioner, given_name="Thomas", family_name="Ashdown")
    assert (
        candidate_reasons(NewChildNames(given_name="Maisie", family_name="Pemberton"), child) == []
    )
