"""The fictional demo partnership on this machine: served over plain HTTP on 127.0.0.1."""

import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR


def _key_file(name: str) -> str:
    """A random key kept in var/ (outside the database), made on first use."""
    path = VAR_DIR / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


SECRET_KEY = os.environ.get("CSEHUB_SECRET_KEY") or _key_file("secret.key")
CSEHUB_AUDIT_KEY = os.environ.get("CSEHUB_AUDIT_KEY") or _key_file("audit.key")
CSEHUB_AUDIT_CHECKPOINT_DIR = os.environ.get(
    "CSEHUB_AUDIT_CHECKPOINT_DIR", str(VAR_DIR / "audit-checkpoints")
)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Demo users may sign in without enrolling an authenticator; every page says so.
CSEHUB_DEMO_MODE = True
STATIC_ROOT = VAR_DIR / "static"
