"""Children: find, record (with the likely-duplicate check), change, and the chronology."""
# No `from __future__ import annotations`: ninja reads the body schemas from real annotations.

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import field_validator

from csehub.access.lookups import object_for_user_or_404
from csehub.access.permissions import Permission, has_permission
from csehub.accounts.models import User
from csehub.api.dates import PastDate, PeriodDate
from csehub.api.errors import (
    LIST_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    unprocessable,
    unprocessable_query,
)
from csehub.api.ids import RecordId
from csehub.api.operations import api_user, requires
from csehub.api.pagination import paginated
from csehub.children import selectors, services
from csehub.children.chronology import ChronologyEntry, chronology_for
from csehub.children.matching import NewChildNames
from csehub.children.models import (
    AliasKind,
    CareStatus,
    Child,
    Disability,
    Ethnicity,
    Gender,
    postcode_normalise,
)

router = Router(tags=["children"])


class AliasSchema(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: AliasKind = AliasKind.NICKNAME


class ChildIn(Schema):
    given_name: str = Field(min_length=1, max_length=100)
    family_name: str = Field("", max_length=100)
    known_as: str = Field("", max_length=100)
    date_of_birth: PastDate | None = None
    age_estimate_years: int | None = Field(None, ge=0, le=25)
    age_not_known: bool = Field(
        False, description="True when neither a date of birth nor an age can be given."
    )
    gender: Gender = Gender.NOT_RECORDED
    ethnicity: Ethnicity = Ethnicity.NOT_RECORDED
    disability: Disability = Disability.NOT_RECORDED
    care_status: CareStatus = CareStatus.NOT_RECORDED
    school_or_setting: str = Field("", max_length=200)
    home_postcode: str = Field("", max_length=10)
    allocated_social_worker_id: RecordId | None = Field(
        None, description="A social worker of the partnership; needs the edit_child permission."
    )
    aliases: list[AliasSchema] = Field(default_factory=list, max_length=20)

    @field_validator("home_postcode")
    @classmethod
    def _postcode(cls, value: str) -> str:
        # The model checks the normalised shape ("dn156nl" is DN15 6NL).
        return postcode_normalise(value)


class ChildCreateIn(ChildIn):
    confirm_new_child: bool = Field(
        False,
        description=(
            "Send true after checking the likely existing records a 409 answer listed, to "
            "record a new child anyway."
        ),
    )


class ChildOut(Schema):
    id: int
    given_name: str
    family_name: str
    known_as: str
    date_of_birth: dt.date | None
    age_estimate_years: int | None
    age_not_known: bool
    age: int | None
    gender: str
    ethnicity: str
    disability: str
    care_status: str
    school_or_setting: str
    home_postcode: str
    allocated_social_worker_id: int | None
    created_by_agency: str
    created_at: dt.datetime
    aliases: list[AliasSchema]

    @staticmethod
    def resolve_age(obj: Child) -> int | None:
        return obj.age_on(timezone.localdate())

    @staticmethod
    def resolve_created_by_agency(obj: Child) -> str:
        return obj.created_by_agency.name

    @staticmethod
    def resolve_aliases(obj: Child) -> list[AliasSchema]:
        return [AliasSchema(name=a.name, kind=AliasKind(a.kind)) for a in obj.aliases.all()]


class LikelyMatchOut(Schema):
    id: int
    reasons: list[str]
    url: str = Field(description="GET this to compare the record (the read is audited).")


class DuplicatesOut(Schema):
    detail: str
    matches: list[LikelyMatchOut]
    elsewhere: int = Field(
        description="Likely matches in records the caller may not see: a count only."
    )


class ChronologyEntryOut(Schema):
    at: dt.datetime
    kind: str
    kind_label: str
    title: str
    summary: str
    url: str
    agency: str
    approximate: bool


def _child(user: User, child_id: int, visible: QuerySet[Child] | None = None) -> Child:
    return object_for_user_or_404(
        user=user,
        visible=selectors.children_visible_to(user=user) if visible is None else visible,
        pk=child_id,
        target_type="child",
    )


def _details(user: User, payload: ChildIn) -> services.ChildDetails:
    worker: User | None = None
    if payload.allocated_social_worker_id is not None:
        workers = (
            selectors.social_workers_for(user=user)
            if has_permission(user, Permission.EDIT_CHILD)
            else User.objects.none()
        )
        worker = workers.filter(pk=payload.allocated_social_worker_id).first()
        if worker is None:
            raise unprocessable(
                ["allocated_social_worker_id"],
                "Choose an active social worker of your partnership",
            )
    return services.ChildDetails(
        given_name=payload.given_name,
        family_name=payload.family_name,
        known_as=payload.known_as,
        date_of_birth=payload.date_of_birth,
        age_estimate_years=payload.age_estimate_years,
        age_not_known=payload.age_not_known,
        gender=payload.gender,
        ethnicity=payload.ethnicity,
        disability=payload.disability,
        care_status=payload.care_status,
        school_or_setting=payload.school_or_setting,
        home_postcode=payload.home_postcode,
        allocated_social_worker=worker,
    )


def _aliases(payload: ChildIn) -> list[services.AliasInput]:
    return [services.AliasInput(name=a.name, kind=a.kind) for a in payload.aliases]


@router.get("/children", response={200: list[ChildOut], **LIST_ERRORS}, url_name="child-list")
@paginated(target_type="child")
@requires(Permission.VIEW_CHILD)
def child_list(request: HttpRequest, q: str = "") -> QuerySet[Child]:
    """Children the caller may see, narrowed by a name, nickname or alias in `q`."""
    user = api_user(request)
    query = q.strip()[:100]
    children = selectors.children_search(user=user, query=query)
    if query:
        services.children_search_record(actor=user, api=True)
    return children


@router.post(
    "/children",
    response={201: ChildOut, 409: DuplicatesOut, **WRITE_ERRORS},
    url_name="child-create",
)
@requires(Permission.CREATE_CHILD)
def child_create(request: HttpRequest, payload: ChildCreateIn) -> Status:
    """Record a child. When likely existing records are found the answer is 409 with those the
    caller may see; send the same body with `confirm_new_child: true` to record it anyway."""
    user = api_user(request)
    details = _details(user, payload)
    aliases = _aliases(payload)
    new = NewChildNames(
        given_name=payload.given_name,
        family_name=payload.family_name,
        known_as=payload.known_as,
        aliases=tuple(a.name for a in aliases),
        date_of_birth=payload.date_of_birth,
    )
    candidates, elsewhere = selectors.possible_duplicates(user=user, new=new)
    shown = len(candidates) + elsewhere
    if shown and not payload.confirm_new_child:
        services.child_duplicates_shown_record(
            actor=user, shown_ids=[c.child.pk for c in candidates], elsewhere=elsewhere
        )
        return Status(
            409,
            DuplicatesOut(
                detail=(
                    "There may already be a record for this child. Check the likely matches; "
                    "to record a new child anyway, send the request again with "
                    "confirm_new_child set to true"
                ),
                matches=[
                    LikelyMatchOut(
                        id=c.child.pk,
                        reasons=c.reasons,
                        url=reverse("api-v1:child-detail", kwargs={"child_id": c.child.pk}),
                    )
                    for c in candidates
                ],
                elsewhere=elsewhere,
            ),
        )
    child = services.child_create(
        actor=user, details=details, aliases=aliases, duplicates_shown=shown
    )
    return Status(201, child)


@router.get(
    "/children/{child_id}", response={200: ChildOut, **READ_ERRORS}, url_name="child-detail"
)
@requires(Permission.VIEW_CHILD)
def child_detail(request: HttpRequest, child_id: RecordId) -> Child:
    return _child(api_user(request), child_id)


@router.put(
    "/children/{child_id}", response={200: ChildOut, **WRITE_ERRORS}, url_name="child-update"
)
@requires(Permission.EDIT_CHILD)
def child_update(request: HttpRequest, child_id: RecordId, payload: ChildIn) -> Child:
    """Replace the child's details and aliases (send every field, as on the page)."""
    user = api_user(request)
    child = _child(user, child_id, selectors.children_editable_by(user=user))
    return services.child_update(
        actor=user, child=child, details=_details(user, payload), aliases=_aliases(payload)
    )


@router.get(
    "/children/{child_id}/chronology",
    response={200: list[ChronologyEntryOut], **READ_ERRORS},
    url_name="child-chronology",
)
@paginated(target_type="child_chronology", about_child="child_id")
@requires(Permission.VIEW_CHILD)
def child_chronology(
    request: HttpRequest,
    child_id: RecordId,
    kind: list[str] | None = Query(None),  # noqa: B008
    start: PeriodDate | None = None,
    end: PeriodDate | None = None,
) -> list[ChronologyEntry]:
    """Everything recorded about the child that the caller may see, oldest first. Narrow it with
    `kind` (repeatable: concern, assessment, referral, disclosure, ...) and a `start`/`end` date."""
    if start is not None and end is not None and end < start:
        raise unprocessable_query("end", "The end must be on or after the start")
    user = api_user(request)
    child = _child(user, child_id)
    return chronology_for(child=child, user=user, kinds=kind or None, start=start, end=end)
