"""Reads about children, always through the asking user's scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from csehub.access.permissions import Permission, Scope, scope_for
from csehub.accounts.models import Role, User

from .matching import Candidate, NewChildNames, possible_duplicates_unchecked
from .models import Child, ChildAlias
from .scopes import extra_child_scopes

NOTHING = Q(pk__in=[])


def _scope_condition(user: User, scope: Scope) -> Q:
    if scope == Scope.ALL:
        return Q()
    # Whoever records a child can always find the record again.
    condition = Q(created_by=user)
    if scope == Scope.OWN:
        condition |= Q(pk__in=Child.objects.filter(concerns__raised_by=user).values("pk"))
    elif scope == Scope.AGENCY and user.agency_id is not None:
        agency_id: int = user.agency_id
        condition |= Q(created_by_agency_id=agency_id) | Q(
            pk__in=Child.objects.filter(concerns__agency_id=agency_id).values("pk")
        )
    elif scope == Scope.ALLOCATED:
        condition |= Q(allocated_social_worker=user)
    elif scope == Scope.REFERRED:
        condition = NOTHING  # only what the referrals app's provider adds
    return condition


def children_visible_to(*, user: User) -> QuerySet[Child]:
    return _children_for(user, Permission.VIEW_CHILD)


def children_editable_by(*, user: User) -> QuerySet[Child]:
    """Children whose details (and allocated social worker) the user may change."""
    return _children_for(user, Permission.EDIT_CHILD)


def _children_for(user: User, permission: Permission) -> QuerySet[Child]:
    scope = scope_for(user, permission)
    if scope is None or user.agency_id is None:
        return Child.objects.none()
    condition = _scope_condition(user, scope)
    # Q() means "everything"; OR-ing a provider's Q onto it would narrow it to that provider.
    if scope != Scope.ALL:
        for extra in extra_child_scopes(user):
            condition |= extra
    return (
        Child.objects.filter(partnership_id=user.partnership_id)
        .filter(condition)
        .select_related("allocated_social_worker", "created_by_agency")
        .prefetch_related("aliases")
    )


def children_search(*, user: User, query: str = "") -> QuerySet[Child]:
    """The child list: visible children, narrowed by a name, nickname or alias."""
    children = children_visible_to(user=user)
    for word in query.split()[:4]:
        # The children whose names hold the word, with those whose aliases do, as one subquery:
        # no join (which would need DISTINCT over every column), and each part can use the
        # trigram indexes PostgreSQL has (children/0003) instead of reading every child.
        named = Child.objects.filter(
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(known_as__icontains=word)
        ).values("pk")
        aliased = ChildAlias.objects.filter(name__icontains=word).values("child_id")
        named, aliased = named.order_by(), aliased.order_by()
        children = children.filter(pk__in=named.union(aliased))
    return children.order_by("family_name", "given_name", "pk")


def possible_duplicates(*, user: User, new: NewChildNames) -> tuple[list[Candidate], int]:
    """Likely existing records of the user's partnership: those the user may see, in full,
    and how many others exist that they may not (shown only as a count, never in detail)."""
    if user.agency_id is None:
        return [], 0
    everyone = Child.objects.filter(partnership_id=user.partnership_id).prefetch_related("aliases")
    found = possible_duplicates_unchecked(children=everyone, new=new)
    visible_ids = set(
        children_visible_to(user=user)
        .filter(pk__in=[c.child.pk for c in found])
        .values_list("pk", flat=True)
    )
    visible = [c for c in found if c.child.pk in visible_ids]
    return visible, len(found) - len(visible)


def social_workers_for(*, user: User) -> QuerySet[User]:
    """Social workers of the user's partnership who can be allocated to a child."""
    if user.agency_id is None:
        return User.objects.none()
    return User.objects.filter(
        role=Role.SOCIAL_WORKER,
        is_active=True,
        agency__partnership_id=user.partnership_id,
    ).order_by("full_name")
