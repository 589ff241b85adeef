"""The risk identification tool as a practitioner meets it, without scripts: sections, "when"
asked once, the result so far, immediate danger, the child's age and a result in plain words."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from csehub.concerns.models import RiskAssessment, RiskLevel
from csehub.concerns.tests.test_views import _tool
from csehub.taxonomy.selectors import item_by_code
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import ChildFactory, ConcernFactory

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    """The page's words, without tags, on one line."""
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _born_years_ago(years: int) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - dt.timedelta(days=30)


def test_when_is_asked_once_for_all_the_signs_ticked_in_a_section(taxonomy, school_practitioner):
    concern = ConcernFactory(raised_by=school_practitioner)
    cars = item_by_code("warning_signs", "picked_up_in_cars")
    gifts = item_by_code("warning_signs", "unexplained_gifts_or_belongings")
    data = _tool(
        {
            cars: ("Collected by a man in a black car", "last_week"),
            gifts: ("A new phone she will not explain", "last_week"),
        }
    )
    assert list(data).count("when_warning_signs") == 1
    response = signed_in_client(school_practitioner).post(
        reverse("concerns:assess", args=[concern.pk]), data
    )
    assert response.status_code == 302
    assessment = RiskAssessment.objects.get()
    assert {o.roughly_when for o in assessment.observations.all()} == {"last_week"}
    assert assessment.observations.count() == 2


def test_vulnerabilities_and_abuse_models_do_not_ask_when(taxonomy, school_practitioner):
    concern = ConcernFactory(raised_by=school_practitioner)
    care = item_by_code("vulnerability_factors", "care_leaver")
    model = item_by_code("abuse_models", "online_grooming")
    data = {
        "immediate_danger": "no",
        f"ind_{care.pk}": "on",
        f"seen_{care.pk}": "Left care last year",
        f"ind_{model.pk}": "on",
        f"seen_{model.pk}": "Messages from an adult posing as 15",
    }
    response = signed_in_client(school_practitioner).post(
        reverse("concerns:assess", args=[concern.pk]), data
    )
    assert response.status_code == 302, _text(response)
    assert RiskAssessment.objects.get().observations.count() == 2


def test_an_error_keeps_everything_entered_and_opens_the_section(taxonomy, school_practitioner):
    concern = ConcernFactory(raised_by=school_practitioner)
    cars = item_by_code("warning_signs", "picked_up_in_cars")
    gifts = item_by_code("warning_signs", "unexplained_gifts_or_belongings")
    data = _tool({cars: ("Collected by a man in a black car", "last_week")}, danger="yes")
    data[f"ind_{gifts.pk}"] = "on"  # ticked, but nothing said about it
    response = signed_in_client(school_practitioner).post(
        reverse("concerns:assess", args=[concern.pk]), data
    )
    html = response.content.decode()
    assert "Enter what you saw or heard for" in html
    assert "Collected by a man in a black car" in html
    assert re.search(rf'id="id_ind_{cars.pk}"[^>]* checked', html)
    assert re.search(r'id="section-warning_signs" data-tool-section open', html)
    assert "2 ticked" in html
    # The child is in immediate danger: the 999 banner is shown, not hidden.
    assert re.search(r'id="danger-banner"[^>]*>', html)
    assert (
        'id="danger-banner" role="region" aria-labelledby="danger-banner-title" hidden' not in html
    )
    assert not RiskAssessment.objects.exists()


def test_the_999_banner_is_on_the_page_but_hidden_until_danger_is_chosen(
    taxonomy, school_practitioner
):
    concern = ConcernFactory(raised_by=school_practitioner)
    html = (
        signed_in_client(school_practitioner)
        .get(reverse("concerns:assess", args=[concern.pk]))
        .content.decode()
    )
    assert 'id="danger-banner" role="region" aria-labelledby="danger-banner-title" hidden' in html
    assert "Call 999 now." in html


