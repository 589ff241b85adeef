"""Dates and times: a time with a zone, an implausible date or a moment out of range is refused
with a message naming it; times come back as the document describes them."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from csehub.testing.factories import ChildFactory, ConcernFactory

from .conftest import api_client, get, post, problems, put

pytestmark = pytest.mark.django_db


def _concern(child_id: int, **answers):
    return {"child_id": child_id, "what_was_seen": "Seen with an older man.", **answers}


@pytest.mark.parametrize("given", ["01:08:02Z", "10:15+01:00", 3600])
def test_a_time_with_a_zone_is_refused_not_a_server_error(school_practitioner, given):
    child = ChildFactory(created_by=school_practitioner)
    response = post(
        api_client(school_practitioner), "/concerns", _concern(child.pk, observed_time=given)
    )
    assert response.status_code == 422, response.content
    assert problems(response) == {
        "observed_time": "Give the UK local time of day without a zone or offset, like 14:30"
    }


def test_a_disclosure_time_with_a_zone_is_refused(school_practitioner):
    child = ChildFactory(created_by=school_practitioner)
    response = post(
        api_client(school_practitioner),
        "/disclosures",
        {"child_id": child.pk, "occurred_time": "23:59:59.5-05:00"},
    )
    assert response.status_code == 422, response.content
    assert "occurred_time" in problems(response)


def test_a_time_comes_back_as_the_document_describes_it(school_practitioner):
    concern = ConcernFactory(raised_by=school_practitioner, observed_time="12:40")
    body = get(api_client(school_practitioner), f"/concerns/{concern.pk}").json()
    assert body["observed_time"] == "12:40:00"

    document = Client().get("/api/v1/openapi.json").json()
    for name, field in (("ConcernOut", "observed_time"), ("DisclosureOut", "occurred_time")):
        described = document["components"]["schemas"][name]["properties"][field]
        [as_text] = [s for s in described["anyOf"] if s.get("type") == "string"]
        assert as_text.get("format") != "time", "RFC 3339 times need an offset; ours have none"
        assert re.match(as_text["pattern"], body["observed_time"])


def test_a_concern_dated_before_1900_is_refused(school_practitioner):
    child = ChildFactory(created_by=school_practitioner)
    response = post(
        api_client(school_practitioner), "/concerns", _concern(child.pk, observed_on="0729-05-01")
    )
    assert response.status_code == 422, response.content
    assert problems(response) == {"observed_on": "Enter a date from 1 January 1900 onwards"}


def test_a_draft_concern_dated_in_the_future_is_refused(school_practitioner):
    child = ChildFactory(created_by=school_practitioner)
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    response = post(
        api_client(school_practitioner),
        "/concerns",
        _concern(child.pk, observed_on=str(tomorrow), submit=False),
    )
    assert response.status_code == 422, response.content
    assert problems(response) == {"observed_on": "The date must be today or in the past"}


def test_a_date_of_birth_before_1900_is_refused(school_practitioner):
    response = post(
        api_client(school_practitioner),
        "/children",
        {"given_name": "Ada", "date_of_birth": "0729-01-01", "confirm_new_child": True},
    )
    assert response.status_code == 422, response.content
    assert problems(response) == {"date_of_birth": "Enter a date from 1 January 1900 onwards"}


def test_a_disclosure_dated_before_1900_is_refused(school_practitioner):
    child = ChildFactory(created_by=school_practitioner)
    client = api_client(school_practitioner)
    response = post(client, "/disclosures", {"child_id": child.pk, "occurred_on": "1899-12-31"})
    assert response.status_code == 422, response.content
    assert problems(response) == {"occurred_on": "Enter a date from 1 January 1900 onwards"}
    draft = post(client, "/disclosures", {"child_id": child.pk}).json()
    changed = put(client, f"/disclosures/{draft['id']}", {"occurred_on": "0001-01-01"})
    assert changed.status_code == 422
    assert problems(changed) == {"occurred_on": "Enter a date from 1 January 1900 onwards"}


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"start": "0001-01-01"}, "start"),
        ({"end": "9999-12-31"}, "end"),
        ({"start": "2026-02-01", "end": "2026-01-01"}, "end"),
    ],
)
def test_a_chronology_period_out_of_range_or_backwards_is_refused(
    school_practitioner, params, named
):
    child = ChildFactory(created_by=school_practitioner)
    response = get(api_client(school_practitioner), f"/children/{child.pk}/chronology", **params)
    assert response.status_code == 422, response.content
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["query", named]
    assert problem["msg"]


@pytest.mark.parametrize("at", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_a_moment_out_of_range_is_refused_not_a_server_error(
    school_practitioner, fernbridge_pathway, at
):
    client = api_client(school_practitioner)
    walked = post(client, "/pathway/walk", {"answers": {}, "at": at})
    assert walked.status_code == 422, walked.content
    assert problems(walked) == {"at": "Enter a date between 1 January 1900 and 31 December 2100"}
    now = get(client, "/contacts/now", at=at)
    assert now.status_code == 422, now.content
    assert now.json()["detail"][0]["loc"] == ["query", "at"]
