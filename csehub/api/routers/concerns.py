"""Concerns, the risk identification tool's assessments, and professional judgements.

Who and what else was involved uses the mention shapes of the intelligence exchange format
(shared/INTERCHANGE.md): persons, vehicles, phones, online and locations, each with a `ref`.
"""
# No `from __future__ import annotations`: ninja reads the body schemas from real annotations.

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from csehub.access.lookups import object_for_user_or_404
from csehub.access.permissions import Permission
from csehub.accounts.models import User
from csehub.api.errors import READ_ERRORS, WRITE_ERRORS, unprocessable
from csehub.api.operations import api_user, requires
from csehub.api.routers.pathways import CallOut, call_out
from csehub.children.models import postcode_normalise, validate_postcode
from csehub.children.selectors import children_visible_to
from csehub.concerns import selectors, services
from csehub.concerns.models import (
    Concern,
    ConcernStatus,
    HowKnown,
    RiskAssessment,
    RiskLevel,
    RoughlyWhen,
)
from csehub.concerns.next_steps import next_steps_for
from csehub.concerns.rating import scheme_load
from csehub.taxonomy import selectors as taxonomy
from csehub.taxonomy.models import Item

router = Router(tags=["concerns"])
MAX_PAGE = 200

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


# Mentions, as in the intelligence exchange format -------------------------------------------


class PersonSchema(Schema):
    ref: str = Field("", max_length=32, description="Ignored on input; p1, p2, ... on output.")
    name: str = Field("", max_length=200)
    nickname: str = Field("", max_length=200)
    age_estimate: int | None = Field(None, ge=0, le=120)
    description: str = Field("", max_length=5000)


class VehicleSchema(Schema):
    ref: str = Field("", max_length=32)
    plate: str = Field(
        "", max_length=16, description="Full or partial: ? is one unknown character."
    )
    make: str = Field("", max_length=100)
    colour: str = Field("", max_length=50)


class PhoneSchema(Schema):
    ref: str = Field("", max_length=32)
    number: str = Field(min_length=1, max_length=32)


class OnlineSchema(Schema):
    ref: str = Field("", max_length=32)
    platform: str = Field("", max_length=100)
    username: str = Field(min_length=1, max_length=200)


class LocationSchema(Schema):
    ref: str = Field("", max_length=32)
    name: str = Field("", max_length=200)
    address: str = Field("", max_length=300)
    postcode: str = Field("", max_length=10)

    @field_validator("postcode")
    @classmethod
    def _postcode(cls, value: str) -> str:
        normalised = postcode_normalise(value)
        if normalised and not _is_postcode(normalised):
            raise PydanticCustomError("postcode", "Enter a real postcode, like DN15 6NL")
        return normalised


def _is_postcode(value: str) -> bool:
    try:
        validate_postcode(value)
    except Exception:
        return False
    return True


# (API name, ref letter, the concern's related name, the schema)
MENTIONS: tuple[tuple[str, str, str, Any], ...] = (
    ("persons", "p", "people", PersonSchema),
    ("vehicles", "v", "vehicles", VehicleSchema),
    ("phones", "t", "phones", PhoneSchema),
    ("online", "u", "online", OnlineSchema),
    ("locations", "l", "locations", LocationSchema),
)


class ConcernAnswersIn(Schema):
    how_known: HowKnown | None = None
    what_was_seen: str = Field("", max_length=20_000)
    observed_on: dt.date | None = None
    observed_time: dt.time | None = Field(None, description="Leave out when only the day is known.")
    where: str = Field("", max_length=300)
    persons: list[PersonSchema] = Field(default_factory=list, max_length=50)
    vehicles: list[VehicleSchema] = Field(default_factory=list, max_length=50)
    phones: list[PhoneSchema] = Field(default_factory=list, max_length=50)
    online: list[OnlineSchema] = Field(default_factory=list, max_length=50)
    locations: list[LocationSchema] = Field(default_factory=list, max_length=50)
    submit: bool = Field(
        False,
        description=(
            "True to submit the concern (what was seen, when, and how it is known are then "
            "required); false keeps it as a draft only its author can see and change."
        ),
    )


