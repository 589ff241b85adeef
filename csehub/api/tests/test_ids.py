"""Record ids in paths, queries and bodies: beyond the database's 64-bit integers they are
refused by name, not a server error."""

from __future__ import annotations

import pytest

from .conftest import api_client, get, post

pytestmark = pytest.mark.django_db

TOO_BIG = 2**70


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/referrals", "concern_id"),
        ("/referrals", "child_id"),
        ("/concerns", "child_id"),
        ("/disclosures", "child_id"),
    ],
)
def test_a_filter_by_an_impossible_id_is_refused_by_name(school_dsl, path, param):
    response = get(api_client(school_dsl), path, **{param: TOO_BIG})
    assert response.status_code == 422, response.content
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["query", param]


@pytest.mark.parametrize(
    "path", [f"/children/{TOO_BIG}", f"/concerns/{TOO_BIG}", f"/referrals/{TOO_BIG}"]
)
def test_a_path_with_an_impossible_id_is_refused_by_name(school_dsl, path):
    response = get(api_client(school_dsl), path)
    assert response.status_code == 422, response.content
    [problem] = response.json()["detail"]
    assert problem["loc"][0] == "path"


def test_a_body_naming_an_impossible_child_is_refused_by_name(school_dsl):
    response = post(api_client(school_dsl), "/concerns", {"child_id": TOO_BIG})
    assert response.status_code == 422, response.content
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", "payload", "child_id"]
