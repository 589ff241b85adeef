"""The risk tool's result in plain words: what set the level, what a judgement changed, and
what the child's age means in law. One wording for the live result and the saved one, so the
practitioner reads the same sentences before and after sending the form."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .models import RiskLevel
from .rating import LEVEL_ORDER, Scheme, points_level

AGE_OF_CONSENT = 16
ADULT = 18
UNDER_13 = 13


@dataclass(frozen=True)
class CountedSign:
    """What the wording needs to know about one sign the tool rated."""

    label: str
    counted: bool
    significant: bool


def _level(level: str) -> str:
    return RiskLevel(level).label.lower()


def _quoted(labels: Sequence[str]) -> str:
    quoted = [f"“{label}”" for label in labels]
    if len(quoted) <= 1:
        return "".join(quoted)
    return f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def _points(points: int) -> str:
    return f"{points} point{'s' if points != 1 else ''}"


def age_sentences(age: int | None) -> list[str]:
    """What the law says about a child of this age, for the practitioner to bear in mind."""
    if age is None or age >= ADULT:
        return []
    if age < UNDER_13:
        return [
            f"The child is {age}. A child under 13 cannot consent to any sexual activity: "
            "any sexual activity with them is rape or sexual assault, whoever it is with."
        ]
    if age >= AGE_OF_CONSENT:
        return [
            f"The child is {age}. Child sexual exploitation covers everyone under 18, even "
            "over the age of consent, whatever the relationship is called: a boyfriend, a "
            "girlfriend or a friend can still be exploiting them."
        ]
    return []


def result_sentences(
    *,
    scheme: Scheme,
    computed_level: str,
    points: int,
    signs: Sequence[CountedSign],
    judgement_level: str = "",
    judged_by: str = "",
    age: int | None = None,
) -> list[str]:
    """The result, said once and without contradiction: which rule set the level, and when a
    professional judgement set another, that this is the level that counts."""
    sentences: list[str] = []
    level = _level(computed_level)
    by_points = points_level(scheme, points, counted_any=any(s.counted for s in signs))
    set_by = [s.label for s in signs if s.significant]
    if not signs:
        sentences.append(
            "No signs were recorded in the tool. This does not mean the child is safe: "
            "only that no signs were recorded this time."
        )
    elif not any(s.counted for s in signs):
        sentences.append(
            "The signs recorded describe what may be happening but do not count towards a "
            "level, so the tool gives no level. This does not mean the child is safe."
        )
    elif set_by and LEVEL_ORDER.index(RiskLevel(computed_level)) > LEVEL_ORDER.index(by_points):
        one = len(set_by) == 1
        sentences.append(
            f"The tool gives {level} because {_quoted(set_by)} "
            f"{'sets' if one else 'set'} the level on {'its' if one else 'their'} own, "
            "whatever the points."
        )
        sentences.append(
            f"The signs add up to {_points(points)}; on points alone the level would be "
            f"{_level(by_points)}."
        )
    else:
        thresholds = scheme.thresholds
        sentences.append(
            f"The tool gives {level} because the signs add up to {_points(points)}. "
            f"Emerging risk starts at {_points(thresholds.get(RiskLevel.EMERGING_RISK, 1))}, "
            f"significant risk at {thresholds.get(RiskLevel.SIGNIFICANT_RISK)} and high risk "
            f"at {thresholds.get(RiskLevel.HIGH_RISK)}."
        )
    if judgement_level:
        who = judged_by or "A professional"
        if judgement_level == computed_level:
            sentences.append(
                f"{who} used professional judgement and agreed: {_level(judgement_level)}."
            )
        else:
            sentences.append(
                f"{who} used professional judgement to set the level at "
                f"{_level(judgement_level)} instead. That is the level that counts, and the "
                "pathway below follows it."
            )
    sentences.extend(age_sentences(age))
    return sentences
