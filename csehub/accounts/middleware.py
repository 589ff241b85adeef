"""Ends a session 10 hours after sign-in, however active (idle expiry is the session cookie's)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import auth, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from csehub.audit.models import Verb
from csehub.audit.services import audit_record

SIGNED_IN_AT = "csehub_signed_in_at"


class SessionLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            too_old = (
                signed_in_at is None
                or time.time() - float(signed_in_at) > settings.CSEHUB_SESSION_MAX_AGE_SECONDS
            )
            if too_old:
                user = request.user
                auth.logout(request)
                audit_record(
                    actor=user, verb=Verb.SESSION_EXPIRED, target_type="user", target_id=user.pk
                )
                messages.info(
                    request, "You were signed out because your session reached its time limit."
                )
                return redirect("accounts:sign-in")
        return self.get_response(request)
