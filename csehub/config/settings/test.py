"""Settings for the test suite: the same stack, fast password hashing, mail kept in memory."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR, database_from_env

SECRET_KEY = "test-only-not-secret-" + "y" * 40
CSEHUB_AUDIT_KEY = "test-only-audit-key-" + "z" * 40
CSEHUB_AUDIT_CHECKPOINT_DIR = ""
# Tests see each row sealed as its transaction commits (test_seal_interval tries the interval).
CSEHUB_AUDIT_SEAL_INTERVAL_SECONDS = 0.0
ALLOWED_HOSTS = ["*"]
DATABASES = {"default": database_from_env(VAR_DIR / "test.sqlite3")}
# On SQLite, a file rather than shared-cache memory: the browser tests' live server answers
# from other threads, and a file in WAL mode makes them wait for a lock instead of failing
# with "table is locked". pytest-xdist gives each worker its own file; the run's id keeps two
# runs at once (two checkouts' engineers, say) off each other's files.
_run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")[:8] or str(os.getpid())
_default_test_name = (
    str(VAR_DIR / f"test-csehub-{_run}.sqlite3")
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    else None
)
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("CSEHUB_TEST_DB_NAME") or _default_test_name}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# The test database is flushed between transactional tests; only here may flush lift the
# audit table's append-only triggers.
CSEHUB_ALLOW_AUDIT_FLUSH = True
