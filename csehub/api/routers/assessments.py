"""The risk identification tool's assessments of a concern, and professional judgements."""
# No `from __future__ import annotations`: ninja reads the body schemas from real annotations.

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status

from csehub.access.lookups import object_for_user_or_404
from csehub.access.permissions import Permission
from csehub.access.reads import audited_record_or_404
from csehub.accounts.models import User
from csehub.api.errors import READ_ERRORS, WRITE_ERRORS, unprocessable
from csehub.api.ids import RecordId
from csehub.api.operations import api_user, requires
from csehub.api.pagination import paginated
from csehub.api.routers.pathways import CallOut, call_out
from csehub.concerns import selectors, services
from csehub.concerns.models import (
    RiskAssessment,
    RiskLevel,
    RoughlyWhen,
)
from csehub.concerns.next_steps import next_steps_for
from csehub.concerns.rating import scheme_load
from csehub.taxonomy import selectors as taxonomy
from csehub.taxonomy.models import Item

router = Router(tags=["risk assessments"])

NO_INDICATORS_NOTE = (
    "No indicators were recorded. This does not mean the child is safe: it means no signs were "
    "recorded this time. Keep noticing, keep recording, and talk to your safeguarding lead if "
    "you are still worried."
)
LEVEL_NOTE = (
    "A level is a guide, not a decision. The absence of other indicators does not mean the "
    "child is safe, and professional judgement always counts."
)
IMMEDIATE_DANGER_NOTE = "The child is in immediate danger: call 999 first."


# Schemas -------------------------------------------------------------------------------------


class IndicatorIn(Schema):
    vocabulary: str = Field(description="A vocabulary code, e.g. warning_signs.")
    code: str = Field(description="The indicator's code within the vocabulary.")
    what_was_seen: str = Field(min_length=1, max_length=5000)
    roughly_when: RoughlyWhen


class AssessmentIn(Schema):
    immediate_danger: bool = Field(description="Is the child in immediate danger now?")
    indicators: list[IndicatorIn] = Field(default_factory=list, max_length=200)


class JudgementIn(Schema):
    judgement_level: RiskLevel
    judgement_rationale: str = Field(min_length=1, max_length=5000)


class ObservationOut(Schema):
    vocabulary: str
    code: str
    label: str
    what_was_seen: str
    roughly_when: str
    seen_on: dt.date | None
    guidance_url: str


class ReasonOut(Schema):
    indicator: str | None = Field(description="vocabulary.code of the indicator counted.")
    label: str
    points: int
    counted: bool
    significant: bool
    explanation: str


class JudgementOut(Schema):
    level: str
    level_label: str
    rationale: str
    by: str
    at: dt.datetime


class SchemeOut(Schema):
    slug: str
    version: int
    name: str


class OutcomeAdviceOut(Schema):
    id: str
    kind: str
    kind_label: str
    text: str
    contacts: list[CallOut]


class NextStepsOut(Schema):
    pathway_version: int | None
    answers: dict[str, str]
    outcomes: list[OutcomeAdviceOut]
    pending_question: str | None = Field(
        description="A pathway question the record could not answer, if any."
    )


class AssessmentOut(Schema):
    id: int
    concern_id: int
    child_id: int
    assessor: str
    created_at: dt.datetime
    as_of: dt.date
    immediate_danger: bool
    computed_level: str
    computed_level_label: str
    level: str = Field(description="The level that stands: the judgement when there is one.")
    points: int
    scheme: SchemeOut
    reasons: list[ReasonOut]
    observations: list[ObservationOut]
    judgement: JudgementOut | None
    notes: list[str]
    next_steps: NextStepsOut | None


# Helpers -------------------------------------------------------------------------------------


def _assessment_out(assessment: RiskAssessment, *, at: dt.datetime) -> AssessmentOut:
    scheme = scheme_load(assessment.scheme_slug)
    notes = [IMMEDIATE_DANGER_NOTE] if assessment.immediate_danger else []
    notes.append(
        NO_INDICATORS_NOTE
        if assessment.computed_level == RiskLevel.NO_INDICATORS_RECORDED
        else LEVEL_NOTE
    )
    judgement = None
    if assessment.has_judgement and assessment.judgement_by and assessment.judgement_at:
        judgement = JudgementOut(
            level=assessment.judgement_level,
            level_label=RiskLevel(assessment.judgement_level).label,
            rationale=assessment.judgement_rationale,
            by=assessment.judgement_by.full_name,
            at=assessment.judgement_at,
        )
    steps = next_steps_for(assessment=assessment, at=at)
    next_steps = None
    if steps.available and steps.graph is not None:
        next_steps = NextStepsOut(
            pathway_version=steps.graph.version,
            answers=steps.answers,
            outcomes=[
                OutcomeAdviceOut(
                    id=o.outcome.id,
                    kind=o.outcome.kind.value,
                    kind_label=o.outcome.kind_label,
                    text=o.outcome.text,
                    contacts=[call_out(call) for call in o.calls],
                )
                for o in steps.outcomes
            ],
            pending_question=steps.pending_question.id if steps.pending_question else None,
        )
    return AssessmentOut(
        id=assessment.pk,
        concern_id=assessment.concern_id,
        child_id=assessment.concern.child_id,
        assessor=assessment.assessor.full_name,
        created_at=assessment.created_at,
        as_of=assessment.as_of,
        immediate_danger=assessment.immediate_danger,
        computed_level=assessment.computed_level,
        computed_level_label=RiskLevel(assessment.computed_level).label,
        level=assessment.level,
        points=assessment.points,
        scheme=SchemeOut(slug=scheme.slug, version=assessment.scheme_version, name=scheme.name),
        reasons=[
            ReasonOut(
                indicator=f"{r.item.vocabulary.code}.{r.item.code}" if r.item else None,
                label=r.item.label if r.item else "",
                points=r.points,
                counted=r.counted,
                significant=r.significant,
                explanation=r.explanation,
            )
            for r in assessment.reasons.all()
        ],
        observations=[
            ObservationOut(
                vocabulary=o.item.vocabulary.code,
                code=o.item.code,
                label=o.item.label,
                what_was_seen=o.what_was_seen,
                roughly_when=o.roughly_when,
                seen_on=o.seen_on,
                guidance_url=reverse(
                    "taxonomy:guidance-item",
                    kwargs={"vocabulary_code": o.item.vocabulary.code, "item_code": o.item.code},
                ),
            )
            for o in assessment.observations.all()
        ],
        judgement=judgement,
        notes=notes,
        next_steps=next_steps,
    )


