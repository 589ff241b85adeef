"""Events with no actor belong to the partnership they are about, and only its IG sees them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from csehub.accounts.models import AgencyType, Role
from csehub.audit.models import AuditEvent, Verb
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import TEST_PASSWORD, AgencyFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("audit:search")


@pytest.fixture
def elsewhere_ig():
    elsewhere = PartnershipFactory(slug="elsewhere", name="Elsewhere Safeguarding Partnership")
    agency = AgencyFactory(
        partnership=elsewhere,
        name="Elsewhere Council",
        agency_type=AgencyType.CHILDRENS_SOCIAL_CARE,
    )
    return UserFactory(agency=agency, role=Role.INFORMATION_GOVERNANCE, full_name="Casey Records")


def _failed_sign_in(email: str) -> None:
    response = Client(REMOTE_ADDR="198.51.100.23").post(
        reverse("accounts:sign-in"), {"email": email, "password": TEST_PASSWORD + "-wrong"}
    )
    assert response.status_code == 200


def test_a_failed_sign_in_is_seen_by_the_accounts_partnership_only(
    school_practitioner, ig_officer, elsewhere_ig
):
    _failed_sign_in(school_practitioner.email)
    _failed_sign_in("nobody-has-this@address.test")

    failed = AuditEvent.objects.filter(verb=Verb.SIGN_IN_FAILED).order_by("id")
    assert [e.partnership_id for e in failed] == [school_practitioner.partnership_id, None]

    ours = signed_in_client(ig_officer).get(SEARCH, {"verb": "sign_in_failed"}).content.decode()
    assert "1 event matches" in ours and "198.51.100.23" in ours

    theirs = signed_in_client(elsewhere_ig).get(SEARCH, {"verb": "sign_in_failed"})
    assert "198.51.100.23" not in theirs.content.decode()
    assert "0 events match your filters" in theirs.content.decode()


def test_a_failed_api_token_belongs_to_the_holders_partnership(school_practitioner):
    from csehub.api.services import api_token_issue

    _, token = api_token_issue(
        actor=school_practitioner, user=school_practitioner, name="tests", days=30
    )
    wrong_secret = token[: token.rindex("_") + 1] + "not-the-secret"
    nobodys = "csehub_0123456789_not-a-token-anyone-holds"
    for attempt in (wrong_secret, nobodys):
        response = Client().get("/api/v1/children", headers={"Authorization": f"Bearer {attempt}"})
        assert response.status_code == 401

    failed = AuditEvent.objects.filter(verb=Verb.SIGN_IN_FAILED, target_type="api_token")
    assert [e.partnership_id for e in failed.order_by("id")] == [
        school_practitioner.partnership_id,
        None,
    ]