class ConcernCreateIn(ConcernAnswersIn):
    child_id: int


class ConcernSummaryOut(Schema):
    id: int
    child_id: int
    status: str
    agency: str
    raised_by: str
    observed_on: dt.date | None
    created_at: dt.datetime
    submitted_at: dt.datetime | None

    @staticmethod
    def resolve_agency(obj: Concern) -> str:
        return obj.agency.name

    @staticmethod
    def resolve_raised_by(obj: Concern) -> str:
        return obj.raised_by.full_name


class ConcernOut(ConcernSummaryOut):
    how_known: str
    what_was_seen: str
    observed_time: dt.time | None
    where: str
    persons: list[PersonSchema]
    vehicles: list[VehicleSchema]
    phones: list[PhoneSchema]
    online: list[OnlineSchema]
    locations: list[LocationSchema]
    assessment_ids: list[int]

    @staticmethod
    def resolve_persons(obj: Concern) -> list[Any]:
        return _mentions(obj, "persons")

    @staticmethod
    def resolve_vehicles(obj: Concern) -> list[Any]:
        return _mentions(obj, "vehicles")

    @staticmethod
    def resolve_phones(obj: Concern) -> list[Any]:
        return _mentions(obj, "phones")

    @staticmethod
    def resolve_online(obj: Concern) -> list[Any]:
        return _mentions(obj, "online")

    @staticmethod
    def resolve_locations(obj: Concern) -> list[Any]:
        return _mentions(obj, "locations")

    @staticmethod
    def resolve_assessment_ids(obj: Concern) -> list[int]:
        return list(obj.assessments.order_by("created_at", "pk").values_list("pk", flat=True))


# Risk assessments ---------------------------------------------------------------------------


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


# Helpers ------------------------------------------------------------------------------------


def _mentions(concern: Concern, api_name: str) -> list[Any]:
    """One kind of mention of the concern, with refs p1, p2, ... as in the exchange format."""
    letter, related, schema = next((m[1], m[2], m[3]) for m in MENTIONS if m[0] == api_name)
    fields = [name for name in schema.model_fields if name != "ref"]
    return [
        schema(ref=f"{letter}{n}", **{name: getattr(row, name) for name in fields})
        for n, row in enumerate(getattr(concern, related).all(), start=1)
    ]


def _concern_out(concern: Concern) -> Concern:
    """The concern with everything involved loaded, for ConcernOut."""
    return selectors.concern_full(concern)


def _answers(payload: ConcernAnswersIn) -> services.ConcernAnswers:
    involved: dict[str, list[dict[str, object]]] = {}
    for api_name, _letter, related, _schema in MENTIONS:
        involved[related] = [row.model_dump(exclude={"ref"}) for row in getattr(payload, api_name)]
    return services.ConcernAnswers(
        how_known=payload.how_known or "",
        what_was_seen=payload.what_was_seen,
        observed_on=payload.observed_on,
        observed_time=payload.observed_time,
        where=payload.where,
        involved=services.Involved(**involved),
    )


def _save(user: User, concern: Concern, payload: ConcernAnswersIn) -> Concern:
    answers = _answers(payload)
    if payload.submit:
        return services.concern_submit(actor=user, concern=concern, answers=answers)
    return services.concern_save_draft(actor=user, concern=concern, answers=answers)


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


# Operations ---------------------------------------------------------------------------------


@router.get("/concerns", response=list[ConcernSummaryOut], url_name="concern-list")
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
@requires(Permission.VIEW_CONCERN)
def concern_list(
    request: HttpRequest, child_id: int | None = None, status: ConcernStatus | None = None
) -> QuerySet[Concern]:
    """Concerns the caller may see (their own drafts too), newest first."""
    concerns = selectors.concerns_visible_to(user=api_user(request)).order_by("-created_at", "-pk")
    if child_id is not None:
        concerns = concerns.filter(child_id=child_id)
    if status:
        concerns = concerns.filter(status=status)
    return concerns


