"""Production: secrets and hosts from the environment, HTTPS only, MFA always."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("Set CSEHUB_SECRET_KEY: production refuses to run without it.")
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