def test_update_the_result_without_scripts_saves_nothing_and_shows_no_errors(
    taxonomy, school_practitioner
):
    concern = ConcernFactory(raised_by=school_practitioner)
    sign = item_by_code("warning_signs", "sex_in_exchange")
    data = {"immediate_danger": "no", f"ind_{sign.pk}": "on", "preview": "1"}
    response = signed_in_client(school_practitioner).post(
        reverse("concerns:assess", args=[concern.pk]), data
    )
    text = _text(response)
    assert response.status_code == 200
    assert "There is a problem" not in text
    assert "Result so far High risk" in text
    assert "sets the level on its own" in text
    assert not RiskAssessment.objects.exists()


def test_the_live_result_is_worked_out_by_the_server_and_saves_nothing(
    taxonomy, school_practitioner
):
    concern = ConcernFactory(raised_by=school_practitioner)
    sign = item_by_code("grooming_behaviours", "sex_with_others")
    client = signed_in_client(school_practitioner)
    url = reverse("concerns:assess-result", args=[concern.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"immediate_danger": "yes", f"ind_{sign.pk}": "on"})
    text = _text(response)
    assert "High risk" in text and "call 999 now" in text
    assert "“Making the child have sex with other people” sets the level on its own" in text
    assert not RiskAssessment.objects.exists()


def test_the_live_result_is_not_for_someone_who_cannot_see_the_concern(
    taxonomy, school_practitioner, other_practitioner
):
    concern = ConcernFactory(raised_by=school_practitioner)
    response = signed_in_client(other_practitioner).post(
        reverse("concerns:assess-result", args=[concern.pk]), {"immediate_danger": "no"}
    )
    assert response.status_code == 404


def test_immediate_danger_and_a_sexual_offence_is_high_risk_and_says_why(
    taxonomy, school_practitioner
):
    concern = ConcernFactory(raised_by=school_practitioner)
    sign = item_by_code("grooming_behaviours", "sex_with_others")
    client = signed_in_client(school_practitioner)
    response = client.post(
        reverse("concerns:assess", args=[concern.pk]),
        _tool({sign: ("Told me he makes her see his friends", "last_week")}, danger="yes"),
    )
    assessment = RiskAssessment.objects.get()
    assert assessment.computed_level == RiskLevel.HIGH_RISK
    text = _text(client.get(response["Location"]))
    assert "Call 999 now" in text
    assert "a sexual offence against a child who is in immediate danger" in text
    assert "The tool gives high risk because “Making the child have sex with other people”" in (
        text
    )


def test_a_level_set_by_one_sign_says_so_instead_of_counting_against_the_points(
    taxonomy, school_practitioner
):
    concern = ConcernFactory(raised_by=school_practitioner)
    sign = item_by_code("warning_signs", "sex_in_exchange")
    client = signed_in_client(school_practitioner)
    response = client.post(
        reverse("concerns:assess", args=[concern.pk]),
        _tool({sign: ("Said she was given vodka for going to a party", "last_week")}),
    )
    text = _text(client.get(response["Location"]))
    assert "(3 points)" not in text
    assert (
        "The tool gives high risk because “Sexual activity in return for something” sets the "
        "level on its own, whatever the points." in text
    )
    assert "on points alone the level would be emerging risk" in text


def test_a_judgement_with_nothing_ticked_reads_as_one_story(
    taxonomy, school_practitioner, school_dsl
):
    concern = ConcernFactory(raised_by=school_practitioner)
    signed_in_client(school_practitioner).post(
        reverse("concerns:assess", args=[concern.pk]), _tool()
    )
    assessment = RiskAssessment.objects.get()
    client = signed_in_client(school_dsl)
    client.post(
        reverse("concerns:judgement", args=[assessment.pk]),
        {"judgement_level": "high_risk", "judgement_rationale": "Seen with a known adult."},
    )
    text = _text(client.get(reverse("concerns:assessment", args=[assessment.pk])))
    assert "Nothing was ticked in the tool" not in text
    assert "No signs were recorded in the tool." in text
    assert (
        f"{school_dsl.full_name} used professional judgement to set the level at high risk "
        "instead. That is the level that counts, and the pathway below follows it." in text
    )


