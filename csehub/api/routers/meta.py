"""Who the caller is, and the shared vocabulary."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from csehub.access.permissions import ROLE_PERMISSIONS, Permission
from csehub.accounts.models import Role
from csehub.api.errors import AUTH_ERRORS, GUIDANCE_ERRORS, ErrorOut
from csehub.api.operations import api_user, requires
from csehub.taxonomy import selectors as taxonomy

router = Router(tags=["meta"])


class MeOut(Schema):
    id: int
    name: str
    role: str
    agency: str | None
    partnership: str | None
    permissions: list[str]


class ItemOut(Schema):
    code: str
    label: str
    explanation: str
    parent: str | None
    significant: bool
    retired: bool


class VocabularyOut(Schema):
    code: str
    name: str
    description: str
    version: int


class VocabularyDetailOut(VocabularyOut):
    items: list[ItemOut]


@router.get("/me", response={200: MeOut, **AUTH_ERRORS}, url_name="me")
def me(request: HttpRequest) -> MeOut:
    """The account the token belongs to, and what its role may do."""
    user = api_user(request)
    permissions = sorted(str(p) for p in ROLE_PERMISSIONS.get(Role(user.role), {}))
    return MeOut(
        id=user.pk,
        name=user.full_name,
        role=user.role,
        agency=user.agency.name if user.agency else None,
        partnership=user.partnership.slug if user.partnership else None,
        permissions=permissions,
    )


@router.get(
    "/vocabularies",
    response={200: list[VocabularyOut], **GUIDANCE_ERRORS},
    url_name="vocabulary-list",
)
@requires(Permission.VIEW_GUIDANCE)
def vocabulary_list(request: HttpRequest) -> list[VocabularyOut]:
    return [
        VocabularyOut(code=v.code, name=v.name, description=v.description, version=v.version)
        for v in taxonomy.vocabularies()
    ]


@router.get(
    "/vocabularies/{code}",
    response={200: VocabularyDetailOut, **GUIDANCE_ERRORS, 404: ErrorOut},
    url_name="vocabulary-detail",
)
@requires(Permission.VIEW_GUIDANCE)
def vocabulary_detail(request: HttpRequest, code: str) -> VocabularyDetailOut:
    vocabulary = taxonomy.vocabulary_by_code(code)
    if vocabulary is None:
        raise HttpError(404, "No vocabulary has this code")
    items = taxonomy.items_for(vocabulary, include_retired=True).select_related("parent")
    return VocabularyDetailOut(
        code=vocabulary.code,
        name=vocabulary.name,
        description=vocabulary.description,
        version=vocabulary.version,
        items=[
            ItemOut(
                code=i.code,
                label=i.label,
                explanation=i.explanation,
                parent=i.parent.code if i.parent else None,
                significant=i.significant,
                retired=i.is_retired,
            )
            for i in items
        ],
    )
