"""Raising a concern, the risk identification tool, its result and who sees what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.concerns.models import Concern, ConcernStatus, RiskAssessment, RiskLevel
from csehub.taxonomy.selectors import item_by_code
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import ChildFactory, ConcernFactory

pytestmark = pytest.mark.django_db

EMPTY_INVOLVED = {
    f"{prefix}-{key}": "0"
    for prefix in ("people", "vehicles", "phones", "online", "locations")
    for key in ("TOTAL_FORMS", "INITIAL_FORMS")
}


def _concern_form(**overrides):
    data = {
        **EMPTY_INVOLVED,
        "how_known": "saw",
        "what_was_seen": "Collected from school by a man in a silver car, not a parent.",
        "observed_on_day": "27",
        "observed_on_month": "2",
        "observed_on_year": "2026",
        "observed_time": "15:40",
        "where": "The school gate",
    }
    data.update(overrides)
    return data


@pytest.fixture
def draft(school_practitioner):
    child = ChildFactory(created_by=school_practitioner)
    response = signed_in_client(school_practitioner).post(
        reverse("concerns:create", args=[child.pk])
    )
    concern = Concern.objects.get()
    assert response["Location"] == reverse("concerns:edit", args=[concern.pk])
    return concern


def test_a_draft_is_saved_and_can_be_continued(school_practitioner, draft):
    client = signed_in_client(school_practitioner)
    data = _concern_form(
        what_was_seen="Half written", observed_on_day="", observed_on_month="", observed_on_year=""
    )
    response = client.post(reverse("concerns:edit", args=[draft.pk]), {**data, "save_draft": "yes"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ConcernStatus.DRAFT and draft.what_was_seen == "Half written"
    page = client.get(reverse("concerns:edit", args=[draft.pk])).content.decode()
    assert "Half written" in page


def test_submitting_an_incomplete_concern_says_what_is_missing_and_keeps_the_rest(
    school_practitioner, draft
):
    data = _concern_form(
        what_was_seen="",
        observed_on_month="14",
        where="Bus station",
        **{
            "vehicles-TOTAL_FORMS": "1",
            "vehicles-0-plate": "yx1? ?bc",
            "vehicles-0-make": "BMW",
            "vehicles-0-colour": "Black",
        },
    )
    response = signed_in_client(school_practitioner).post(
        reverse("concerns:edit", args=[draft.pk]), {**data, "submit": "yes"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "When did it happen? must be a real date" in page
    assert 'value="Bus station"' in page and 'value="BMW"' in page and 'value="14"' in page
    draft.refresh_from_db()
    assert draft.status == ConcernStatus.DRAFT

    data["observed_on_month"] = "2"
    response = signed_in_client(school_practitioner).post(
        reverse("concerns:edit", args=[draft.pk]), {**data, "submit": "yes"}
    )
    assert "Enter what you saw or were told" in response.content.decode()
    assert 'value="BMW"' in response.content.decode()


def test_a_concern_is_submitted_with_who_and_what_was_involved(school_practitioner, draft):
    data = _concern_form(
        **{
            "people-TOTAL_FORMS": "1",
            "people-0-name": "",
            "people-0-nickname": "Danny D",
            "people-0-age_estimate": "25",
            "people-0-description": "Tall, beard",
            "vehicles-TOTAL_FORMS": "2",
            "vehicles-0-plate": "yx1? ?bc",
            "vehicles-0-make": "BMW",
            "vehicles-0-colour": "black",
            "vehicles-1-plate": "",
            "vehicles-1-make": "",
            "vehicles-1-colour": "",
            "phones-TOTAL_FORMS": "1",
            "phones-0-number": "07700 900123",
            "online-TOTAL_FORMS": "1",
            "online-0-platform": "Snapchat",
            "online-0-username": "@danny_d22",
            "locations-TOTAL_FORMS": "1",
            "locations-0-name": "Riverside Park",
            "locations-0-address": "",
            "locations-0-postcode": "fb15 6nl",
        }
    )
    response = signed_in_client(school_practitioner).post(
        reverse("concerns:edit", args=[draft.pk]), {**data, "submit": "yes"}
    )
    assert response["Location"] == reverse("concerns:assess", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == ConcernStatus.SUBMITTED
    assert draft.observed_on == dt.date(2026, 2, 27) and draft.observed_time == dt.time(15, 40)
    assert draft.people.get().nickname == "Danny D"
    assert draft.vehicles.get().plate == "YX1? ?BC"  # the empty second row is dropped
    assert draft.phones.get().number == "07700 900123"
    assert draft.online.get().username == "@danny_d22"
    assert draft.locations.get().postcode == "FB15 6NL"
    assert AuditEvent.objects.filter(
        verb=Verb.UPDATED, target_type="concern", detail__status="submitted"
    ).exists()


def test_add_another_saves_the_draft_and_adds_a_row(school_practitioner, draft):
    response = signed_in_client(school_practitioner).post(
        reverse("concerns:edit", args=[draft.pk]), {**_concern_form(), "add": "vehicles"}
    )
    assert response.status_code == 200
    assert 'name="vehicles-0-plate"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.where == "The school gate"


def test_a_school_sees_only_its_own_concerns(school_practitioner, school_dsl, other_practitioner):
    ours = ConcernFactory(raised_by=school_practitioner)
    theirs = ConcernFactory(raised_by=other_practitioner)
    for user in (school_practitioner, school_dsl):
        client = signed_in_client(user)
        assert client.get(reverse("concerns:detail", args=[ours.pk])).status_code == 200
        assert client.get(reverse("concerns:detail", args=[theirs.pk])).status_code == 404
    assert AuditEvent.objects.filter(
        actor=school_dsl, target_type="concern", target_id=str(theirs.pk), outcome=Outcome.DENIED
    ).exists()


def test_a_draft_is_seen_only_by_its_author(school_practitioner, school_dsl, draft):
    assert (
        signed_in_client(school_dsl).get(reverse("concerns:detail", args=[draft.pk])).status_code
        == 404
    )
    assert (
        signed_in_client(school_practitioner)
        .get(reverse("concerns:detail", args=[draft.pk]))
        .status_code
        == 200
    )


def _tool(ticks=None, *, danger="no"):
    """The tool's answers: {item: (what was seen, roughly when)}; "when" is asked once per
    section, so the last one given for a section stands for all its signs."""
    data = {"immediate_danger": danger}
    for item, (seen, when) in (ticks or {}).items():
        data[f"ind_{item.pk}"] = "on"
        data[f"seen_{item.pk}"] = seen
        data[f"when_{item.vocabulary.code}"] = when
    return data


def test_no_indicators_says_plainly_that_this_does_not_mean_safe(taxonomy, school_practitioner):
    concern = ConcernFactory(raised_by=school_practitioner)
    client = signed_in_client(school_practitioner)
    response = client.post(reverse("concerns:assess", args=[concern.pk]), _tool())
    assessment = RiskAssessment.objects.get()
    assert response["Location"] == reverse("concerns:assessment", args=[assessment.pk])
    assert assessment.computed_level == RiskLevel.NO_INDICATORS_RECORDED
    page = client.get(response["Location"]).content.decode()
    assert "No indicators recorded" in page
    assert "This does not mean the child is safe" in page


def test_a_ticked_indicator_needs_what_was_seen_and_when(taxonomy, school_practitioner):
    concern = ConcernFactory(raised_by=school_practitioner)
    sign = item_by_code("warning_signs", "sexualised_behaviour")
    response = signed_in_client(school_practitioner).post(
        reverse("concerns:assess", args=[concern.pk]),
        {"immediate_danger": "no", f"ind_{sign.pk}": "on"},
    )
    page = response.content.decode()
    assert "Enter what you saw or heard for “Sexualised behaviour beyond their age”" in page
    assert "Select roughly when you last saw the warning signs you ticked" in page
    assert not RiskAssessment.objects.exists()


def test_the_tool_says_what_each_sign_means_in_place(taxonomy, school_practitioner):
    concern = ConcernFactory(raised_by=school_practitioner)
    page = (
        signed_in_client(school_practitioner)
        .get(reverse("concerns:assess", args=[concern.pk]))
        .content.decode()
    )
    meaning = " ".join(item_by_code("warning_signs", "sex_in_exchange").explanation.split())
    assert meaning in " ".join(page.split())
    assert "(opens in a new tab)" not in page
    # Each section opens and closes, and says how many of its signs are ticked.
    assert '<details class="govuk-details app-tool-section" id="section-warning_signs"' in page
    assert "0 ticked" in page


def test_a_significant_indicator_gives_high_risk_with_its_reason(taxonomy, school_practitioner):
    concern = ConcernFactory(raised_by=school_practitioner)
    sign = item_by_code("warning_signs", "sex_in_exchange")
    client = signed_in_client(school_practitioner)
    response = client.post(
        reverse("concerns:assess", args=[concern.pk]),
        _tool({sign: ("Said she was given vodka for going to a party", "last_week")}),
    )
    assessment = RiskAssessment.objects.get()
    assert assessment.computed_level == RiskLevel.HIGH_RISK
    reason = assessment.reasons.get()
    assert reason.item == sign and reason.significant and reason.points == 3
    page = client.get(response["Location"]).content.decode()
    assert "High risk" in page and "significant on its own" in page
    assert "Said she was given vodka" in page


def test_immediate_danger_leads_with_999(taxonomy, school_practitioner):
    concern = ConcernFactory(raised_by=school_practitioner)
    client = signed_in_client(school_practitioner)
    response = client.post(
        reverse("concerns:assess", args=[concern.pk]), {"immediate_danger": "yes"}
    )
    page = client.get(response["Location"]).content.decode()
    assert "Call 999 now" in page


def test_the_safeguarding_lead_records_a_judgement_shown_beside_the_computed_level(
    taxonomy, school_practitioner, school_dsl
):
    concern = ConcernFactory(raised_by=school_practitioner)
    signed_in_client(school_practitioner).post(
        reverse("concerns:assess", args=[concern.pk]), _tool()
    )
    assessment = RiskAssessment.objects.get()
    client = signed_in_client(school_dsl)
    url = reverse("concerns:judgement", args=[assessment.pk])
    response = client.post(url, {"judgement_level": "significant_risk", "judgement_rationale": ""})
    assert "Explain why you have set this level" in response.content.decode()
    response = client.post(
        url,
        {
            "judgement_level": "significant_risk",
            "judgement_rationale": "Her sister was exploited by the same group.",
        },
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.computed_level == RiskLevel.NO_INDICATORS_RECORDED
    assert (
        assessment.judgement_level == RiskLevel.SIGNIFICANT_RISK
        and assessment.judgement_by == school_dsl
    )
    page = client.get(reverse("concerns:assessment", args=[assessment.pk])).content.decode()
    assert "No indicators recorded" in page and "Significant risk" in page
    assert "Her sister was exploited by the same group." in page


def test_another_schools_lead_cannot_judge(taxonomy, school_practitioner, other_practitioner):
    concern = ConcernFactory(raised_by=school_practitioner)
    signed_in_client(school_practitioner).post(
        reverse("concerns:assess", args=[concern.pk]), _tool()
    )
    assessment = RiskAssessment.objects.get()
    response = signed_in_client(other_practitioner).get(
        reverse("concerns:judgement", args=[assessment.pk])
    )
    assert response.status_code == 404


def test_victim_blaming_wording_is_shown_once_on_submit_and_never_blocks(
    school_practitioner, draft
):
    import re

    client = signed_in_client(school_practitioner)
    data = {
        **_concern_form(what_was_seen="She is putting herself at risk with her boyfriend."),
        "submit": "yes",
    }
    response = client.post(reverse("concerns:edit", args=[draft.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "wording guidance" in page
    draft.refresh_from_db()
    assert draft.status == ConcernStatus.DRAFT and "boyfriend" in draft.what_was_seen

    shown = re.search(r'name="what_was_seen-language-shown" value="([^"]*)"', page)
    assert shown and shown.group(1)
    response = client.post(
        reverse("concerns:edit", args=[draft.pk]),
        {**data, "what_was_seen-language-shown": shown.group(1)},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ConcernStatus.SUBMITTED


def test_the_result_page_offers_the_way_to_hand_the_concern_on(
    taxonomy, school_practitioner, school_dsl
):
    concern = ConcernFactory(raised_by=school_practitioner)
    signed_in_client(school_practitioner).post(
        reverse("concerns:assess", args=[concern.pk]), _tool()
    )
    result = reverse("concerns:assessment", args=[RiskAssessment.objects.get().pk])
    practitioner_page = signed_in_client(school_practitioner).get(result).content.decode()
    assert reverse("referrals:request", args=[concern.pk]) in practitioner_page
    assert "Ask your safeguarding lead to refer" in practitioner_page
    lead_page = signed_in_client(school_dsl).get(result).content.decode()
    assert reverse("referrals:create", args=[concern.pk]) in lead_page
    assert "Make a referral" in lead_page


def test_add_another_puts_the_cursor_in_the_new_row(school_practitioner, draft):
    response = signed_in_client(school_practitioner).post(
        reverse("concerns:edit", args=[draft.pk]), {**_concern_form(), "add": "phones"}
    )
    page = response.content.decode()
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Phone number 1' in page
    assert 'name="phones-0-number"' in page and "autofocus" in page
