"""The rating scheme as a pure function: the same observations always give the same level."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from csehub.concerns.models import RiskLevel
from csehub.concerns.rating import (
    RATING_DIR,
    RatedObservation,
    SchemeError,
    risk_rate,
    scheme_from_dict,
    scheme_load,
)

TODAY = dt.date(2026, 3, 2)


def seen(code, *, days_ago=10, vocabulary="warning_signs", significant=False):
    return RatedObservation(
        vocabulary=vocabulary,
        code=code,
        label=code.replace("_", " "),
        significant=significant,
        seen_on=None if days_ago is None else TODAY - dt.timedelta(days=days_ago),
    )


@pytest.fixture
def scheme():
    return scheme_load()


def test_no_indicators_gives_no_indicators_recorded(scheme):
    rating = risk_rate(scheme, [], TODAY)
    assert rating.level == RiskLevel.NO_INDICATORS_RECORDED
    assert rating.points == 0 and rating.reasons == ()


def test_one_recent_indicator_is_emerging_risk(scheme):
    rating = risk_rate(scheme, [seen("unexplained_gifts")], TODAY)
    assert rating.level == RiskLevel.EMERGING_RISK
    assert rating.points == 3
    assert "seen in the last month" in rating.reasons[0].explanation


def test_one_significant_indicator_is_high_risk_on_its_own(scheme):
    rating = risk_rate(scheme, [seen("sex_in_exchange", significant=True)], TODAY)
    assert rating.level == RiskLevel.HIGH_RISK
    assert rating.points == 3  # the points alone would say emerging
    assert "significant on its own" in rating.reasons[0].explanation


def test_an_old_significant_indicator_sets_a_lower_floor(scheme):
    rating = risk_rate(scheme, [seen("sex_in_exchange", days_ago=800, significant=True)], TODAY)
    assert rating.level == RiskLevel.SIGNIFICANT_RISK


def test_ageing_lowers_an_indicators_weight(scheme):
    recent = risk_rate(scheme, [seen("going_missing", days_ago=20)], TODAY)
    months = risk_rate(scheme, [seen("going_missing", days_ago=200)], TODAY)
    years = risk_rate(scheme, [seen("going_missing", days_ago=600)], TODAY)
    assert recent.points > months.points > years.points
    # The same observation rated a year later weighs less.
    later = risk_rate(scheme, [seen("going_missing", days_ago=20)], TODAY + dt.timedelta(days=400))
    assert later.points < recent.points


def test_vulnerabilities_count_once_each_up_to_a_cap(scheme):
    vulnerabilities = [
        seen(code, vocabulary="vulnerability_factors", days_ago=900)
        for code in (
            "looked_after",
            "learning_disability",
            "substance_misuse",
            "bereavement",
            "homelessness",
        )
    ]
    rating = risk_rate(scheme, vulnerabilities, TODAY)
    assert rating.points == scheme.vulnerability_cap == 3
    assert rating.level == RiskLevel.EMERGING_RISK  # vulnerabilities alone never go higher
    assert [r.points for r in rating.reasons] == [1, 1, 1, 0, 0]
    assert "at most" in rating.reasons[-1].explanation


def test_points_reach_the_higher_thresholds(scheme):
    four_recent = [seen(f"sign_{n}") for n in range(4)]
    assert risk_rate(scheme, four_recent[:2], TODAY).level == RiskLevel.SIGNIFICANT_RISK
    assert risk_rate(scheme, four_recent, TODAY).level == RiskLevel.HIGH_RISK


def test_context_items_are_recorded_but_never_counted(scheme):
    rating = risk_rate(scheme, [seen("online_grooming", vocabulary="abuse_models")], TODAY)
    assert rating.level == RiskLevel.NO_INDICATORS_RECORDED
    assert rating.reasons[0].counted is False


def test_not_sure_when_counts_the_middle_weight(scheme):
    rating = risk_rate(scheme, [seen("going_missing", days_ago=None)], TODAY)
    assert rating.points == scheme.unknown_age_points


def test_a_scheme_with_an_open_ended_band_missing_is_refused(scheme):
    data = {
        "scheme": "broken",
        "version": 1,
        "name": "Broken",
        "vocabularies": {"warning_signs": "indicator"},
        "vulnerabilities": {"points_each": 1, "cap": 3},
        "age_bands": [{"up_to_days": 90, "points": 3, "label": "recent"}],
        "unknown_age_points": 2,
        "significant": [{"up_to_days": None, "level": "high_risk"}],
        "unknown_age_significant_level": "high_risk",
        "thresholds": {"emerging_risk": 1, "significant_risk": 6, "high_risk": 12},
    }
    with pytest.raises(SchemeError, match="age_bands"):
        scheme_from_dict(data, slug="broken")


# Immediate danger and a sexual offence against the child (scheme version 2).


def test_immediate_danger_with_a_sexual_offence_is_high_risk_and_says_why(scheme):
    offence = seen("sex_with_others", vocabulary="grooming_behaviours")
    rating = risk_rate(scheme, [offence], TODAY, immediate_danger=True)
    assert rating.level == RiskLevel.HIGH_RISK
    assert rating.points_level == RiskLevel.EMERGING_RISK  # 3 points alone
    reason = rating.reasons[0]
    assert reason.significant
    assert "sexual offence against a child who is in immediate danger" in reason.explanation
    assert "the level is high risk" in reason.explanation
    assert rating.set_by_signs == (reason,)


def test_the_same_sign_without_immediate_danger_counts_by_its_points(scheme):
    offence = seen("sex_with_others", vocabulary="grooming_behaviours")
    rating = risk_rate(scheme, [offence], TODAY)
    assert rating.level == RiskLevel.EMERGING_RISK
    assert rating.set_by_signs == ()


def test_immediate_danger_does_not_raise_a_sign_that_is_not_a_sexual_offence(scheme):
    rating = risk_rate(scheme, [seen("missing_from_home")], TODAY, immediate_danger=True)
    assert rating.level == RiskLevel.EMERGING_RISK


def test_the_scheme_names_the_sexual_offences_that_set_high_risk_with_danger(scheme):
    assert scheme.version == 2
    assert "grooming_behaviours.sex_with_others" in scheme.danger_offence_signs
    assert "warning_signs.under_13_sexual_activity" in scheme.danger_offence_signs
    assert scheme.danger_offence_level == RiskLevel.HIGH_RISK


def test_a_scheme_without_the_danger_rule_still_loads(scheme):
    data = yaml.safe_load((RATING_DIR / "default.yaml").read_text(encoding="utf-8"))
    del data["immediate_danger"]
    older = scheme_from_dict(data, slug="older")
    assert older.danger_offence_signs == frozenset()
    offence = seen("sex_with_others", vocabulary="grooming_behaviours")
    assert risk_rate(older, [offence], TODAY, immediate_danger=True).level == (
        RiskLevel.EMERGING_RISK
    )
