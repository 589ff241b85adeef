"""The production settings refuse to start when a secret is missing or demo mode is asked for."""

from __future__ import annotations

import subprocess
import sys

from django.conf import settings

IMPORT = "import csehub.config.settings.production"
# Random-looking keys of the length production asks for (fictional, for these tests only).
KEYS = {
    "CSEHUB_SECRET_KEY": "p8Vd-3kQz_Lm7wXr2NfYc9HsTb4JgUe6Ao1iKy5RnWq0ZxEtMv",
    "CSEHUB_AUDIT_KEY": "u2Bn7LcQ-x9TfW4kVz_Rm3Hs8JdY1aEp6GqK0oNi5Sy",
}


def _import_production(**env: str) -> subprocess.CompletedProcess[str]:
    # A clean environment, so nothing from the developer's shell or the test run leaks in.
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", IMPORT],
        env={"PATH": "/usr/bin:/bin", **env},
        cwd=settings.PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_settings_import_with_a_secret_and_hosts():
    result = _import_production(**KEYS, CSEHUB_ALLOWED_HOSTS="hub.example.org")
    assert result.returncode == 0, result.stderr


def test_production_settings_refuse_to_run_without_a_secret_key():
    result = _import_production(CSEHUB_ALLOWED_HOSTS="hub.example.org")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "CSEHUB_SECRET_KEY" in result.stderr


def test_production_settings_refuse_demo_mode():
    result = _import_production(
        **KEYS, CSEHUB_ALLOWED_HOSTS="hub.example.org", CSEHUB_DEMO_MODE="1"
    )
    assert result.returncode != 0
    assert "Demo mode" in result.stderr
