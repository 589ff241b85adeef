"""Extra ways a user may come to see a child, contributed by other apps.

The referrals app registers one so that a team sees the children in referrals sent to it
(Scope.REFERRED). A provider returns a Q over Child, or None when it gives the user nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from csehub.accounts.models import User
from csehub.registry import Registry

ChildScopeProvider = Callable[[User], Q | None]

_providers = Registry[ChildScopeProvider]("child scopes")


def register_child_scope(provider: ChildScopeProvider) -> ChildScopeProvider:
    """Add a provider (usable as a decorator). Registering the same one twice is harmless."""
    return _providers.register(provider)


def extra_child_scopes(user: User) -> list[Q]:
    return [q for q in (provider(user) for provider in _providers) if q is not None]
