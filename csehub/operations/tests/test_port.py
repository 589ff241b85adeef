"""`PORT=8123 make run` serves on that port, and emails and certificates link to it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.PROJECT_DIR)


def _settings_with(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("PORT", "CSEHUB_SITE_URL")}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; "
            "print(settings.CSEHUB_PORT, settings.CSEHUB_SITE_URL)",
        ],
        env={**clean, "DJANGO_SETTINGS_MODULE": "csehub.config.settings.test", **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "8000 http://localhost:8000"),
        ({"PORT": "8123"}, "8123 http://localhost:8123"),
        (
            {"PORT": "8123", "CSEHUB_SITE_URL": "https://cse-hub.example.org"},
            "8123 https://cse-hub.example.org",
        ),
    ],
)
def test_links_in_emails_and_certificates_follow_the_port(env, expected):
    result = _settings_with(env)
    assert result.stdout.strip() == expected, result.stderr


def test_a_port_that_is_not_a_number_is_refused_with_a_reason():
    result = _settings_with({"PORT": "eighty"})
    assert result.returncode != 0
    assert "PORT must be a port number such as 8000, not 'eighty'" in result.stderr


def test_serve_listens_on_the_port_by_default(settings):
    from csehub.operations.management.commands.serve import Command

    settings.CSEHUB_PORT = 8123
    options = Command().create_parser("csehub", "serve").parse_args([])
    assert options.bind == "127.0.0.1:8123"


MAKE = shutil.which("make")


@pytest.mark.skipif(MAKE is None, reason="make is not installed")
def test_make_run_serves_on_the_port_it_is_given():
    assert MAKE is not None
    # Our own Makefile, dry-run: nothing is executed.
    result = subprocess.run(  # noqa: S603
        [MAKE, "--dry-run", "run"],
        env={**os.environ, "PORT": "8123"},
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert "csehub serve --bind 127.0.0.1:8123" in result.stdout