def test_a_child_under_13_is_offered_the_under_13_sign_and_the_law_first(
    taxonomy, school_practitioner
):
    child = ChildFactory(
        created_by=school_practitioner,
        age_estimate_years=None,
        date_of_birth=_born_years_ago(12),
    )
    concern = ConcernFactory(raised_by=school_practitioner, child=child)
    html = (
        signed_in_client(school_practitioner)
        .get(reverse("concerns:assess", args=[concern.pk]))
        .content.decode()
    )
    under_13 = html[html.index('id="under-13"') : html.index('id="section-')]
    assert "is 12" in under_13
    assert "A child under 13 cannot consent to any sexual activity" in under_13
    assert "Sexual activity involving a child under 13" in under_13
    # Asked once, at the top, not again in its section.
    sign = item_by_code("warning_signs", "under_13_sexual_activity")
    assert f'id="id_ind_{sign.pk}"' in under_13
    assert html.count(f'id="id_ind_{sign.pk}"') == 1


def test_a_child_of_14_is_not_shown_the_under_13_block(taxonomy, school_practitioner):
    concern = ConcernFactory(raised_by=school_practitioner)  # 14 by the factory's estimate
    html = (
        signed_in_client(school_practitioner)
        .get(reverse("concerns:assess", args=[concern.pk]))
        .content.decode()
    )
    assert 'id="under-13"' not in html
    assert "Sexual activity involving a child under 13" in html


@pytest.mark.parametrize("age", [16, 17])
def test_for_16_and_17_the_result_says_cse_covers_everyone_under_18(
    taxonomy, school_practitioner, age
):
    child = ChildFactory(
        created_by=school_practitioner,
        age_estimate_years=None,
        date_of_birth=_born_years_ago(age),
    )
    concern = ConcernFactory(raised_by=school_practitioner, child=child)
    client = signed_in_client(school_practitioner)
    response = client.post(reverse("concerns:assess", args=[concern.pk]), _tool())
    text = _text(client.get(response["Location"]))
    assert f"The child is {age}. Child sexual exploitation covers everyone under 18" in text
    assert "whatever the relationship is called" in text


def test_the_workbook_signs_of_grooming_can_be_recorded(taxonomy, school_practitioner):
    concern = ConcernFactory(raised_by=school_practitioner)
    lengths = item_by_code("grooming_behaviours", "going_to_unusual_lengths")
    alone = item_by_code("grooming_behaviours", "keen_to_be_alone_with_child")
    familiar = item_by_code("grooming_behaviours", "over_familiar_quickly")
    client = signed_in_client(school_practitioner)
    html = client.get(reverse("concerns:assess", args=[concern.pk])).content.decode()
    for item in (lengths, alone, familiar):
        assert f"{item.label}</label>" in html
    response = client.post(
        reverse("concerns:assess", args=[concern.pk]),
        _tool(
            {
                lengths: ("Drives 40 miles to meet her after school", "last_month"),
                alone: ("Asks her to come to his flat on her own", "last_month"),
                familiar: ("Hugged and called her babe on first meeting", "last_month"),
            }
        ),
    )
    assessment = RiskAssessment.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert assessment.points == 9
    assert assessment.computed_level == RiskLevel.SIGNIFICANT_RISK


def test_the_live_result_says_when_a_section_has_not_said_when_yet(taxonomy, school_practitioner):
    concern = ConcernFactory(raised_by=school_practitioner)
    sign = item_by_code("warning_signs", "picked_up_in_cars")
    client = signed_in_client(school_practitioner)
    url = reverse("concerns:assess-result", args=[concern.pk])
    text = _text(client.post(url, {"immediate_danger": "no", f"ind_{sign.pk}": "on"}))
    assert "Until you say roughly when" in text and "2 points" in text
    answered = {"immediate_danger": "no", f"ind_{sign.pk}": "on", "when_warning_signs": "last_week"}
    text = _text(client.post(url, answered))
    assert "Until you say roughly when" not in text and "3 points" in text
