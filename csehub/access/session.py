"""Whether a request has completed sign-in: a password and, unless demo mode waives it, a code."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

DEMO_MFA_WAIVED = "csehub_demo_mfa_waived"


def is_fully_signed_in(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return False
    # django-otp's middleware adds is_verified to users signed in by session; an API token's
    # user (set by csehub.api.auth) has none, and is never "signed in" to pages.
    is_verified = getattr(user, "is_verified", None)
    if is_verified is None:
        return False
    if is_verified():
        return True
    return bool(settings.CSEHUB_DEMO_MODE and request.session.get(DEMO_MFA_WAIVED))
