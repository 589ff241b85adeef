"""Every GET operation in the OpenAPI document that returns data about a child leaves an audit
event naming what was shown (STYLE convention 14: auditing reads is a mechanism, not a habit).

The operations are read from the document, so a new route is walked without anyone listing
it; only the routes below, which return nothing about any child, may leave no event. A new GET
whose path names a parameter the `records` fixture has no real id for fails until one is added.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from csehub.api.v1 import api
from csehub.audit.models import AuditEvent, Outcome, Verb

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1"

# GET operations that return no data about any child: who the caller is, the shared vocabulary,
# the pathway and the contact directory.
NO_CHILD_DATA = {
    "/me",
    "/vocabularies",
    "/vocabularies/{code}",
    "/pathway",
    "/contacts/now",
}


def _get_paths() -> list[str]:
    document = api.get_openapi_schema(path_prefix=PREFIX)
    return sorted(
        path.removeprefix(PREFIX)
        for path, operations in document["paths"].items()
        if "get" in operations
    )


GET_PATHS = _get_paths()


def test_the_walk_covers_the_child_records():
    about_children = set(GET_PATHS) - NO_CHILD_DATA
    assert {"/children", "/concerns", "/referrals", "/disclosures"} <= about_children
    assert set(GET_PATHS) >= NO_CHILD_DATA, "an allowed route no longer exists: drop it here"


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in _keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in _keys(item)}
    return set()


def _fill(path: str, ids: dict[str, int | str]) -> str:
    filled = path
    for name, value in ids.items():
        filled = filled.replace("{" + name + "}", str(value))
    assert "{" not in filled, f"{path}: add a real id for its parameter to the records fixture"
    return filled


@pytest.mark.parametrize("path", GET_PATHS)
def test_a_read_of_a_childs_data_is_audited(records, path):
    reader = records["school_dsl"]  # the school's lead sees all of the school's records
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = Client(headers={"Authorization": f"Bearer {reader.token}"}).get(
        PREFIX + _fill(path, reader.ids)
    )
    assert response.status_code == 200, response.content
    body = response.json()
    events = list(
        AuditEvent.objects.filter(
            id__gt=before, actor=reader.user, verb=Verb.VIEWED, outcome=Outcome.ALLOWED
        )
    )

    if path in NO_CHILD_DATA:
        assert "child_id" not in _keys(body), f"{path} returns data about a child: audit it"
        return

    assert events, f"GET {path} returned a child's data and left no audit event"
    if "items" in body:
        shown = body["items"]
        assert shown, f"GET {path}: the records fixture should give this list something to show"
        # The shared paginator's two events: the ids of the records listed, or for the entries
        # of one child's record, the child and how many entries were shown.
        listed = {str(i) for e in events for i in e.detail.get("ids", [])}
        ids = {str(item["id"]) for item in shown if "id" in item}
        if ids:
            assert ids <= listed, f"GET {path} showed {ids - listed} without auditing them"
        else:
            child_id = reader.ids["child_id"]
            assert any(e.child_id == child_id and "shown" in e.detail for e in events), (
                f"GET {path} showed entries of a child's record without auditing the page"
            )
    else:
        assert str(body["id"]) in {e.target_id for e in events}, (
            f"GET {path} showed a record without auditing it"
        )
        child_id = body.get("child_id", body["id"] if path.startswith("/children/") else None)
        assert any(e.child_id == child_id for e in events), f"GET {path}: name the child"
