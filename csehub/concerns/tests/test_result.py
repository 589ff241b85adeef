"""The result's wording as a pure function: each rule that set the level is said once, in
plain words, and nothing the practitioner reads contradicts anything else."""

from __future__ import annotations

import pytest

from csehub.concerns.models import RiskLevel
from csehub.concerns.rating import scheme_load
from csehub.concerns.result import CountedSign, age_sentences, result_sentences


@pytest.fixture
def scheme():
    return scheme_load()


def test_points_say_which_threshold_they_reached(scheme):
    sentences = result_sentences(
        scheme=scheme,
        computed_level=RiskLevel.SIGNIFICANT_RISK,
        points=7,
        signs=[CountedSign("Going missing", counted=True, significant=False)] * 3,
    )
    assert sentences[0] == (
        "The tool gives significant risk because the signs add up to 7 points. Emerging risk "
        "starts at 1 point, significant risk at 6 and high risk at 12."
    )


def test_a_sign_that_sets_the_level_says_so_and_what_the_points_alone_would_give(scheme):
    sentences = result_sentences(
        scheme=scheme,
        computed_level=RiskLevel.HIGH_RISK,
        points=3,
        signs=[CountedSign("Sexual activity in return for something", True, True)],
    )
    assert sentences == [
        "The tool gives high risk because “Sexual activity in return for something” sets the "
        "level on its own, whatever the points.",
        "The signs add up to 3 points; on points alone the level would be emerging risk.",
    ]


def test_nothing_recorded_is_never_called_safe(scheme):
    sentences = result_sentences(
        scheme=scheme, computed_level=RiskLevel.NO_INDICATORS_RECORDED, points=0, signs=[]
    )
    assert "does not mean the child is safe" in sentences[0]


def test_a_judgement_over_nothing_ticked_says_it_is_the_level_that_counts(scheme):
    sentences = result_sentences(
        scheme=scheme,
        computed_level=RiskLevel.NO_INDICATORS_RECORDED,
        points=0,
        signs=[],
        judgement_level=RiskLevel.HIGH_RISK,
        judged_by="Dana Lead",
    )
    assert sentences[1] == (
        "Dana Lead used professional judgement to set the level at high risk instead. That is "
        "the level that counts, and the pathway below follows it."
    )


@pytest.mark.parametrize(
    ("age", "words"),
    [
        (12, "A child under 13 cannot consent to any sexual activity"),
        (16, "Child sexual exploitation covers everyone under 18"),
        (17, "whatever the relationship is called"),
    ],
)
def test_the_law_for_the_childs_age(age, words):
    assert words in " ".join(age_sentences(age))


@pytest.mark.parametrize("age", [None, 13, 14, 15, 18])
def test_no_age_note_where_the_law_adds_nothing_particular(age):
    assert age_sentences(age) == []
