"""Concerns, indicators and risk assessments as entries in a child's chronology, and the
child page's "risk over time" section."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from csehub.accounts.models import User
from csehub.children.chronology import (
    ChronologyEntry,
    register_chronology_kind,
    register_chronology_source,
)
from csehub.children.models import Child
from csehub.children.sections import ChildPageSection, register_child_section
from csehub.taxonomy.models import Item

from . import selectors
from .models import ConcernStatus, RiskAssessment

register_chronology_kind("concern", "Concern raised")
register_chronology_kind("indicator", "Indicator seen")
register_chronology_kind("assessment", "Risk assessment")


def _day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


@register_chronology_source
def concern_entries(child: Child, user: User) -> list[ChronologyEntry]:
    entries: list[ChronologyEntry] = []
    for concern in selectors.concerns_for_child(user=user, child=child).filter(
        status=ConcernStatus.SUBMITTED
    ):
        summary = concern.what_was_seen
        entries.append(
            ChronologyEntry(
                at=concern.observed_at or concern.created_at,
                kind="concern",
                kind_label="Concern raised",
                title=f"Concern raised by {concern.raised_by.full_name}",
                summary=summary if len(summary) <= 240 else summary[:237].rstrip() + "…",
                url=reverse("concerns:detail", args=[concern.pk]),
                agency=concern.agency.name,
            )
        )
    for assessment in selectors.assessments_for_child(user=user, child=child):
        level = assessment.get_computed_level_display()
        title = f"Risk identification tool: {level}"
        if assessment.has_judgement:
            title += f"; professional judgement: {assessment.get_judgement_level_display()}"
        url = reverse("concerns:assessment", args=[assessment.pk])
        entries.append(
            ChronologyEntry(
                at=assessment.created_at,
                kind="assessment",
                kind_label="Risk assessment",
                title=title,
                summary="Immediate danger reported" if assessment.immediate_danger else "",
                url=url,
                agency=assessment.concern.agency.name,
            )
        )
        for obs in assessment.observations.all():
            entries.append(
                ChronologyEntry(
                    at=_day(obs.seen_on) if obs.seen_on else assessment.created_at,
                    kind="indicator",
                    kind_label="Indicator seen",
                    title=obs.item.label,
                    summary=f"{obs.get_roughly_when_display()} (as recorded on "
                    f"{timezone.localdate(assessment.created_at):%d %b %Y}): {obs.what_was_seen}",
                    url=url,
                    agency=assessment.concern.agency.name,
                    approximate=True,
                    approximate_until=assessment.created_at if obs.seen_on else None,
                )
            )
    return entries


@dataclass(frozen=True)
class RiskPoint:
    assessment: RiskAssessment
    new: list[Item]
    continuing: list[Item]
    no_longer_seen: list[Item]


def risk_over_time(assessments: list[RiskAssessment]) -> list[RiskPoint]:
    """Each assessment, oldest first, with its indicators compared with the one before."""
    points: list[RiskPoint] = []
    previous: dict[int, Item] = {}
    for assessment in assessments:
        current = {obs.item_id: obs.item for obs in assessment.observations.all()}
        points.append(
            RiskPoint(
                assessment=assessment,
                new=[item for pk, item in current.items() if pk not in previous],
                continuing=[item for pk, item in current.items() if pk in previous],
                no_longer_seen=[item for pk, item in previous.items() if pk not in current],
            )
        )
        previous = current
    return points


@register_child_section
def risk_section(child: Child, user: User) -> ChildPageSection | None:
    assessments = selectors.assessments_for_child(user=user, child=child)
    points = risk_over_time(assessments)
    return ChildPageSection(
        template="concerns/includes/risk_over_time.html",
        order=10,
        context={"points": points, "latest": points[-1] if points else None},
    )
