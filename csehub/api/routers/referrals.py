"""Referrals: made from a concern, moved on by the team they were sent to, outcome and reason.

Every step goes through the referrals services, so the state machine, the timescales, the
notifications and the audit are the same as on the pages.
"""
# No `from __future__ import annotations`: ninja reads the body schemas from real annotations.

import datetime as dt
from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from csehub.access.lookups import object_for_user_or_404
from csehub.access.permissions import Permission
from csehub.accounts.models import User
from csehub.api.errors import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, unprocessable
from csehub.api.ids import RecordId
from csehub.api.operations import api_user, requires
from csehub.api.pagination import paginated
from csehub.concerns.selectors import concerns_visible_to
from csehub.referrals import selectors, services
from csehub.referrals.models import (
    Destination,
    Referral,
    ReferralOutcome,
    ReferralState,
    RiskDetailKind,
)

router = Router(tags=["referrals"])


class AddresseeIn(Schema):
    destination: Destination
    to_agency_id: RecordId | None = Field(
        None,
        description=(
            "The front door's or police's agency. May be left out when the partnership has "
            "only one; never used for the allocated social worker."
        ),
    )


class RiskDetailSchema(Schema):
    kind: RiskDetailKind
    value: str = Field(min_length=1, max_length=300)
    details: str = Field("", max_length=500)


class ReferralIn(Schema):
    destinations: list[AddresseeIn] = Field(min_length=1, max_length=3)
    what_was_seen: str | None = Field(
        None, max_length=20_000, description="Default: what the concern says was seen."
    )
    child_details: str = Field("", max_length=20_000)
    request: str = Field("", max_length=20_000)
    risk_details: list[RiskDetailSchema] = Field(default_factory=list, max_length=100)


class ScreenIn(Schema):
    note: str = Field("", max_length=20_000)


class OutcomeIn(Schema):
    outcome: ReferralOutcome
    reason: str = Field(min_length=1, max_length=20_000)
    police_reference: str = Field(
        "", max_length=64, description="The police desk's reference for the CSE-flagged record."
    )
    flagged_record_existed: bool | None = Field(
        None, description="Police desk only: did a CSE-flagged record already exist?"
    )


class TransitionOut(Schema):
    actor: str
    at: dt.datetime
    from_state: str
    to_state: str
    outcome: str
    reason: str


class ReferralOut(Schema):
    id: int
    concern_id: int
    child_id: int
    destination: str
    destination_label: str
    to_agency_id: int | None
    to_agency: str | None
    to_user_id: int | None
    referred_by: str
    referring_agency: str
    what_was_seen: str
    child_details: str
    request: str
    risk_level: str
    state: str
    outcome: str
    police_reference: str
    flagged_record_existed: bool | None
    submitted_at: dt.datetime
    due_at: dt.datetime
    decided_at: dt.datetime | None
    overdue: bool
    risk_details: list[RiskDetailSchema]
    transitions: list[TransitionOut]

    @staticmethod
    def resolve_destination_label(obj: Referral) -> str:
        return Destination(obj.destination).label

    @staticmethod
    def resolve_to_agency(obj: Referral) -> str | None:
        return obj.to_agency.name if obj.to_agency else None

    @staticmethod
    def resolve_referred_by(obj: Referral) -> str:
        return obj.referred_by.full_name

    @staticmethod
    def resolve_referring_agency(obj: Referral) -> str:
        return obj.referring_agency.name

    @staticmethod
    def resolve_overdue(obj: Referral) -> bool:
        return bool(getattr(obj, "overdue", obj.is_overdue))

    @staticmethod
    def resolve_risk_details(obj: Referral) -> list[RiskDetailSchema]:
        return [
            RiskDetailSchema(kind=RiskDetailKind(d.kind), value=d.value, details=d.details)
            for d in obj.risk_details.all()
        ]

    @staticmethod
    def resolve_transitions(obj: Referral) -> list[TransitionOut]:
        return [
            TransitionOut(
                actor=t.actor.full_name,
                at=t.at,
                from_state=t.from_state,
                to_state=t.to_state,
                outcome=t.outcome,
                reason=t.reason,
            )
            for t in selectors.transitions_for(referral=obj)
        ]


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _receivable(user: User, referral_id: int) -> Referral:
    return object_for_user_or_404(
        user=user,
        visible=selectors.referrals_receivable_by(user=user),
        pk=referral_id,
        target_type="referral",
    )


def _addressees(user: User, payload: ReferralIn) -> list[services.Addressee]:
    addressees: list[services.Addressee] = []
    for index, given in enumerate(payload.destinations):
        agencies = selectors.receiving_agencies(user=user, destination=given.destination)
        agency = None
        if given.destination != Destination.ALLOCATED_SOCIAL_WORKER:
            if given.to_agency_id is not None:
                agency = agencies.filter(pk=given.to_agency_id).first()
                if agency is None:
                    raise unprocessable(
                        ["destinations", index, "to_agency_id"],
                        f"Choose where in your partnership to send it: {given.destination.label}",
                    )
            elif agencies.count() == 1:
                agency = agencies.first()
        addressees.append(services.Addressee(destination=given.destination, to_agency=agency))
    return addressees


