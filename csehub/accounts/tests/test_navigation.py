"""Every demo role's menu, home page and footer offer what that role can use, and only that:
each link opens (no 403, no 404), and each role's key pages are among them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import resolve, reverse

from csehub.accounts.models import Role, User
from csehub.operations.demo import USERS
from csehub.testing.clients import signed_in_client

pytestmark = pytest.mark.django_db

# The pages each role comes to the service for: their home page and menu must link to them.
KEY_PAGES: dict[Role, set[str]] = {
    Role.PRACTITIONER: {
        "children:list",
        "concerns:list",
        "referrals:made",
        "intelligence:mine",
        "pathways:pathway",
        "learning:my-training",
    },
    Role.SAFEGUARDING_LEAD: {
        "concerns:list",
        "referrals:made",
        "learning:compliance",
        "learning:briefing-list",
        "profile:dashboard",
    },
    Role.FRONT_DOOR: {"referrals:team", "children:list", "missing:work-list"},
    Role.SOCIAL_WORKER: {"referrals:team", "children:list", "missing:work-list"},
    Role.POLICE_REFERRAL_DESK: {"referrals:team", "children:list"},
    Role.POLICE_ANALYST: {
        "intelligence:inbox",
        "linking:possible",
        "linking:alerts",
        "linking:runs",
        "linking:network-measures",
        "mace:list",
    },
    Role.MACE_COORDINATOR: {
        "mace:meetings",
        "mace:list",
        "linking:alerts",
        "linking:network-measures",
        "profile:dashboard",
    },
    Role.MISSING_COORDINATOR: {"missing:work-list", "children:list"},
    Role.PARTNERSHIP_ADMIN: {
        "accounts:agency-list",
        "accounts:user-list",
        "learning:compliance",
        "api:tokens",
    },
    Role.INFORMATION_GOVERNANCE: {"audit:search"},
}
# Only the administrator, who connects partner systems, is offered the API tokens page.
NOT_OFFERED: dict[Role, set[str]] = {
    role: {"api:tokens"} for role in Role if role != Role.PARTNERSHIP_ADMIN
}
HREF = re.compile(r'<a\b[^>]*\bhref="([^"#]*)"')


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The demo partnership, loaded once for the module and rolled back after it (a load takes
    half a minute; each test still runs in its own transaction inside this one)."""
    from csehub.operations.demo import demo_load
    from csehub.operations.models import Installation, InstallationMode

    with django_db_blocker.unblock(), override_settings(CSEHUB_DEMO_MODE=True):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            Installation.objects.update_or_create(pk=1, defaults={"mode": InstallationMode.DEMO})
            demo_load()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _links(html: str) -> set[str]:
    """Links to the service's own pages (not phone numbers, e-mail or the API)."""
    found = set()
    for href in HREF.findall(html):
        href = href.replace("&amp;", "&")
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(("/static/", "/api/v1/")):
            continue
        found.add(href)
    return found


@pytest.mark.parametrize("spec", USERS, ids=[spec.role.value for spec in USERS])
def test_every_link_a_role_is_offered_opens_and_its_key_pages_are_offered(demo, spec):
    user = User.objects.get(email=spec.email)
    client = signed_in_client(user)
    home = client.get(reverse("accounts:home"))
    assert home.status_code == 200
    offered = _links(home.content.decode())
    # The concerns page's own suggestions (find or record a child) must open too.
    concerns = client.get(reverse("concerns:list"))
    if concerns.status_code == 200:
        offered |= {h for h in _links(concerns.content.decode()) if "/concerns/" not in h}

    dead = {}
    for href in sorted(offered):
        status = client.get(href).status_code
        if status in (403, 404) or status >= 500:
            dead[href] = status
    assert not dead, f"{spec.role.label} is offered links that do not open: {dead}"

    names = {resolve(urlsplit(href).path).view_name for href in offered}
    missing = KEY_PAGES[Role(spec.role)] - names
    assert not missing, f"{spec.role.label}'s home page and menu do not link to {missing}"
    unwanted = NOT_OFFERED.get(Role(spec.role), set()) & names
    assert not unwanted, f"{spec.role.label} is offered {unwanted}"
