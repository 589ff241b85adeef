"""Production: secrets and hosts from the environment, HTTPS only, MFA always."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _require_strong(name: str, value: str, *, min_length: int) -> None:
    """Refuse to start with a missing, short, repetitive or published key."""
    if not value:
        raise ImproperlyConfigured(f"Set {name}: production refuses to run without it.")
    weak = (
        len(value) < min_length
        or len(set(value)) < 10
        or value.startswith(("django-insecure", "demo-only", "test-only"))
    )
    if weak:
        raise ImproperlyConfigured(
            f"{name} is too weak: use at least {min_length} random characters "
            "(for example: python3 -c 'import secrets; print(secrets.token_urlsafe(48))')."
        )


_require_strong("CSEHUB_SECRET_KEY", SECRET_KEY, min_length=50)  # noqa: F405
_require_strong("CSEHUB_AUDIT_KEY", CSEHUB_AUDIT_KEY, min_length=32)  # noqa: F405
if CSEHUB_AUDIT_KEY == SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("CSEHUB_AUDIT_KEY must differ from CSEHUB_SECRET_KEY.")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("Set CSEHUB_ALLOWED_HOSTS to the host names the service answers.")
if os.environ.get("CSEHUB_DEMO_MODE"):
    raise ImproperlyConfigured("Demo mode lets users skip MFA and is refused in production.")

CSEHUB_DEMO_MODE = False
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
EMAIL_BACKEND = os.environ.get(
    "CSEHUB_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
