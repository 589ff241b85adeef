"""Reads about concerns and risk assessments, always through the asking user's scope."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from csehub.access.permissions import Permission, Scope, scope_for
from csehub.accounts.models import User
from csehub.children.models import Child
from csehub.taxonomy.models import Item, Vocabulary

from .models import Concern, ConcernStatus, IndicatorObservation, RiskAssessment
from .scopes import extra_concern_scopes

NOTHING = Q(pk__in=[])


def _scope_condition(user: User, scope: Scope) -> Q:
    if scope == Scope.ALL:
        return Q()
    if scope == Scope.OWN:
        return Q(raised_by=user)
    if scope == Scope.AGENCY:
        return Q(agency_id=user.agency_id)
    if scope == Scope.ALLOCATED:
        return Q(raised_by=user) | Q(child__allocated_social_worker=user)
    return NOTHING  # Scope.REFERRED: only what the referrals app's provider adds


def _concerns_for(user: User, permission: Permission) -> QuerySet[Concern]:
    scope = scope_for(user, permission)
    if scope is None or user.agency_id is None:
        return Concern.objects.none()
    condition = _scope_condition(user, scope)
    # Q() means "everything"; OR-ing a provider's Q onto it would narrow it to that provider.
    if scope != Scope.ALL:
        for extra in extra_concern_scopes(user):
            condition |= extra
    # A draft is its author's alone until it is submitted.
    return (
        Concern.objects.filter(child__partnership_id=user.partnership_id)
        .filter(condition)
        .filter(Q(status=ConcernStatus.SUBMITTED) | Q(raised_by=user))
        .select_related("child", "raised_by", "agency")
    )


def concerns_visible_to(*, user: User) -> QuerySet[Concern]:
    return _concerns_for(user, Permission.VIEW_CONCERN)


def concerns_assessable_by(*, user: User) -> QuerySet[Concern]:
    """Concerns the user may use the risk tool on, or record a professional judgement for."""
    return _concerns_for(user, Permission.ASSESS_RISK)


def concern_drafts_editable_by(*, user: User) -> QuerySet[Concern]:
    """Only the person who raised a concern changes it, and only while it is a draft."""
    return Concern.objects.filter(raised_by=user, status=ConcernStatus.DRAFT).select_related(
        "child", "agency"
    )


def concerns_for_child(*, user: User, child: Child) -> QuerySet[Concern]:
    return concerns_visible_to(user=user).filter(child=child).order_by("created_at", "pk")


def concern_list_for(*, user: User) -> QuerySet[Concern]:
    """The concerns page: the user's drafts first, then the concerns they may see."""
    return concerns_visible_to(user=user).order_by("status", "-created_at", "-pk")


def concern_full(concern: Concern) -> Concern:
    """The concern with everyone and everything involved, for one page."""
    return (
        Concern.objects.filter(pk=concern.pk)
        .select_related("child", "raised_by", "agency")
        .prefetch_related("people", "vehicles", "phones", "online", "locations")
        .get()
    )


def _assessments(concerns: QuerySet[Concern]) -> QuerySet[RiskAssessment]:
    return (
        RiskAssessment.objects.filter(concern__in=concerns)
        .select_related("concern", "concern__child", "concern__agency", "assessor", "judgement_by")
        .prefetch_related(
            Prefetch(
                "observations",
                queryset=IndicatorObservation.objects.select_related("item", "item__vocabulary"),
            ),
            "reasons",
            "reasons__item",
            "reasons__item__vocabulary",
        )
    )


def assessments_visible_to(*, user: User) -> QuerySet[RiskAssessment]:
    return _assessments(concerns_visible_to(user=user))


def assessments_judgeable_by(*, user: User) -> QuerySet[RiskAssessment]:
    return _assessments(concerns_assessable_by(user=user))


def assessments_for_child(*, user: User, child: Child) -> list[RiskAssessment]:
    return list(
        assessments_visible_to(user=user).filter(concern__child=child).order_by("created_at", "pk")
    )


@dataclass
class VocabularySection:
    vocabulary: Vocabulary
    role: str
    groups: list[tuple[Item | None, list[Item]]] = field(default_factory=list)


def tool_sections(*, vocabulary_roles: dict[str, str]) -> list[VocabularySection]:
    """The risk tool's questions: each vocabulary the scheme uses, its current items grouped
    under their parent (warning signs under SAFEGUARD areas, behaviours under stages)."""
    sections: list[VocabularySection] = []
    vocabularies = Vocabulary.objects.filter(code__in=vocabulary_roles).order_by("position")
    for vocabulary in vocabularies:
        items = list(
            Item.objects.filter(vocabulary=vocabulary, is_retired=False)
            .select_related("parent", "vocabulary")
            .order_by("position")
        )
        section = VocabularySection(vocabulary=vocabulary, role=vocabulary_roles[vocabulary.code])
        groups: dict[int | None, tuple[Item | None, list[Item]]] = {}
        for item in items:
            key = item.parent_id
            if key not in groups:
                groups[key] = (item.parent, [])
            groups[key][1].append(item)
        section.groups = list(groups.values())
        sections.append(section)
    return sections


def items_by_pk(pks: list[int]) -> dict[int, Item]:
    return {item.pk: item for item in Item.objects.filter(pk__in=pks).select_related("vocabulary")}
