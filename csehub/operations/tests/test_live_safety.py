"""A live service can never be given the demo users, a published key or a weak secret."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from csehub.accounts.models import User
from csehub.operations.models import Installation, InstallationMode


@pytest.mark.django_db
def test_the_demo_is_refused_in_a_database_made_live(settings):
    # The test database was migrated with live settings, as a live service's would be.
    assert Installation.objects.get().mode == InstallationMode.LIVE
    settings.CSEHUB_DEMO_MODE = True

    with pytest.raises(CommandError, match="This database was not made in demo mode"):
        call_command("demo")
    assert not User.objects.filter(email__endswith="@fernbridge.example").exists()


@pytest.mark.django_db
def test_the_demo_is_refused_without_the_demo_settings(demo_database, settings):
    settings.CSEHUB_DEMO_MODE = False

    with pytest.raises(CommandError, match="only with the demo settings"):
        call_command("demo")
    assert not User.objects.exists()


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Python in a fresh process with only the environment given (and what it needs to run)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CSEHUB_", "DJANGO_"))}
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


STRONG = "Xq3" + "".join(chr(ord("a") + i % 26) + str(i % 10) for i in range(30))
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "csehub.config.settings.production",
    "CSEHUB_ALLOWED_HOSTS": "cse-hub.example.org",
}
IMPORT_SETTINGS = "import django; django.setup(); print('started')"


@pytest.mark.parametrize(
    ("secret", "audit_key", "message"),
    [
        ("", STRONG, "Set CSEHUB_SECRET_KEY"),
        ("short-key", STRONG, "CSEHUB_SECRET_KEY is too weak"),
        ("a" * 80, STRONG, "CSEHUB_SECRET_KEY is too weak"),
        ("demo-only-not-secret-" + STRONG, STRONG, "CSEHUB_SECRET_KEY is too weak"),
        (STRONG + "-secret", "", "Set CSEHUB_AUDIT_KEY"),
        (STRONG + "-secret", "abc123", "CSEHUB_AUDIT_KEY is too weak"),
        (STRONG, STRONG, "CSEHUB_AUDIT_KEY must differ from CSEHUB_SECRET_KEY"),
    ],
)
def test_production_refuses_to_start_with_a_missing_or_weak_key(secret, audit_key, message):
    result = _run(
        IMPORT_SETTINGS, **PRODUCTION, CSEHUB_SECRET_KEY=secret, CSEHUB_AUDIT_KEY=audit_key
    )
    assert result.returncode != 0
    assert message in result.stderr
    assert "started" not in result.stdout


def test_production_starts_with_strong_keys():
    result = _run(
        IMPORT_SETTINGS,
        **PRODUCTION,
        CSEHUB_SECRET_KEY=STRONG + "-secret",
        CSEHUB_AUDIT_KEY=STRONG + "-audit",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


def test_csehub_says_which_settings_it_uses(tmp_path):
    run = "from csehub.cli import main; main(['check'])"
    demo = _run(run, CSEHUB_VAR_DIR=str(tmp_path))
    assert "Using the demo settings (csehub.config.settings.demo)" in demo.stderr
    assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0  # a key of its own, private

    chosen = _run(run, DJANGO_SETTINGS_MODULE="csehub.config.settings.test")
    assert "Using the settings csehub.config.settings.test" in chosen.stderr
