"""Pages and API answers that carry personal data are never kept by a browser or proxy."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from csehub.api.services import api_token_issue
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import ChildFactory

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    return "no-store" in response.headers.get("Cache-Control", "")


def test_a_childs_page_and_the_child_list_are_not_stored(school_practitioner):
    child = ChildFactory(created_by=school_practitioner)
    client = signed_in_client(school_practitioner)
    for url in (reverse("children:detail", args=[child.pk]), reverse("children:list")):
        response = client.get(url)
        assert response.status_code == 200
        assert _no_store(response), url


def test_api_answers_are_not_stored(school_practitioner):
    ChildFactory(created_by=school_practitioner)
    _, token = api_token_issue(
        actor=school_practitioner, user=school_practitioner, name="tests", days=30
    )
    response = Client().get("/api/v1/children", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert _no_store(response)


def test_error_and_sign_in_pages_are_not_stored_either():
    client = Client()
    assert _no_store(client.get(reverse("accounts:sign-in")))
    assert _no_store(client.get("/no-such-page/"))
