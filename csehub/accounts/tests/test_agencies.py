"""An administrator manages the agencies of their own partnership, and nobody else can."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csehub.accounts.models import Agency, AgencyType
from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import AgencyFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_admin_adds_an_agency_and_sees_it_listed(partnership_admin):
    client = signed_in_client(partnership_admin)
    form = client.get(reverse("accounts:agency-create")).content.decode()
    assert "Agency name" in form
    assert "Type of agency" in form

    response = client.post(
        reverse("accounts:agency-create"),
        {"name": "  Oakridge   Youth Club ", "agency_type": AgencyType.YOUTH_SERVICE},
        follow=True,
    )
    body = response.content.decode()
    assert "Oakridge Youth Club has been added" in body
    assert "Youth service" in body
    agency = Agency.objects.get(name="Oakridge Youth Club")
    assert agency.partnership == partnership_admin.agency.partnership
    assert agency.is_active
    assert AuditEvent.objects.filter(
        actor=partnership_admin, verb=Verb.CREATED, target_type="agency", target_id=str(agency.pk)
    ).exists()


def test_list_shows_type_status_and_number_of_users(partnership_admin, school, school_dsl):
    UserFactory(agency=school)
    client = signed_in_client(partnership_admin)
    body = client.get(reverse("accounts:agency-list")).content.decode()
    row = body[body.index("Elmfield Academy") :]
    row = row[: row.index("</tr>")]
    assert "School or education setting" in row
    assert "Active" in row
    assert ">2</td>" in row


def test_duplicate_name_in_any_case_is_refused_with_a_specific_message(partnership_admin, school):
    client = signed_in_client(partnership_admin)
    response = client.post(
        reverse("accounts:agency-create"),
        {"name": "ELMFIELD academy", "agency_type": AgencyType.SCHOOL},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is already an agency called ELMFIELD academy in this partnership" in body
    assert "govuk-error-summary" in body
    # What the administrator typed is kept.
    assert 'value="ELMFIELD academy"' in body
    assert Agency.objects.filter(name__iexact="elmfield academy").count() == 1


def test_the_same_name_is_allowed_in_another_partnership(partnership_admin):
    other = PartnershipFactory(slug="elsewhere", name="Elsewhere Partnership")
    AgencyFactory(partnership=other, name="Riverside Clinic")
    client = signed_in_client(partnership_admin)
    response = client.post(
        reverse("accounts:agency-create"),
        {"name": "Riverside Clinic", "agency_type": AgencyType.HEALTH},
    )
    assert response.status_code == 302
    assert Agency.objects.filter(name="Riverside Clinic").count() == 2


def test_missing_answers_get_specific_messages(partnership_admin):
    client = signed_in_client(partnership_admin)
    body = client.post(reverse("accounts:agency-create"), {"name": "", "agency_type": ""}).content
    assert "Enter the agency&#x27;s name" in body.decode()
    assert "Select the type of agency" in body.decode()


def test_edit_audits_changed_field_names_and_deactivation(partnership_admin, school):
    client = signed_in_client(partnership_admin)
    url = reverse("accounts:agency-edit", args=[school.pk])
    assert "Elmfield Academy" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "name": "Elmfield Academy Trust",
            "agency_type": AgencyType.SCHOOL,
            "is_active": "inactive",
        },
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.name == "Elmfield Academy Trust"
    assert not school.is_active
    updated = AuditEvent.objects.get(verb=Verb.UPDATED, target_type="agency")
    assert updated.detail == {"fields": ["name"]}
    assert "Elmfield" not in str(updated.detail)
    assert AuditEvent.objects.filter(verb=Verb.DEACTIVATED, target_id=str(school.pk)).exists()

    client.post(
        url,
        {"name": "Elmfield Academy Trust", "agency_type": AgencyType.SCHOOL, "is_active": "active"},
    )
    school.refresh_from_db()
    assert school.is_active
    assert AuditEvent.objects.filter(verb=Verb.REACTIVATED, target_id=str(school.pk)).exists()


def test_renaming_to_another_agencys_name_is_refused(partnership_admin, school, police):
    client = signed_in_client(partnership_admin)
    response = client.post(
        reverse("accounts:agency-edit", args=[school.pk]),
        {"name": "testshire police", "agency_type": AgencyType.SCHOOL, "is_active": "active"},
    )
    assert "There is already an agency called testshire police" in response.content.decode()
    school.refresh_from_db()
    assert school.name == "Elmfield Academy"


def test_admin_cannot_see_or_change_another_partnerships_agency(partnership_admin):
    other = PartnershipFactory(slug="elsewhere", name="Elsewhere Partnership")
    theirs = AgencyFactory(partnership=other, name="Elsewhere Police")
    client = signed_in_client(partnership_admin)

    assert "Elsewhere Police" not in client.get(reverse("accounts:agency-list")).content.decode()
    url = reverse("accounts:agency-edit", args=[theirs.pk])
    assert client.get(url).status_code == 404
    response = client.post(
        url, {"name": "Taken over", "agency_type": AgencyType.OTHER, "is_active": "inactive"}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Elsewhere Police"
    assert theirs.is_active
    assert (
        AuditEvent.objects.filter(
            actor=partnership_admin,
            target_type="agency",
            target_id=str(theirs.pk),
            outcome=Outcome.DENIED,
        ).count()
        == 2
    )


@pytest.mark.parametrize("url_name", ["accounts:agency-list", "accounts:agency-create"])
def test_practitioner_is_refused_and_the_attempt_audited(school_practitioner, url_name):
    client = signed_in_client(school_practitioner)
    response = client.get(reverse(url_name))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(
        actor=school_practitioner, target_id=url_name, outcome=Outcome.DENIED
    ).exists()


def test_practitioner_cannot_post_a_new_agency(school_practitioner, school):
    client = signed_in_client(school_practitioner)
    response = client.post(
        reverse("accounts:agency-edit", args=[school.pk]),
        {"name": "Renamed", "agency_type": AgencyType.OTHER, "is_active": "inactive"},
    )
    assert response.status_code == 403
    school.refresh_from_db()
    assert school.name == "Elmfield Academy"


def test_navigation_shows_agencies_and_users_only_to_administrators(
    partnership_admin, school_practitioner
):
    admin_home = signed_in_client(partnership_admin).get(reverse("accounts:home")).content.decode()
    assert 'href="/agencies/"' in admin_home
    assert 'href="/users/"' in admin_home
    other_home = (
        signed_in_client(school_practitioner).get(reverse("accounts:home")).content.decode()
    )
    assert 'href="/agencies/"' not in other_home
    assert 'href="/users/"' not in other_home
    agencies_page = signed_in_client(partnership_admin).get(reverse("accounts:agency-list"))
    assert (
        'aria-current="page"><strong class="govuk-service-navigation__active-fallback">Agencies'
        in (agencies_page.content.decode())
    )
