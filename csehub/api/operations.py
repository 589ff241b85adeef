"""Every API operation names the permission it needs, the same enum the pages use, and none
is handed text the database cannot store."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import BaseModel

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


NUL = "\x00"
NUL_MESSAGE = "Remove the NUL character (\\u0000): text cannot contain it"


def _nul_at(value: Any) -> list[str | int] | None:
    """Where in `value` (a parameter, or a body with its nested lists and objects) a string
    holds a NUL character, or None when none does."""
    if isinstance(value, str):
        return [] if NUL in value else None
    children: list[tuple[Any, Any]]
    if isinstance(value, BaseModel):
        children = [(name, getattr(value, name)) for name in type(value).model_fields]
    elif isinstance(value, dict):
        # A key is text too: a NUL in one points at the key itself.
        children = [(key, key) for key in value] + list(value.items())
    elif isinstance(value, list | tuple):
        children = list(enumerate(value))
    else:
        return None
    for key, item in children:
        found = _nul_at(item)
        if found is not None:
            return [key, *found]
    return None


def refuse_nul_characters(func: F) -> F:
    """Applied to every operation, after the parameters and body are validated. PostgreSQL's
    text cannot hold NUL, so a string with one would fail in the database (a server error);
    it is refused here by name instead."""

    @functools.wraps(func)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        match = request.resolver_match
        path_params = match.kwargs if match else {}
        for name, value in kwargs.items():
            found = _nul_at(value)
            if found is None:
                continue
            if isinstance(value, BaseModel):
                loc = ["body", name, *found]
            else:
                loc = ["path" if name in path_params else "query", name, *found]
            raise NinjaValidationError([{"loc": loc, "msg": NUL_MESSAGE, "type": "invalid"}])
        return func(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
