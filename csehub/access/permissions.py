"""What each role may do, and over which records: the whole matrix in one place.

A permission names an action; a scope says which records it reaches. Selectors turn a scope into
a queryset filter, so a view never decides visibility on its own.
"""

from __future__ import annotations

import enum

from django.contrib.auth.models import AnonymousUser

from csehub.accounts.models import Role, User


class Permission(enum.StrEnum):
    VIEW_GUIDANCE = "view_guidance"
    MANAGE_AGENCIES = "manage_agencies"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT_LOG = "view_audit_log"
    EXPORT_AUDIT_LOG = "export_audit_log"


class Scope(enum.StrEnum):
    """How far a permission reaches. Ordered from narrowest to widest."""

    OWN = "own"  # records the user made
    AGENCY = "agency"  # records of the user's agency
    ALLOCATED = "allocated"  # children allocated to the user, and records about them
    ALL = "all"  # everything in the partnership


_EVERY_ROLE: dict[Permission, Scope] = {Permission.VIEW_GUIDANCE: Scope.ALL}

ROLE_PERMISSIONS: dict[Role, dict[Permission, Scope]] = {
    Role.PRACTITIONER: {**_EVERY_ROLE},
    Role.SAFEGUARDING_LEAD: {**_EVERY_ROLE},
    Role.FRONT_DOOR: {**_EVERY_ROLE},
    Role.SOCIAL_WORKER: {**_EVERY_ROLE},
    Role.POLICE_REFERRAL_DESK: {**_EVERY_ROLE},
    Role.POLICE_ANALYST: {**_EVERY_ROLE},
    Role.MACE_COORDINATOR: {**_EVERY_ROLE},
    Role.MISSING_COORDINATOR: {**_EVERY_ROLE},
    Role.PARTNERSHIP_ADMIN: {
        **_EVERY_ROLE,
        Permission.MANAGE_AGENCIES: Scope.ALL,
        Permission.MANAGE_USERS: Scope.ALL,
    },
    Role.INFORMATION_GOVERNANCE: {
        **_EVERY_ROLE,
        Permission.VIEW_AUDIT_LOG: Scope.ALL,
        Permission.EXPORT_AUDIT_LOG: Scope.ALL,
    },
}


def scope_for(user: User | AnonymousUser, permission: Permission) -> Scope | None:
    """The scope the user holds the permission with, or None when they do not hold it."""
    if not isinstance(user, User) or not user.is_active:
        return None
    return ROLE_PERMISSIONS.get(Role(user.role), {}).get(permission)


def has_permission(user: User | AnonymousUser, permission: Permission) -> bool:
    return scope_for(user, permission) is not None
