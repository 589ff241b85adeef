"""Concerns: what was seen, when and where, and who and what else was involved.

Who and what else was involved uses the mention shapes of the intelligence exchange format
(shared/INTERCHANGE.md): persons, vehicles, phones, online and locations, each with a `ref`.
"""
# No `from __future__ import annotations`: ninja reads the body schemas from real annotations.

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from csehub.access.lookups import object_for_user_or_404
from csehub.access.permissions import Permission
from csehub.accounts.models import User
from csehub.api.dates import LocalTime, PastDate
from csehub.api.errors import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS
from csehub.api.ids import RecordId
from csehub.api.operations import api_user, requires
from csehub.api.pagination import paginated
from csehub.children.models import postcode_normalise, validate_postcode
from csehub.children.selectors import children_visible_to
from csehub.concerns import selectors, services
from csehub.concerns.models import (
    Concern,
    ConcernStatus,
    HowKnown,
)

router = Router(tags=["concerns"])

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
    observed_on: PastDate | None = None
    observed_time: LocalTime | None = Field(
        None, description="Leave out when only the day is known."
    )
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
    child_id: RecordId


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
    observed_time: LocalTime | None
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


# Helpers ------------------------------------------------------------------------------------


def _mentions(concern: Concern, api_name: str) -> list[Any]:
    """One kind of mention of the concern, with refs p1, p2, ... as in the exchange format."""
    letter, related, schema = next((m[1], m[2], m[3]) for m in MENTIONS if m[0] == api_name)
    return [
        schema(ref=f"{letter}{n}", **_stored_mention(row, schema))
        for n, row in enumerate(getattr(concern, related).all(), start=1)
    ]


def _stored_mention(row: Any, schema: Any) -> dict[str, object]:
    return {name: getattr(row, name) for name in schema.model_fields if name != "ref"}


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


# Operations ---------------------------------------------------------------------------------


@router.get(
    "/concerns", response={200: list[ConcernSummaryOut], **LIST_ERRORS}, url_name="concern-list"
)
@paginated(target_type="concern")
@requires(Permission.VIEW_CONCERN)
def concern_list(
    request: HttpRequest, child_id: RecordId | None = None, status: ConcernStatus | None = None
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
def concern_detail(request: HttpRequest, concern_id: RecordId) -> Concern:
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
def concern_update(
    request: HttpRequest, concern_id: RecordId, payload: ConcernAnswersIn
) -> Concern:
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
    response={200: ConcernOut, **READ_ERRORS},
    url_name="concern-submit",
)
@requires(Permission.RAISE_CONCERN)
def concern_submit(request: HttpRequest, concern_id: RecordId) -> Concern:
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
    # Straight from the stored draft, not through the input schema: the service judges what is
    # stored (a draft saved on the pages may hold what the API would refuse) and says why.
    answers = services.ConcernAnswers(
        how_known=concern.how_known,
        what_was_seen=concern.what_was_seen,
        observed_on=concern.observed_on,
        observed_time=concern.observed_time,
        where=concern.where,
        involved=services.Involved(
            **{
                related: [_stored_mention(row, schema) for row in getattr(concern, related).all()]
                for _api_name, _letter, related, schema in MENTIONS
            }
        ),
    )
    return _concern_out(services.concern_submit(actor=user, concern=concern, answers=answers))
