"""Disclosures: a draft, signed with the author's password, then read-only with addenda.

Signing needs the password of the person who recorded the disclosure, re-entered in the body.
A partner-system account has no password, so it can record drafts but never sign.
"""
# No `from __future__ import annotations`: ninja reads the body schemas from real annotations.

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from csehub.access.lookups import object_for_user_or_404
from csehub.access.permissions import Permission
from csehub.accounts.models import User
from csehub.api.dates import LocalTime, PastDate
from csehub.api.errors import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS
from csehub.api.ids import RecordId
from csehub.api.operations import api_user, requires
from csehub.api.pagination import paginated
from csehub.children.selectors import children_visible_to
from csehub.concerns.models import Concern
from csehub.concerns.selectors import concerns_visible_to
from csehub.disclosures import selectors, services
from csehub.disclosures.models import Addendum, Disclosure

router = Router(tags=["disclosures"])

SYSTEM_CANNOT_SIGN = (
    "A partner-system account cannot sign a disclosure: signing needs the password of the "
    "person who recorded it. Save it as a draft, or ask the practitioner to record and sign it "
    "in CSE Hub."
)
SIGNING_HINT = (
    "The password of the account the token belongs to, to sign the record. Once signed it "
    "cannot be changed; corrections are addenda."
)


class DisclosureDetailsIn(Schema):
    occurred_on: PastDate | None = None
    occurred_time: LocalTime | None = None
    place: str = Field("", max_length=300)
    who_was_present: str = Field("", max_length=20_000)
    childs_words: str = Field(
        "", max_length=50_000, description="The child's words as spoken, kept verbatim."
    )
    practitioner_response: str = Field("", max_length=20_000)
    who_was_told: str = Field("", max_length=20_000)
    password: str | None = Field(None, description=SIGNING_HINT)


class DisclosureCreateIn(DisclosureDetailsIn):
    child_id: RecordId
    concern_id: RecordId | None = None


class SignIn(Schema):
    password: str = Field(min_length=1, description=SIGNING_HINT)


class AddendumIn(Schema):
    text: str = Field(min_length=1, max_length=20_000)


class AddendumOut(Schema):
    id: int
    author: str
    agency: str
    created_at: dt.datetime
    text: str

    @staticmethod
    def resolve_author(obj: Addendum) -> str:
        return obj.author.full_name

    @staticmethod
    def resolve_agency(obj: Addendum) -> str:
        return obj.agency.name


class DisclosureSummaryOut(Schema):
    id: int
    child_id: int
    concern_id: int | None
    status: str
    occurred_on: dt.date | None
    recorded_by: str
    agency: str
    created_at: dt.datetime
    signed_at: dt.datetime | None

    @staticmethod
    def resolve_recorded_by(obj: Disclosure) -> str:
        return obj.recorded_by.full_name

    @staticmethod
    def resolve_agency(obj: Disclosure) -> str:
        return obj.agency.name


class DisclosureOut(DisclosureSummaryOut):
    occurred_time: LocalTime | None
    place: str
    who_was_present: str
    childs_words: str
    practitioner_response: str
    who_was_told: str
    updated_at: dt.datetime
    addenda: list[AddendumOut]

    @staticmethod
    def resolve_addenda(obj: Disclosure) -> list[Addendum]:
        return list(selectors.addenda_for(disclosure=obj))


def _details(payload: DisclosureDetailsIn) -> services.DisclosureDetails:
    return services.DisclosureDetails(
        occurred_on=payload.occurred_on,
        occurred_time=payload.occurred_time,
        place=payload.place,
        who_was_present=payload.who_was_present,
        childs_words=payload.childs_words,
        practitioner_response=payload.practitioner_response,
        who_was_told=payload.who_was_told,
    )


def _refuse_system_signature(user: User, disclosure_id: int | None) -> None:
    """Signing is a person's act; a partner system has no password to re-enter."""
    if not user.is_system_account:
        return
    services.disclosure_signature_refused_record(
        actor=user, disclosure_id=disclosure_id, reason="system_account"
    )
    raise HttpError(403, SYSTEM_CANNOT_SIGN)


def _draft(user: User, disclosure_id: int) -> Disclosure:
    return object_for_user_or_404(
        user=user,
        visible=selectors.disclosure_drafts_editable_by(user=user),
        pk=disclosure_id,
        target_type="disclosure",
    )


