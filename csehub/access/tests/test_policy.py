"""The whole role x URL matrix: every URL has a policy, and the policy holds for every role."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from csehub.access.permissions import ROLE_PERMISSIONS, Permission
from csehub.access.policy import URL_POLICY, Open
from csehub.access.urlwalk import named_routes
from csehub.accounts.models import Role
from csehub.audit.models import AuditEvent, Outcome
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import AgencyFactory, UserFactory

ROUTES = sorted(named_routes(), key=lambda r: r.view_name)


def test_every_url_pattern_has_an_access_policy():
    missing = [r.view_name for r in ROUTES if r.view_name not in URL_POLICY]
    assert missing == [], f"URL patterns with no entry in access.policy.URL_POLICY: {missing}"


def test_the_policy_names_no_url_that_does_not_exist():
    names = {r.view_name for r in ROUTES}
    assert sorted(set(URL_POLICY) - names) == []


def _url(route) -> str:
    return reverse(route.view_name, kwargs=route.sample_kwargs or None)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.view_name)
def test_anonymous_visitors_reach_only_public_pages(route):
    response = Client().get(_url(route))
    rule = URL_POLICY[route.view_name]
    if rule is Open.PUBLIC:
        assert not (response.status_code == 302 and "/sign-in/?next=" in response["Location"])
    elif rule is Open.API:
        # The API answers for itself: no token, no access (never a sign-in redirect). A GET
        # to a POST-only operation is refused before the token is looked at.
        assert response.status_code in (401, 405)
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in") + "?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.view_name)
def test_each_role_gets_exactly_what_the_policy_gives_it(route, role):
    user = UserFactory(role=role, agency=AgencyFactory())
    rule = URL_POLICY[route.view_name]
    response = signed_in_client(user).get(_url(route))
    if rule is Open.API:
        # A browser session is not an API credential; roles are checked per operation
        # with tokens in csehub/api/tests/test_operations.py.
        assert response.status_code in (401, 405)
    elif isinstance(rule, Permission) and rule not in ROLE_PERMISSIONS[role]:
        assert response.status_code == 403
        assert "You do not have access to this page" in response.content.decode()
        assert AuditEvent.objects.filter(
            actor=user, outcome=Outcome.DENIED, target_id=route.view_name
        ).exists()
    else:
        assert response.status_code != 403