@router.post("/concerns", response={201: ConcernOut, **WRITE_ERRORS}, url_name="concern-create")
@requires(Permission.RAISE_CONCERN)
def concern_create(request: HttpRequest, payload: ConcernCreateIn) -> Status:
    """Raise a concern about a child the caller may see: a draft, or submitted at once."""
    user = api_user(request)
    child = object_for_user_or_404(
        user=user,
        visible=children_visible_to(user=user),
        pk=payload.child_id,
        target_type="child",
    )
    # All or nothing: a refused submission leaves no half-made draft behind.
    with transaction.atomic():
        concern = services.concern_create(actor=user, child=child)
        concern = _save(user, concern, payload)
    return Status(201, _concern_out(concern))


@router.get(
    "/concerns/{concern_id}", response={200: ConcernOut, **READ_ERRORS}, url_name="concern-detail"
)
@requires(Permission.VIEW_CONCERN)
def concern_detail(request: HttpRequest, concern_id: int) -> Concern:
    user = api_user(request)
    concern = object_for_user_or_404(
        user=user,
        visible=selectors.concerns_visible_to(user=user),
        pk=concern_id,
        target_type="concern",
    )
    return _concern_out(concern)


@router.put(
    "/concerns/{concern_id}", response={200: ConcernOut, **WRITE_ERRORS}, url_name="concern-update"
)
@requires(Permission.RAISE_CONCERN)
def concern_update(request: HttpRequest, concern_id: int, payload: ConcernAnswersIn) -> Concern:
    """Replace a draft's answers (its author only); `submit: true` submits it."""
    user = api_user(request)
    concern = object_for_user_or_404(
        user=user,
        visible=selectors.concern_drafts_editable_by(user=user),
        pk=concern_id,
        target_type="concern",
    )
    return _concern_out(_save(user, concern, payload))


@router.post(
    "/concerns/{concern_id}/submit",
    response={200: ConcernOut, **WRITE_ERRORS},
    url_name="concern-submit",
)
@requires(Permission.RAISE_CONCERN)
def concern_submit(request: HttpRequest, concern_id: int) -> Concern:
    """Submit a draft as it is stored."""
    user = api_user(request)
    concern = selectors.concern_full(
        object_for_user_or_404(
            user=user,
            visible=selectors.concern_drafts_editable_by(user=user),
            pk=concern_id,
            target_type="concern",
        )
    )
    payload = ConcernAnswersIn(
        how_known=HowKnown(concern.how_known) if concern.how_known else None,
        what_was_seen=concern.what_was_seen,
        observed_on=concern.observed_on,
        observed_time=concern.observed_time,
        where=concern.where,
        submit=True,
        **{api_name: _mentions(concern, api_name) for api_name, *_ in MENTIONS},
    )
    return _concern_out(_save(user, concern, payload))


@router.get(
    "/concerns/{concern_id}/assessments",
    response={200: list[AssessmentOut], **READ_ERRORS},
    url_name="concern-assessment-list",
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
@requires(Permission.VIEW_CONCERN)
def concern_assessment_list(request: HttpRequest, concern_id: int) -> list[AssessmentOut]:
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
def assessment_create(request: HttpRequest, concern_id: int, payload: AssessmentIn) -> Status:
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
def assessment_detail(request: HttpRequest, assessment_id: int) -> AssessmentOut:
    user = api_user(request)
    assessment = _assessment(user, assessment_id, selectors.assessments_visible_to(user=user))
    return _assessment_out(assessment, at=timezone.now())


@router.post(
    "/assessments/{assessment_id}/judgement",
    response={200: AssessmentOut, **WRITE_ERRORS},
    url_name="assessment-judgement",
)
@requires(Permission.ASSESS_RISK)
def assessment_judgement(
    request: HttpRequest, assessment_id: int, payload: JudgementIn
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