@router.get(
    "/disclosures",
    response={200: list[DisclosureSummaryOut], **LIST_ERRORS},
    url_name="disclosure-list",
)
@paginated(target_type="disclosure")
@requires(Permission.VIEW_DISCLOSURE)
def disclosure_list(request: HttpRequest, child_id: RecordId | None = None) -> QuerySet[Disclosure]:
    """Disclosures the caller may see (their own drafts too), newest first."""
    disclosures = selectors.disclosures_visible_to(user=api_user(request))
    if child_id is not None:
        disclosures = disclosures.filter(child_id=child_id)
    return disclosures.order_by("-created_at", "-pk")


@router.post(
    "/disclosures", response={201: DisclosureOut, **WRITE_ERRORS}, url_name="disclosure-create"
)
@requires(Permission.RECORD_DISCLOSURE)
def disclosure_create(request: HttpRequest, payload: DisclosureCreateIn) -> Status:
    """Record a disclosure about a child the caller may see: a draft, or signed at once when
    `password` is given (a wrong password saves nothing and answers 422)."""
    user = api_user(request)
    if payload.password is not None:
        _refuse_system_signature(user, None)
    child = object_for_user_or_404(
        user=user, visible=children_visible_to(user=user), pk=payload.child_id, target_type="child"
    )
    concern: Concern | None = None
    if payload.concern_id is not None:
        concern = object_for_user_or_404(
            user=user,
            visible=concerns_visible_to(user=user).filter(child=child),
            pk=payload.concern_id,
            target_type="concern",
        )
    disclosure = services.disclosure_create(
        actor=user,
        child=child,
        concern=concern,
        details=_details(payload),
        sign_with_password=payload.password,
    )
    return Status(201, disclosure)


@router.get(
    "/disclosures/{disclosure_id}",
    response={200: DisclosureOut, **READ_ERRORS},
    url_name="disclosure-detail",
)
@requires(Permission.VIEW_DISCLOSURE)
def disclosure_detail(request: HttpRequest, disclosure_id: RecordId) -> Disclosure:
    user = api_user(request)
    return object_for_user_or_404(
        user=user,
        visible=selectors.disclosures_visible_to(user=user),
        pk=disclosure_id,
        target_type="disclosure",
    )


@router.put(
    "/disclosures/{disclosure_id}",
    response={200: DisclosureOut, **WRITE_ERRORS},
    url_name="disclosure-update",
)
@requires(Permission.RECORD_DISCLOSURE)
def disclosure_update(
    request: HttpRequest, disclosure_id: RecordId, payload: DisclosureDetailsIn
) -> Disclosure:
    """Replace a draft's details (its author only), and sign it when `password` is given."""
    user = api_user(request)
    if payload.password is not None:
        _refuse_system_signature(user, disclosure_id)
    return services.disclosure_update(
        actor=user,
        disclosure=_draft(user, disclosure_id),
        details=_details(payload),
        sign_with_password=payload.password,
    )


@router.post(
    "/disclosures/{disclosure_id}/sign",
    response={200: DisclosureOut, **WRITE_ERRORS},
    url_name="disclosure-sign",
)
@requires(Permission.RECORD_DISCLOSURE)
def disclosure_sign(request: HttpRequest, disclosure_id: RecordId, payload: SignIn) -> Disclosure:
    """Sign a draft as it is stored. From then on it is read-only."""
    user = api_user(request)
    _refuse_system_signature(user, disclosure_id)
    draft = _draft(user, disclosure_id)
    stored = services.DisclosureDetails(
        occurred_on=draft.occurred_on,
        occurred_time=draft.occurred_time,
        place=draft.place,
        who_was_present=draft.who_was_present,
        childs_words=draft.childs_words,
        practitioner_response=draft.practitioner_response,
        who_was_told=draft.who_was_told,
    )
    return services.disclosure_update(
        actor=user, disclosure=draft, details=stored, sign_with_password=payload.password
    )


@router.post(
    "/disclosures/{disclosure_id}/addenda",
    response={201: AddendumOut, **WRITE_ERRORS},
    url_name="addendum-create",
)
@requires(Permission.RECORD_DISCLOSURE)
def addendum_create(request: HttpRequest, disclosure_id: RecordId, payload: AddendumIn) -> Status:
    """Add a correction or later information to a signed disclosure; the original is never
    changed."""
    user = api_user(request)
    disclosure = object_for_user_or_404(
        user=user,
        visible=selectors.disclosures_visible_to(user=user),
        pk=disclosure_id,
        target_type="disclosure",
    )
    return Status(201, services.addendum_add(actor=user, disclosure=disclosure, text=payload.text))
