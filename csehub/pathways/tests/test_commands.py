"""`csehub pathway check|load` and `csehub contacts now`: exit codes and what they print."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from csehub.pathways.files import DEFAULT_DATA_DIR
from csehub.pathways.models import PathwayVersion


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_check_a_valid_file_reports_its_size():
    output = _run("pathway", "check", str(DEFAULT_DATA_DIR / "southwark" / "pathway.yaml"))
    assert "valid: 3 questions, 6 outcomes" in output


def test_check_an_invalid_file_fails_naming_the_node(data_copy):
    path = data_copy / "fernbridge" / "pathway.yaml"
    path.write_text(path.read_text().replace("next: agency_leads", "next: nowhere"))
    with pytest.raises(CommandError) as caught:
        _run("pathway", "check", str(path))
    assert "node 'warning_signs_identified'" in str(caught.value)
    assert "'nowhere'" in str(caught.value)


def test_check_a_missing_file_fails_clearly(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        _run("pathway", "check", str(tmp_path / "absent.yaml"))


@pytest.mark.django_db
def test_load_is_idempotent():
    first = _run("pathway", "load")
    assert "fernbridge: pathway version 2 (new version), contacts version 1 (new version)" in first
    assert "southwark: pathway version 1 (new version), no contact directory" in first
    second = _run("pathway", "load")
    assert "(new version)" not in second
    assert PathwayVersion.objects.count() == 4


@pytest.mark.django_db
def test_contacts_now_after_closing_on_a_friday(shipped):
    output = _run(
        "contacts", "now", "--partnership", "north-lincolnshire", "--at", "2026-11-27T16:45"
    )
    assert "Call 01724 296555" in output
    assert "closes at 16:30 on Fridays" in output
    assert "call 999" in output


@pytest.mark.django_db
def test_contacts_now_for_a_named_service(shipped):
    output = _run(
        "contacts",
        "now",
        "--partnership",
        "fernbridge",
        "--service",
        "police_referral_desk",
        "--at",
        "2026-12-25T03:00",
    )
    assert "Call 01632 960200" in output


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--partnership", "atlantis"], "No partnership with the slug 'atlantis'"),
        (["--partnership", "leeds", "--service", "nobody"], "leeds has no service 'nobody'"),
        (["--partnership", "leeds", "--at", "Friday teatime"], "write it like 2026-11-27T16:45"),
        (["--partnership", "southwark"], "southwark has no contact directory loaded"),
    ],
)
def test_contacts_now_errors_are_clear(shipped, args, message):
    with pytest.raises(CommandError, match=message):
        _run("contacts", "now", *args)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "csehub.config.settings.test"}
    return subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        [sys.executable, "-m", "csehub.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_the_real_cli_exits_0_for_a_valid_file_and_non_zero_naming_the_node(data_copy):
    valid = _cli("pathway", "check", str(data_copy / "leeds" / "pathway.yaml"))
    assert valid.returncode == 0, valid.stderr
    assert "valid: 2 questions, 5 outcomes" in valid.stdout

    path = data_copy / "leeds" / "pathway.yaml"
    path.write_text(path.read_text().replace("outcome: consider_mace", "outcome: tea_and_biscuits"))
    invalid = _cli("pathway", "check", str(path))
    assert invalid.returncode != 0
    assert "node 'consider_mace': unknown outcome kind 'tea_and_biscuits'" in invalid.stderr