def _indicator_items(payload: AssessmentIn) -> list[Item]:
    items: list[Item] = []
    for index, indicator in enumerate(payload.indicators):
        try:
            items.append(taxonomy.item_by_code(indicator.vocabulary, indicator.code))
        except Item.DoesNotExist:
            raise unprocessable(
                ["indicators", index, "code"],
                "No indicator has this code in this vocabulary: see GET /api/v1/vocabularies",
            ) from None
    return items


def _assessment(
    user: User, assessment_id: int, visible: QuerySet[RiskAssessment]
) -> RiskAssessment:
    return object_for_user_or_404(
        user=user, visible=visible, pk=assessment_id, target_type="risk_assessment"
    )


# Operations ----------------------------------------------------------------------------------


@router.get(
    "/concerns/{concern_id}/assessments",
    response={200: list[AssessmentOut], **READ_ERRORS},
    url_name="concern-assessment-list",
)
@paginated(target_type="risk_assessment")
@requires(Permission.VIEW_CONCERN)
def concern_assessment_list(request: HttpRequest, concern_id: RecordId) -> list[AssessmentOut]:
    """The concern's risk assessments, oldest first, each with its rating and reasons."""
    user = api_user(request)
    concern = object_for_user_or_404(
        user=user,
        visible=selectors.concerns_visible_to(user=user),
        pk=concern_id,
        target_type="concern",
    )
    now = timezone.now()
    assessments = (
        selectors.assessments_visible_to(user=user)
        .filter(concern=concern)
        .order_by("created_at", "pk")
    )
    return [_assessment_out(a, at=now) for a in assessments]


@router.post(
    "/concerns/{concern_id}/assessments",
    response={201: AssessmentOut, **WRITE_ERRORS},
    url_name="assessment-create",
)
@requires(Permission.ASSESS_RISK)
def assessment_create(request: HttpRequest, concern_id: RecordId, payload: AssessmentIn) -> Status:
    """Use the risk identification tool on a submitted concern. Indicators are named by their
    taxonomy codes; the answer is the partnership's rating with the reasons for it, and what
    the pathway says to do next with the contacts to call now."""
    user = api_user(request)
    concern = object_for_user_or_404(
        user=user,
        visible=selectors.concerns_assessable_by(user=user),
        pk=concern_id,
        target_type="concern",
    )
    items = _indicator_items(payload)
    assessment = services.risk_assessment_create(
        actor=user,
        concern=concern,
        immediate_danger=payload.immediate_danger,
        observations=[
            services.ObservationInput(
                item=item, what_was_seen=given.what_was_seen, roughly_when=given.roughly_when
            )
            for item, given in zip(items, payload.indicators, strict=True)
        ],
    )
    stored = selectors.assessments_visible_to(user=user).filter(pk=assessment.pk).first()
    return Status(201, _assessment_out(stored or assessment, at=timezone.now()))


@router.get(
    "/assessments/{assessment_id}",
    response={200: AssessmentOut, **READ_ERRORS},
    url_name="assessment-detail",
)
@requires(Permission.VIEW_CONCERN)
def assessment_detail(request: HttpRequest, assessment_id: RecordId) -> AssessmentOut:
    user = api_user(request)
    assessment = audited_record_or_404(
        user=user,
        visible=selectors.assessments_visible_to(user=user),
        pk=assessment_id,
        target_type="risk_assessment",
        child_of=lambda found: found.concern.child_id,
    )
    return _assessment_out(assessment, at=timezone.now())


@router.post(
    "/assessments/{assessment_id}/judgement",
    response={200: AssessmentOut, **WRITE_ERRORS},
    url_name="assessment-judgement",
)
@requires(Permission.ASSESS_RISK)
def assessment_judgement(
    request: HttpRequest, assessment_id: RecordId, payload: JudgementIn
) -> AssessmentOut:
    """Record a professional judgement: a level set by a person, with the reasons, kept beside
    the computed level (both stay visible)."""
    user = api_user(request)
    assessment = _assessment(user, assessment_id, selectors.assessments_judgeable_by(user=user))
    services.risk_judgement_record(
        actor=user,
        assessment=assessment,
        level=payload.judgement_level,
        rationale=payload.judgement_rationale,
    )
    return _assessment_out(assessment, at=timezone.now())
