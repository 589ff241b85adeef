"""The pathway, walking it, and who to call now, over the API (Fernbridge's demo files)."""

from __future__ import annotations

import pytest

from csehub.pathways.services import pathway_load

from .conftest import api_client, get, post

pytestmark = pytest.mark.django_db


def test_the_pathway_graph_has_its_questions_and_outcomes(school_practitioner, fernbridge_pathway):
    body = get(api_client(school_practitioner), "/pathway").json()
    assert body["partnership"] == "fernbridge"
    assert body["start"] == "immediate_danger"
    assert "warning_signs_identified" in [q["id"] for q in body["questions"]]
    assert "call_999" in [o["kind"] for o in body["outcomes"]]


def test_a_walk_reaches_outcomes_in_order_with_numbers(school_practitioner, fernbridge_pathway):
    client = api_client(school_practitioner)
    partial = post(client, "/pathway/walk", {"answers": {"immediate_danger": "yes"}}).json()
    assert partial["complete"] is False
    assert partial["next_question"]["id"] == "warning_signs_identified"
    assert [o["kind"] for o in partial["outcomes"]] == ["call_999"]

    walked = post(
        client,
        "/pathway/walk",
        {
            "answers": {"immediate_danger": "no", "warning_signs_identified": "no"},
            "at": "2026-11-27T16:45:00",
        },
    ).json()
    assert walked["complete"] is True
    [leads] = walked["outcomes"]
    assert leads["kind"] == "agency_leads_monitors_early_help"
    assert leads["calls"][0]["service_code"] == "early_help"


def test_who_to_call_now_picks_the_line_for_the_time(school_practitioner, fernbridge_pathway):
    client = api_client(school_practitioner)
    open_ = get(client, "/contacts/now", service="front_door", at="2026-11-25T11:00").json()
    closed = get(client, "/contacts/now", service="front_door", at="2026-11-25T23:30").json()
    assert open_["is_open"] is True
    assert closed["is_open"] is False
    assert open_["number"] != closed["number"] or closed["number"] is None
    assert closed["reason"]


def test_unknown_partnerships_and_services_answer_404(school_practitioner, fernbridge_pathway):
    client = api_client(school_practitioner)
    assert get(client, "/pathway", partnership="nowhere").status_code == 404
    assert get(client, "/contacts/now", service="no_such_service").status_code == 404
    assert get(client, "/contacts/now", partnership="north-lincolnshire").status_code == 404


def test_an_example_partnerships_directory_is_open_to_everyone(school_practitioner):
    pathway_load(slug="north-lincolnshire")
    response = get(
        api_client(school_practitioner), "/contacts/now", partnership="north-lincolnshire"
    )
    assert response.status_code == 200
    assert response.json()["number"]
