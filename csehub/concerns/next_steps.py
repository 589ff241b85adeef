"""What the partnership's pathway says for an assessed concern, and who to call right now.

The pathway's questions are answered from what was recorded: immediate danger from the tool,
warning signs from the indicators ticked (or a professional judgement), an allocated social
worker from the child's record. A question the record cannot answer is left for the person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from csehub.pathways.directory import CallAdvice, who_to_call_now
from csehub.pathways.graph import Outcome, PathwayGraph, Question, WalkResult, pathway_walk
from csehub.pathways.selectors import PathwayNotLoaded, current_pathway, directory_for

from .models import RiskAssessment, RiskLevel
from .rating import scheme_load

IMMEDIATE_DANGER = "immediate_danger"
WARNING_SIGNS = "warning_signs_identified"
ALLOCATED_SOCIAL_WORKER = "allocated_social_worker"


@dataclass(frozen=True)
class OutcomeAdvice:
    outcome: Outcome
    calls: tuple[CallAdvice, ...]


@dataclass
class NextSteps:
    graph: PathwayGraph | None
    answers: dict[str, str] = field(default_factory=dict)
    walk: WalkResult | None = None
    outcomes: list[OutcomeAdvice] = field(default_factory=list)

    @property
    def available(self) -> bool:
        return self.graph is not None

    @property
    def pending_question(self) -> Question | None:
        return self.walk.next_question if self.walk else None


def warning_signs_identified(assessment: RiskAssessment) -> bool:
    """Yes when an indicator (not only a vulnerability) was ticked, or when a professional
    judgement has set a level above "no indicators recorded"."""
    scheme = scheme_load(assessment.scheme_slug)
    ticked = any(
        scheme.role_of(obs.item.vocabulary.code) == "indicator"
        for obs in assessment.observations.all()
    )
    judged = assessment.has_judgement and (
        assessment.judgement_level != RiskLevel.NO_INDICATORS_RECORDED
    )
    return ticked or judged


def pathway_answers(assessment: RiskAssessment) -> dict[str, str]:
    child = assessment.concern.child
    return {
        IMMEDIATE_DANGER: "yes" if assessment.immediate_danger else "no",
        WARNING_SIGNS: "yes" if warning_signs_identified(assessment) else "no",
        ALLOCATED_SOCIAL_WORKER: "yes" if child.allocated_social_worker_id else "no",
    }


def next_steps_for(*, assessment: RiskAssessment, at: dt.datetime) -> NextSteps:
    partnership = assessment.concern.child.partnership
    try:
        graph = current_pathway(partnership)
    except PathwayNotLoaded:
        return NextSteps(graph=None)
    answers = pathway_answers(assessment)
    walk = pathway_walk(graph, answers)
    directory = directory_for(partnership)
    outcomes: list[OutcomeAdvice] = []
    for outcome in walk.outcomes:
        calls: list[CallAdvice] = []
        for code in outcome.contacts:
            if directory is None:
                continue
            try:
                calls.append(who_to_call_now(directory, code, at))
            except KeyError:
                continue  # a pathway naming a contact the directory lacks: shown without it
        outcomes.append(OutcomeAdvice(outcome=outcome, calls=tuple(calls)))
    return NextSteps(graph=graph, answers=answers, walk=walk, outcomes=outcomes)
