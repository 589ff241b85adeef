"""Walking the Southwark pathway as its flowchart reads."""

from __future__ import annotations

import pytest

from csehub.pathways.files import DEFAULT_DATA_DIR, pathway_file_read
from csehub.pathways.graph import OutcomeKind, pathway_walk

K = OutcomeKind


@pytest.fixture(scope="module")
def southwark():
    return pathway_file_read(DEFAULT_DATA_DIR / "southwark" / "pathway.yaml").graph


def test_no_answers_asks_about_immediate_danger_first(southwark):
    result = pathway_walk(southwark, {})
    assert result.next_question is not None
    assert result.next_question.id == "immediate_danger"
    assert result.outcomes == ()


def test_no_warning_signs_means_the_identifying_agency_leads(southwark):
    result = pathway_walk(southwark, {"immediate_danger": "no", "warning_signs_identified": "no"})
    assert result.is_complete
    assert result.outcome_kinds == [K.AGENCY_LEADS_MONITORS_EARLY_HELP]
    assert [step.question.id for step in result.asked] == [
        "immediate_danger",
        "warning_signs_identified",
    ]


def test_warning_signs_and_a_social_worker_go_to_the_worker_the_police_and_social_care(
    southwark,
):
    result = pathway_walk(
        southwark,
        {
            "immediate_danger": "no",
            "warning_signs_identified": "yes",
            "allocated_social_worker": "yes",
        },
    )
    assert result.is_complete
    assert result.outcome_kinds == [
        K.REFER_CHILDRENS_SOCIAL_CARE,
        K.INFORM_ALLOCATED_SOCIAL_WORKER,
        K.REFER_POLICE_CSE_DESK,
    ]


def test_warning_signs_without_a_social_worker_read_as_the_flowchart_does(southwark):
    result = pathway_walk(
        southwark,
        {
            "immediate_danger": "no",
            "warning_signs_identified": "yes",
            "allocated_social_worker": "no",
        },
    )
    assert result.outcome_kinds == [
        K.REFER_CHILDRENS_SOCIAL_CARE,
        K.AGENCY_LEADS_MONITORS_EARLY_HELP,
    ]
    assert K.REFER_POLICE_CSE_DESK not in result.outcome_kinds


def test_immediate_danger_means_999_first_before_the_rest(southwark):
    partial = pathway_walk(southwark, {"immediate_danger": "yes"})
    assert partial.outcome_kinds == [K.CALL_999]
    assert partial.next_question is not None
    assert partial.next_question.id == "warning_signs_identified"

    full = pathway_walk(
        southwark,
        {
            "immediate_danger": "yes",
            "warning_signs_identified": "yes",
            "allocated_social_worker": "yes",
        },
    )
    assert full.outcome_kinds[0] == K.CALL_999
    assert K.REFER_POLICE_CSE_DESK in full.outcome_kinds


def test_the_walk_stops_at_the_first_unanswered_question(southwark):
    result = pathway_walk(southwark, {"immediate_danger": "no", "warning_signs_identified": "yes"})
    assert not result.is_complete
    assert result.next_question is not None
    assert result.next_question.id == "allocated_social_worker"
    assert result.outcome_kinds == [K.REFER_CHILDRENS_SOCIAL_CARE]


def test_an_answer_the_question_does_not_offer_counts_as_unanswered(southwark):
    result = pathway_walk(southwark, {"immediate_danger": "perhaps"})
    assert result.next_question is not None
    assert result.next_question.id == "immediate_danger"
    assert result.invalid == ("immediate_danger",)


def test_answers_to_questions_off_the_route_are_ignored(southwark):
    result = pathway_walk(
        southwark,
        {
            "immediate_danger": "no",
            "warning_signs_identified": "no",
            "allocated_social_worker": "yes",
        },
    )
    assert [step.question.id for step in result.asked] == [
        "immediate_danger",
        "warning_signs_identified",
    ]
