"""Settings for the server benchmarks: production's, served over plain HTTP on 127.0.0.1.

Everything is production's (keys checked for strength, DEBUG off, MFA always, the SMTP-free
mail backend the environment names) except what needs TLS in front: there is no proxy on a
benchmark machine, so the HTTPS redirect and the secure-only cookies are off. Used by
benchmarks/crash.py and benchmarks/load.py (`DJANGO_SETTINGS_MODULE=bench_settings` with
benchmarks/ on PYTHONPATH); never by a live service.
"""

from csehub.config.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The __Host- prefix is only valid on secure cookies.
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
