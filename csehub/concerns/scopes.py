"""Extra ways a user may come to see a concern, contributed by other apps.

The referrals app registers one so that a team sees the concerns in referrals sent to it
(Scope.REFERRED). A provider returns a Q over Concern, or None when it gives the user nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from csehub.accounts.models import User
from csehub.registry import Registry

ConcernScopeProvider = Callable[[User], Q | None]

_providers = Registry[ConcernScopeProvider]("concern scopes")


def register_concern_scope(provider: ConcernScopeProvider) -> ConcernScopeProvider:
    """Add a provider (usable as a decorator). Registering the same one twice is harmless."""
    return _providers.register(provider)


def extra_concern_scopes(user: User) -> list[Q]:
    return [q for q in (provider(user) for provider in _providers) if q is not None]
