"""Every API operation names the permission it needs, the same enum the pages use."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from ninja.errors import HttpError

from csehub.access.permissions import Permission, has_permission
from csehub.accounts.models import User
from csehub.audit.models import Outcome, Verb
from csehub.audit.services import audit_record

F = TypeVar("F", bound=Callable[..., Any])
PERMISSION_ATTRIBUTE = "csehub_permission"


def requires(permission: Permission) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            user = request.auth  # type: ignore[attr-defined]
            if not isinstance(user, User) or not has_permission(user, permission):
                audit_record(
                    actor=user,
                    verb=Verb.VIEWED,
                    target_type="api_operation",
                    target_id=func.__name__,
                    outcome=Outcome.DENIED,
                )
                raise HttpError(403, "Your role does not include this operation")
            return func(request, *args, **kwargs)

        setattr(wrapper, PERMISSION_ATTRIBUTE, permission)
        return wrapper  # type: ignore[return-value]

    return decorate


def api_user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user
