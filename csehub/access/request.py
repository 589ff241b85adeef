"""The signed-in user of a request, typed, for views behind AccessPolicyMiddleware."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from csehub.accounts.models import User


def request_user(request: HttpRequest) -> User:
    """The user the access policy let through. Every non-public URL is signed-in only
    (access.policy), so anything else means a view was reached without the middleware: refuse
    it rather than carry on with an anonymous user (a check, not an assert, so -O keeps it)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user
