"""Every request passes the URL policy before its view runs; unknown views are refused."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from csehub.audit.models import Outcome, Verb
from csehub.audit.services import audit_record

from .permissions import Permission, has_permission
from .policy import Open, rule_for
from .session import is_fully_signed_in

logger = logging.getLogger(__name__)


class AccessPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        view_name = match.view_name if match else ""
        if view_name.startswith("djdt") or request.path.startswith(settings.STATIC_URL):
            return None
        rule = rule_for(view_name)
        if rule is None:
            # Fail closed: a view nobody wrote a policy for is not served.
            logger.error("No access policy for view %s", view_name)
            return render(request, "errors/403.html", status=403)
        if rule in (Open.PUBLIC, Open.API):
            return None
        if not is_fully_signed_in(request):
            return redirect(f"{reverse('accounts:sign-in')}?next={request.get_full_path()}")
        if rule is Open.SIGNED_IN:
            return None
        assert isinstance(rule, Permission)
        if has_permission(request.user, rule):
            return None
        audit_record(
            actor=request.user,
            verb=Verb.VIEWED,
            target_type="page",
            target_id=view_name,
            outcome=Outcome.DENIED,
        )
        return render(request, "errors/403.html", status=403)


class NoStoreMiddleware:
    """Nothing the app answers is kept by a browser or a proxy.

    Almost every page and API response carries personal data, and a shared computer's cache
    or back button must not show a child's record to the next person. A view that sets its
    own Cache-Control (none does today) keeps it. Static files are served before this runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
