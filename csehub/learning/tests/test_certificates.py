"""Certificates: the PDF, the emails, downloads, the public check, the command and revocation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from csehub.accounts.models import AgencyType, Role
from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.learning.certificate_pdf import certificate_pdf
from csehub.learning.models import Certificate
from csehub.learning.selectors.certificates import (
    LOOKUPS_PER_ADDRESS,
    certificate_code_normalise,
)
from csehub.learning.services.certificates import (
    CODE_ALPHABET,
    certificate_code_generate,
    certificate_issue,
    certificate_revoke,
)
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import AgencyFactory, PartnershipFactory, UserFactory
from csehub.testing.pdfs import pdf_fonts

from .certificate_setup import certificate_make, pdf_text

pytestmark = pytest.mark.django_db

VERIFY = "/certificates/verify/"


@pytest.fixture
def certificate(school_practitioner, school_dsl):
    return certificate_make(learner=school_practitioner, reviewer=school_dsl)


# Issuing ---------------------------------------------------------------------------------


def test_codes_are_three_groups_of_four_unambiguous_characters():
    codes = {certificate_code_generate() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        groups = code.split("-")
        assert [len(group) for group in groups] == [4, 4, 4]
        assert set("".join(groups)) <= set(CODE_ALPHABET)
    assert not set("01IOLSBZ25") & set(CODE_ALPHABET)


def test_typed_codes_are_normalised():
    assert certificate_code_normalise(" acde 3fgh-4jkm ") == "ACDE-3FGH-4JKM"
    assert certificate_code_normalise("ACDE–3FGH–4JKM") == "ACDE-3FGH-4JKM"  # noqa: RUF001
    assert certificate_code_normalise("ACDE-3FGH") is None
    assert certificate_code_normalise("ACDE-3FGH-4JK!") is None


def test_the_pdf_holds_the_learner_course_date_code_reviewer_and_where_to_check(certificate):
    text = pdf_text(certificate_pdf(certificate))
    assert "Priya Teacher" in text
    assert "CSE awareness workbook (test)" in text
    assert "27 March 2026" in text
    assert certificate.code in text
    assert "Testshire Safeguarding Children Partnership" in text
    assert "Dana Lead" in text
    assert "/certificates/verify/" in text
    assert "check this certificate" in text


def test_the_pdf_is_drawn_the_same_every_time(certificate):
    first = certificate_pdf(certificate)
    assert first.startswith(b"%PDF")
    assert certificate_pdf(Certificate.objects.get(pk=certificate.pk)) == first


def test_issuing_emails_the_learner_and_the_reviewer_the_pdf(
    school_practitioner, school_dsl, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_make(learner=school_practitioner, reviewer=school_dsl)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [school_practitioner.email, school_dsl.email]
    )
    for message in mail.outbox:
        assert message.subject == "Certificate of completion: CSE awareness workbook (test)"
        assert certificate.code in message.body
        [(filename, content, mimetype)] = message.attachments
        assert filename == f"certificate-{certificate.code}.pdf"
        assert mimetype == "application/pdf"
        assert "Priya Teacher" in pdf_text(content)
    assert AuditEvent.objects.filter(
        verb=Verb.CREATED, target_type="certificate", target_id=str(certificate.pk)
    ).exists()


def test_no_email_goes_when_the_confirmation_is_rolled_back(
    school_practitioner, school_dsl, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        certificate_make(learner=school_practitioner, reviewer=school_dsl)
    # Still queued: nothing is sent until the transaction commits.
    assert callbacks
    assert mail.outbox == []


def test_a_certificate_is_issued_once_per_attempt(certificate, school_dsl):
    again = certificate_issue(attempt=certificate.attempt, actor=school_dsl)
    assert again.pk == certificate.pk
    assert Certificate.objects.count() == 1


# Downloads -------------------------------------------------------------------------------


def test_the_learner_downloads_their_certificate(certificate, school_practitioner):
    response = signed_in_client(school_practitioner).get(
        reverse("learning:certificate-pdf", args=[certificate.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"certificate-{certificate.code}.pdf" in response["Content-Disposition"]
    assert certificate.code in pdf_text(response.content)
    assert AuditEvent.objects.filter(
        actor=school_practitioner,
        verb=Verb.EXPORTED,
        target_type="certificate",
        target_id=str(certificate.pk),
    ).exists()


def test_another_practitioner_cannot_download_it(certificate, school):
    colleague = UserFactory(agency=school, role=Role.PRACTITIONER)
    response = signed_in_client(colleague).get(
        reverse("learning:certificate-pdf", args=[certificate.pk])
    )
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        actor=colleague,
        target_type="certificate",
        target_id=str(certificate.pk),
        outcome=Outcome.DENIED,
    ).exists()
    assert not AuditEvent.objects.filter(actor=colleague, verb=Verb.EXPORTED).exists()


def test_the_agency_lead_downloads_their_learners_certificates_but_not_others(
    certificate, school_dsl, partnership
):
    assert (
        signed_in_client(school_dsl)
        .get(reverse("learning:certificate-pdf", args=[certificate.pk]))
        .status_code
        == 200
    )
    other_school = AgencyFactory(partnership=partnership, agency_type=AgencyType.SCHOOL)
    other_lead = UserFactory(agency=other_school, role=Role.SAFEGUARDING_LEAD)
    response = signed_in_client(other_lead).get(
        reverse("learning:certificate-pdf", args=[certificate.pk])
    )
    assert response.status_code == 404


def test_the_learner_sees_the_certificate_page(certificate, school_practitioner):
    response = signed_in_client(school_practitioner).get(
        reverse("learning:certificate-detail", args=[certificate.pk])
    )
    assert response.status_code == 200
    assert certificate.code in response.content.decode()
    assert "Revoke this certificate" not in response.content.decode()


# The public check ------------------------------------------------------------------------


def test_the_check_page_needs_no_sign_in():
    response = Client().get(VERIFY)
    assert response.status_code == 200
    assert "Check a training certificate" in response.content.decode()


def test_a_valid_code_shows_only_name_course_and_date(certificate):
    typed = certificate.code.lower().replace("-", " ")
    response = Client().post(VERIFY, {"code": typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert "This certificate is valid" in page
    assert "Priya Teacher" in page
    assert "CSE awareness workbook (test)" in page
    assert "27 March 2026" in page
    # Nothing else about the learner, their agency or their reviewer.
    learner = certificate.attempt.learner
    for private in (learner.email, learner.agency.name, "Dana Lead", "Practitioner"):
        assert private not in page
    event = AuditEvent.objects.get(verb=Verb.SEARCHED, target_type="certificate")
    assert event.target_id == str(certificate.pk)
    assert event.detail == {"action": "verify", "result": "valid"}
    assert event.actor_id is None


def test_an_unknown_code_is_said_clearly_and_the_code_is_not_kept():
    response = Client().post(VERIFY, {"code": "ACDE-3FGH-4JKM"})
    page = response.content.decode()
    assert "We could not find a certificate with that code" in page
    assert "This certificate is valid" not in page
    event = AuditEvent.objects.get(verb=Verb.SEARCHED, target_type="certificate")
    assert event.target_id == ""
    assert "ACDE" not in str(event.detail)


def test_a_code_of_the_wrong_shape_gets_an_error_message_and_keeps_the_answer():
    response = Client().post(VERIFY, {"code": "12345"})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter the code as it is printed" in page
    assert 'value="12345"' in page


def test_a_revoked_certificate_fails_the_check_and_shows_nothing_else(
    certificate, partnership_admin
):
    certificate_revoke(actor=partnership_admin, certificate=certificate, reason="Issued in error")
    page = Client().post(VERIFY, {"code": certificate.code}).content.decode()
    assert "This certificate has been revoked" in page
    assert "Priya Teacher" not in page
    assert "Issued in error" not in page


def test_guessing_is_throttled_per_address(certificate):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(LOOKUPS_PER_ADDRESS):
        assert client.post(VERIFY, {"code": "ACDE-3FGH-4JKM"}).status_code == 200
    response = client.post(VERIFY, {"code": certificate.code})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many checks" in page
    assert "Priya Teacher" not in page
    assert AuditEvent.objects.filter(
        verb=Verb.SEARCHED, outcome=Outcome.DENIED, detail__result="throttled"
    ).exists()
    # Someone else, elsewhere, is not held up.
    other = Client(REMOTE_ADDR="198.51.100.7").post(VERIFY, {"code": certificate.code})
    assert "This certificate is valid" in other.content.decode()


def test_the_throttle_lifts_after_ten_minutes(certificate, time_machine):
    time_machine.move_to(dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC), tick=False)
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(LOOKUPS_PER_ADDRESS):
        client.post(VERIFY, {"code": "ACDE-3FGH-4JKM"})
    assert client.post(VERIFY, {"code": certificate.code}).status_code == 429
    time_machine.move_to(dt.datetime(2026, 4, 1, 9, 11, tzinfo=dt.UTC), tick=False)
    assert "This certificate is valid" in (
        client.post(VERIFY, {"code": certificate.code}).content.decode()
    )


# The command -----------------------------------------------------------------------------


def test_the_command_exits_0_for_a_valid_code(certificate, capsys):
    call_command("certificate", "verify", certificate.code.lower())
    out = capsys.readouterr().out
    assert "Valid certificate" in out
    assert "Name: Priya Teacher" in out
    assert "Course: CSE awareness workbook (test)" in out
    assert "Completed on: 27 March 2026" in out


def test_the_command_exits_1_for_an_unknown_code(capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("certificate", "verify", "ACDE-3FGH-4JKM")
    assert exit_info.value.code == 1
    assert "We could not find a certificate with that code" in capsys.readouterr().err


def test_the_command_exits_1_for_a_revoked_code(certificate, partnership_admin, capsys):
    certificate_revoke(actor=partnership_admin, certificate=certificate, reason="Issued in error")
    with pytest.raises(SystemExit) as exit_info:
        call_command("certificate", "verify", certificate.code)
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert "This certificate has been revoked" in captured.err
    assert "Priya Teacher" not in captured.out + captured.err


# Revocation ------------------------------------------------------------------------------


def test_an_administrator_revokes_a_certificate_with_a_reason(certificate, partnership_admin):
    client = signed_in_client(partnership_admin)
    url = reverse("learning:certificate-revoke", args=[certificate.pk])
    empty = client.post(url, {"reason": "  "})
    assert "Enter why the certificate is being revoked" in empty.content.decode()
    response = client.post(url, {"reason": "Issued to the wrong person"}, follow=True)
    assert "has been revoked" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.is_revoked
    assert certificate.revoked_reason == "Issued to the wrong person"
    event = AuditEvent.objects.get(verb=Verb.UPDATED, target_type="certificate")
    assert event.detail == {"action": "revoked"}
    assert "wrong person" not in str(event.detail)


def test_only_administrators_may_revoke(certificate, school_dsl, school_practitioner):
    url = reverse("learning:certificate-revoke", args=[certificate.pk])
    for person in (school_dsl, school_practitioner):
        assert signed_in_client(person).post(url, {"reason": "No"}).status_code == 403
    with pytest.raises(PermissionDenied):
        certificate_revoke(actor=school_dsl, certificate=certificate, reason="No")
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_an_administrator_of_another_partnership_cannot_revoke(certificate):
    elsewhere = PartnershipFactory(slug="elsewhere", name="Elsewhere Partnership")
    admin = UserFactory(agency=AgencyFactory(partnership=elsewhere), role=Role.PARTNERSHIP_ADMIN)
    with pytest.raises(PermissionDenied):
        certificate_revoke(actor=admin, certificate=certificate, reason="Not ours")
    response = signed_in_client(admin).get(
        reverse("learning:certificate-revoke", args=[certificate.pk])
    )
    assert response.status_code == 404


def test_a_revoked_certificate_is_not_downloaded_again(
    certificate, school_practitioner, partnership_admin
):
    certificate_revoke(actor=partnership_admin, certificate=certificate, reason="Issued in error")
    client = signed_in_client(school_practitioner)
    response = client.get(reverse("learning:certificate-pdf", args=[certificate.pk]))
    assert response.status_code == 404
    page = client.get(reverse("learning:my-training")).content.decode()
    assert "Revoked" in page
    assert reverse("learning:certificate-pdf", args=[certificate.pk]) not in page


def test_an_empty_check_asks_for_the_code():
    page = Client().post(VERIFY, {}).content.decode()
    assert "Enter the verification code from the certificate" in page


@pytest.mark.parametrize(
    "name", ["Łucja Wiśniewska", "Анна Петрова", "Αθηνά Παππά", "Nguyễn Thị Hồng"]
)
def test_a_name_in_any_european_alphabet_or_vietnamese_reads_as_typed(name, school, school_dsl):
    learner = UserFactory(agency=school, role=Role.PRACTITIONER, full_name=name)
    content = certificate_pdf(certificate_make(learner=learner, reviewer=school_dsl))
    assert name in pdf_text(content)
    fonts = pdf_fonts(content)
    assert fonts and all(fonts.values())  # embedded: readers need no font of their own
    assert {font.split("+")[-1] for font in fonts} == {"DejaVuSans", "DejaVuSans-Bold"}
