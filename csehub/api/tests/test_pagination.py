"""Lists: bounded pages, refused out-of-range paging with a message, and every page audited."""

from __future__ import annotations

import pytest
from django.test import Client

from csehub.api.pagination import MAX_LIMIT, MAX_OFFSET
from csehub.audit.models import AuditEvent, Verb
from csehub.testing.factories import ConcernFactory

from .conftest import api_client, get

pytestmark = pytest.mark.django_db


def _problem(response) -> tuple[list, str]:
    [problem] = response.json()["detail"]
    return problem["loc"], problem["msg"]


def test_an_offset_beyond_any_list_answers_422_not_a_server_error(school_practitioner):
    client = api_client(school_practitioner)
    for offset in (2**64, MAX_OFFSET + 1):
        response = get(client, "/concerns", offset=offset)
        assert response.status_code == 422, response.content
        loc, msg = _problem(response)
        assert loc == ["query", "offset"]
        assert str(MAX_OFFSET) in msg.replace(",", "")


@pytest.mark.parametrize("limit", [0, MAX_LIMIT + 1, 10**30])
def test_a_limit_outside_1_to_200_is_refused_by_name(school_practitioner, limit):
    response = get(api_client(school_practitioner), "/children", limit=limit)
    assert response.status_code == 422, response.content
    loc, msg = _problem(response)
    assert loc == ["query", "limit"]
    assert msg


def test_the_bounds_are_published_for_every_list():
    document = Client().get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        parameters = {
            p["name"]: p["schema"] for p in operations.get("get", {}).get("parameters", [])
        }
        if "limit" not in parameters:
            continue
        assert (parameters["limit"]["minimum"], parameters["limit"]["maximum"]) == (1, MAX_LIMIT), (
            path
        )
        assert (parameters["offset"]["minimum"], parameters["offset"]["maximum"]) == (
            0,
            MAX_OFFSET,
        ), path


def test_a_page_of_concerns_is_audited_with_the_ids_shown(school_practitioner):
    mine = ConcernFactory.create_batch(3, raised_by=school_practitioner)
    response = get(api_client(school_practitioner), "/concerns", limit=2, offset=1)
    assert response.status_code == 200
    shown = [c["id"] for c in response.json()["items"]]
    assert len(shown) == 2 and set(shown) <= {c.pk for c in mine}
    event = AuditEvent.objects.get(
        actor=school_practitioner, verb=Verb.VIEWED, target_type="concern_list"
    )
    assert event.detail == {"ids": shown}
