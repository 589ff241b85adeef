from __future__ import annotations

import datetime
import logging

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from csehub.accounts.models import Role
from csehub.audit.models import AuditEvent, Outcome
from csehub.language.checker import flags_fingerprint, language_check
from csehub.language.models import LanguageFeedback
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import AgencyFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CHECK = reverse("language:check")
# A made-up marker to look for anywhere it might have been kept.
MARKER = "Zorbleflax"


def _post_check(client: Client, text: str, **extra: str):
    return client.post(
        CHECK, {"language_field": "summary", "summary": text, **extra}, HTTP_HX_REQUEST="true"
    )


def test_check_needs_sign_in():
    response = Client().post(CHECK, {"language_field": "summary", "summary": "streetwise"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_check_returns_the_words_why_and_suggestions(school_practitioner):
    response = _post_check(
        signed_in_client(school_practitioner), "Her older boyfriend says she is streetwise."
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Check your wording: 2 phrases" in body
    assert "\u2018older boyfriend\u2019" in body
    assert "\u2018streetwise\u2019" in body
    assert "describes abuse as an ordinary romance" in body  # why
    assert "an adult man aged (age) who is sexually abusing her" in body  # a suggestion
    assert "You can save your wording as it is" in body
    assert 'name="summary-language-shown" value="adult_boyfriend,streetwise"' in body


def test_check_keeps_codes_shown_earlier_after_the_wording_changes(school_practitioner):
    response = _post_check(
        signed_in_client(school_practitioner),
        "She is at risk from adults at the flat.",
        **{"summary-language-shown": "putting_themselves_at_risk,invented_code"},
    )

    body = response.content.decode()
    assert 'name="summary-language-shown" value="putting_themselves_at_risk"' in body
    assert "Check your wording" not in body


def test_check_answers_no_content_when_the_guidance_on_screen_is_unchanged(school_practitioner):
    text = "She is streetwise. Today she was in town."
    response = _post_check(
        signed_in_client(school_practitioner),
        text,
        **{
            "summary-language-shown": "streetwise",
            "summary-language-current": flags_fingerprint(language_check("She is streetwise.")),
        },
    )

    assert response.status_code == 204


def test_check_without_a_field_name_is_a_bad_request(school_practitioner):
    response = signed_in_client(school_practitioner).post(CHECK, {"summary": "streetwise"})

    assert response.status_code == 400


def test_check_only_accepts_post(school_practitioner):
    assert signed_in_client(school_practitioner).get(CHECK).status_code == 405


def test_check_is_protected_against_cross_site_requests(school_practitioner):
    client = signed_in_client(school_practitioner)
    client.handler.enforce_csrf_checks = True

    refused = _post_check(client, "She is streetwise.")
    page = client.get(reverse("language:try"))
    token = page.context["csrf_token"]
    accepted = client.post(
        CHECK,
        {"language_field": "text", "text": "She is streetwise."},
        HTTP_X_CSRFTOKEN=str(token),
    )

    assert refused.status_code == 403
    assert 'hx-headers=\'{"X-CSRFToken": "' in page.content.decode()
    assert accepted.status_code == 200


def test_checked_text_is_not_stored_audited_or_logged(school_practitioner, caplog):
    caplog.set_level(logging.DEBUG)
    text = f"{MARKER} is streetwise and was putting herself at risk."
    client = signed_in_client(school_practitioner)

    _post_check(client, text)
    client.post(reverse("language:try"), {"text": text})

    for model in apps.get_models():
        for field in model._meta.fields:
            if isinstance(field, models.CharField | models.TextField):
                assert not model._default_manager.filter(
                    **{f"{field.name}__icontains": MARKER}
                ).exists(), f"{model.__name__}.{field.name} holds the checked text"
    for event in AuditEvent.objects.all():
        assert MARKER not in str(event.detail)
    assert not LanguageFeedback.objects.exists()
    assert MARKER not in caplog.text


def test_try_page_has_the_live_checker_and_the_phrase_list(school_practitioner):
    response = signed_in_client(school_practitioner).get(reverse("language:try"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Check your wording - CSE Hub" in body
    assert f'hx-post="{CHECK}"' in body
    assert 'hx-trigger="input changed delay:600ms from:#id_text, blur from:#id_text"' in body
    assert 'aria-live="polite"' in body
    assert '<meta name="htmx-config"' in body and '"includeIndicatorStyles":false' in body
    assert "Sugar daddy" in body
    assert "<caption" in body


def test_try_page_checks_without_scripts_and_keeps_the_text(school_practitioner):
    client = signed_in_client(school_practitioner)

    flagged = client.post(reverse("language:try"), {"text": "She went willingly."})
    clean = client.post(reverse("language:try"), {"text": "She went with two adult men."})
    empty = client.post(reverse("language:try"), {"text": ""})

    assert "\u2018willingly\u2019" in flagged.content.decode()
    assert "She went willingly.</textarea>" in flagged.content.decode()
    assert "None of the phrases on the list below was found" in clean.content.decode()
    assert "Enter some wording to check" in empty.content.decode()


def test_report_is_forbidden_to_a_practitioner(school_practitioner):
    response = signed_in_client(school_practitioner).get(reverse("language:report"))

    assert response.status_code == 403
    assert AuditEvent.objects.filter(
        actor=school_practitioner, outcome=Outcome.DENIED, target_id="language:report"
    ).exists()


@pytest.mark.parametrize("role", [Role.MACE_COORDINATOR, Role.INFORMATION_GOVERNANCE])
def test_report_is_open_to_mace_and_information_governance(role, council):
    user = UserFactory(agency=council, role=role)

    response = signed_in_client(user).get(reverse("language:report"))

    assert response.status_code == 200
    assert "No language guidance has been counted in this period yet" in response.content.decode()


def test_report_shows_counts_of_the_partnership_only(partnership_admin, school):
    today = timezone.localdate()
    LanguageFeedback.objects.create(
        day=today,
        agency=school,
        phrase_code="streetwise",
        field_key="concerns.concern.summary",
        shown_count=4,
        accepted_count=3,
        ignored_count=1,
    )
    LanguageFeedback.objects.create(
        day=today,
        agency=school,
        phrase_code="consent",
        field_key="concerns.concern.summary",
        shown_count=2,
        accepted_count=0,
        ignored_count=2,
    )
    elsewhere = AgencyFactory(partnership=PartnershipFactory(slug="elsewhere", name="Elsewhere"))
    LanguageFeedback.objects.create(
        day=today,
        agency=elsewhere,
        phrase_code="sexting",
        field_key="x.y",
        shown_count=50,
        accepted_count=50,
        ignored_count=0,
    )
    LanguageFeedback.objects.create(
        day=today - datetime.timedelta(days=800),
        agency=school,
        phrase_code="sugar_daddy",
        field_key="x.y",
        shown_count=9,
        accepted_count=9,
        ignored_count=0,
    )

    response = signed_in_client(partnership_admin).get(reverse("language:report"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "By month</caption>" in body and "By phrase</caption>" in body
    assert "Streetwise" in body and "Consented, consensual" in body
    assert "Sexting" not in body  # another partnership's counts
    assert "Sugar daddy" not in body  # older than the report's 12 months
    assert today.strftime("%B %Y") in body
    report = response.context["report"]
    assert (report.total.shown, report.total.accepted, report.total.ignored) == (6, 3, 3)
    assert report.total.accepted_percent == 50
    assert [(r.phrase_code, r.counts.shown) for r in report.by_phrase] == [
        ("streetwise", 4),
        ("consent", 2),
    ]
