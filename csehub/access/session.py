"""Whether a request has completed sign-in: a password and, unless demo mode waives it, a code."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

DEMO_MFA_WAIVED = "csehub_demo_mfa_waived"


def is_fully_signed_in(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_verified():  # type: ignore[attr-defined]  # added by django-otp's middleware
        return True
    return bool(settings.CSEHUB_DEMO_MODE and request.session.get(DEMO_MFA_WAIVED))