@router.get(
    "/referrals", response={200: list[ReferralOut], **LIST_ERRORS}, url_name="referral-list"
)
@paginated(target_type="referral")
@requires(Permission.VIEW_REFERRAL)
def referral_list(
    request: HttpRequest,
    box: Literal["all", "team", "made"] = "all",
    state: ReferralState | None = None,
    concern_id: RecordId | None = None,
    child_id: RecordId | None = None,
) -> QuerySet[Referral]:
    """Referrals the caller may see: `team` for those sent to their team (open ones first, most
    overdue at the top), `made` for those they or their agency made, `all` for both."""
    user = api_user(request)
    if box == "team":
        referrals = selectors.work_list_order(selectors.referrals_to_team(user=user))
    elif box == "made":
        referrals = selectors.work_list_order(selectors.referrals_made_by(user=user))
    else:
        referrals = selectors.referrals_visible_to(user=user).order_by("-submitted_at", "-pk")
    if state is not None:
        referrals = referrals.filter(state=state)
    if concern_id is not None:
        referrals = referrals.filter(concern_id=concern_id)
    if child_id is not None:
        referrals = referrals.filter(child_id=child_id)
    return selectors.with_transitions(referrals.prefetch_related("risk_details"))


@router.post(
    "/concerns/{concern_id}/referrals",
    response={201: list[ReferralOut], **WRITE_ERRORS},
    url_name="referral-create",
)
@requires(Permission.MAKE_REFERRAL)
def referral_create(request: HttpRequest, concern_id: RecordId, payload: ReferralIn) -> Status:
    """Refer a submitted concern: one referral per destination, all or none. The receiving
    teams are told, and the decision deadline comes from the partnership's timescales."""
    user = api_user(request)
    concern = object_for_user_or_404(
        user=user, visible=concerns_visible_to(user=user), pk=concern_id, target_type="concern"
    )
    referrals = services.referrals_create(
        actor=user,
        concern=concern,
        addressees=_addressees(user, payload),
        content=services.ReferralContent(
            what_was_seen=(
                concern.what_was_seen if payload.what_was_seen is None else payload.what_was_seen
            ),
            child_details=payload.child_details,
            request=payload.request,
            risk_details=[
                services.RiskDetailInput(kind=d.kind, value=d.value, details=d.details)
                for d in payload.risk_details
            ],
        ),
        site_url=_site_url(request),
    )
    return Status(201, referrals)


@router.get(
    "/referrals/{referral_id}",
    response={200: ReferralOut, **READ_ERRORS},
    url_name="referral-detail",
)
@requires(Permission.VIEW_REFERRAL)
def referral_detail(request: HttpRequest, referral_id: RecordId) -> Referral:
    user = api_user(request)
    return object_for_user_or_404(
        user=user,
        visible=selectors.referrals_visible_to(user=user),
        pk=referral_id,
        target_type="referral",
    )


@router.post(
    "/referrals/{referral_id}/receive",
    response={200: ReferralOut, **READ_ERRORS},
    url_name="referral-receive",
)
@requires(Permission.RECEIVE_REFERRAL)
def referral_receive(request: HttpRequest, referral_id: RecordId) -> Referral:
    """The team the referral was sent to has it (the referrer is told)."""
    user = api_user(request)
    return services.referral_receive(
        actor=user, referral=_receivable(user, referral_id), site_url=_site_url(request)
    )


@router.post(
    "/referrals/{referral_id}/screen",
    response={200: ReferralOut, **WRITE_ERRORS},
    url_name="referral-screen",
)
@requires(Permission.RECEIVE_REFERRAL)
def referral_screen(request: HttpRequest, referral_id: RecordId, payload: ScreenIn) -> Referral:
    user = api_user(request)
    return services.referral_screen(
        actor=user, referral=_receivable(user, referral_id), note=payload.note
    )


@router.post(
    "/referrals/{referral_id}/outcome",
    response={200: ReferralOut, **WRITE_ERRORS},
    url_name="referral-outcome",
)
@requires(Permission.RECEIVE_REFERRAL)
def referral_outcome(request: HttpRequest, referral_id: RecordId, payload: OutcomeIn) -> Referral:
    """Record the decision and its reason; the police desk adds its reference for the
    CSE-flagged record. The referrer and their safeguarding lead are told."""
    user = api_user(request)
    return services.referral_outcome_record(
        actor=user,
        referral=_receivable(user, referral_id),
        outcome=payload.outcome,
        reason=payload.reason,
        police_reference=payload.police_reference,
        flagged_record_existed=payload.flagged_record_existed,
        site_url=_site_url(request),
    )
