"""The fictional demo partnership on this machine: served over plain HTTP on 127.0.0.1."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR

SECRET_KEY = os.environ.get("CSEHUB_SECRET_KEY", "demo-only-not-secret-" + "x" * 40)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Demo users may sign in without enrolling an authenticator; every page says so.
CSEHUB_DEMO_MODE = True
STATIC_ROOT = VAR_DIR / "static"
