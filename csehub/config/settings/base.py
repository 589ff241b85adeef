"""Settings shared by every environment. Secrets and hosts come from the environment only."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(os.environ.get("CSEHUB_VAR_DIR", PROJECT_DIR / "var"))

SECRET_KEY = os.environ.get("CSEHUB_SECRET_KEY", "")
# The key of the audit trail's keyed hashes (csehub.audit.chain). It must live outside the
# database: whoever can write rows but lacks it cannot change the trail unseen.
CSEHUB_AUDIT_KEY = os.environ.get("CSEHUB_AUDIT_KEY", "")
# Signed checkpoints of the chain's head (`csehub audit verify --against`): written after
# sealing once the last is this old. Point the folder at storage the database host cannot
# rewrite; empty turns scheduled checkpoints off.
CSEHUB_AUDIT_CHECKPOINT_DIR = os.environ.get("CSEHUB_AUDIT_CHECKPOINT_DIR", "")
CSEHUB_AUDIT_CHECKPOINT_MINUTES = int(os.environ.get("CSEHUB_AUDIT_CHECKPOINT_MINUTES", "15"))
# Rows are sealed into the chain after commit; a process seals at most this often, and a timer
# seals what it left at the end of the interval (0: every commit seals at once).
CSEHUB_AUDIT_SEAL_INTERVAL_SECONDS = float(
    os.environ.get("CSEHUB_AUDIT_SEAL_INTERVAL_SECONDS", "0.5")
)
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("CSEHUB_ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    # Our apps first so that their management commands (flush) take precedence.
    "csehub.audit",
    "csehub.accounts",
    "csehub.access",
    "csehub.taxonomy",
    "csehub.pathways",
    "csehub.operations",
    "csehub.api",
    "csehub.children",
    "csehub.concerns",
    "csehub.referrals",
    "csehub.disclosures",
    "csehub.missing",
    "csehub.deadlines",
    "csehub.profile",
    # The job runner (decision 0019): tasks in the database, run by `csehub db_worker`.
    "django_tasks",
    "django_tasks_db",
    "csehub.language",
    "csehub.learning",
    "csehub.intelligence",
    "csehub.linking",
    "csehub.mace",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csehub.access.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csehub.audit.middleware.RequestContextMiddleware",
    "csehub.accounts.middleware.SessionLimitsMiddleware",
    "csehub.access.middleware.AccessPolicyMiddleware",
]

ROOT_URLCONF = "csehub.config.urls"
WSGI_APPLICATION = "csehub.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "csehub.accounts.context_processors.partnership",
            ],
        },
    }
]


def database_from_env(default_sqlite_path: Path) -> dict[str, object]:
    """DATABASE_URL selects PostgreSQL; otherwise the embedded SQLite file in WAL mode."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    default_sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": default_sqlite_path,
        "OPTIONS": {
            # IMMEDIATE takes the write lock when a transaction starts, so concurrent writers
            # queue instead of failing half way (and the audit hash chain stays linear).
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        },
    }


DATABASES = {"default": database_from_env(VAR_DIR / "csehub.sqlite3")}
# Background work (reminders as they fall due) waits in the database until `csehub db_worker`
# runs it; `csehub serve` starts one beside the web server (decision 0019).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["csehub.accounts.backends.ActiveAgencyBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "accounts:home"

# Sessions end after 30 minutes idle (the expiry moves on with every request) and after
# 10 hours whatever happens (SessionLimitsMiddleware).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSEHUB_SESSION_MAX_AGE_SECONDS = 10 * 60 * 60
CSRF_COOKIE_HTTPONLY = True

# Sign-in throttling (accounts.services.throttle): per username from one address, and per address.
CSEHUB_SIGNIN_FAILURES_PER_USERNAME_AND_IP = 5
CSEHUB_SIGNIN_FAILURES_PER_IP = 50
CSEHUB_SIGNIN_LOCKOUT_MINUTES = 15

# MFA is required unless demo mode lets demo users skip enrolment (never in production).
CSEHUB_DEMO_MODE = False
OTP_TOTP_ISSUER = "CSE Hub"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Files browsers ask for at the site's root (the favicon), served by WhiteNoise as they are.
WHITENOISE_ROOT = PACKAGE_DIR / "static_root"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get(
    "CSEHUB_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("CSEHUB_FROM_EMAIL", "cse-hub@localhost")

# The partnership shown on pages before anyone signs in.
CSEHUB_PARTNERSHIP_SLUG = os.environ.get("CSEHUB_PARTNERSHIP", "fernbridge")


def _port(text: str) -> int:
    if not (text.isdigit() and 0 < int(text) < 65536):
        raise ImproperlyConfigured(f"PORT must be a port number such as 8000, not {text!r}")
    return int(text)


# The port `csehub serve` (and so `make run`) listens on: PORT=8001 make run.
CSEHUB_PORT = _port(os.environ.get("PORT") or "8000")
# The address people reach the service at (https://host), for links in emails and on
# certificates, which are made outside any request; on this machine, the port served.
CSEHUB_SITE_URL = os.environ.get("CSEHUB_SITE_URL") or f"http://localhost:{CSEHUB_PORT}"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": ["'none'"],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
