"""Reads of tokens and partner-system accounts, scoped to the asking user."""

from __future__ import annotations

from django.db.models import QuerySet

from csehub.access.permissions import Permission, has_permission
from csehub.accounts.models import User
from csehub.accounts.selectors import users_visible_to

from .models import ApiToken


def tokens_of(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def partner_systems_visible_to(*, user: User) -> QuerySet[User]:
    if not has_permission(user, Permission.MANAGE_USERS):
        return User.objects.none()
    return users_visible_to(user=user).filter(is_system_account=True)


def tokens_manageable_by(*, user: User) -> QuerySet[ApiToken]:
    """A user's own tokens, and an administrator's partner systems' tokens."""
    own = ApiToken.objects.filter(user=user)
    systems = ApiToken.objects.filter(user__in=partner_systems_visible_to(user=user))
    return (own | systems).select_related("user")
