"""Running CSE Hub as a partner would, one command at a time, each timed on its own.

For export_quality.py and febrl.py: a scratch installation (a fresh SQLite file under the work
directory, or a scratch PostgreSQL database on 127.0.0.1 whose name starts csehub_bench_),
`csehub migrate`, a fictional partnership with an agency per source, `csehub intel import`,
`csehub link run --engine duckdb`, `csehub link export` (with `--with-possible` when the command
has it); and the plain Splink build as a process of its own. Each step's wall time, CPU time
and peak memory are its own process's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

QUALITY_DIR = Path(__file__).resolve().parent
BENCH_DIR = QUALITY_DIR.parent
PROJECT_DIR = BENCH_DIR.parent
VENV_BIN = PROJECT_DIR / ".venv" / "bin"
PG_NAME = "csehub_bench_export_quality"
SLUG = "export-quality"
AGENCY_TYPES = {"Academy": "school", "School": "school", "Homes": "housing", "Police": "police"}


@dataclass
class Step:
    name: str
    seconds: float
    cpu_seconds: float
    peak_mib: float
    returncode: int
    output: str  # the last lines of standard output


# A small process that starts the command and reports the command's own resource use. A child
# forked straight from this (large) process would count this process's memory as its peak.
LAUNCHER = """
import json, os, sys
pid = os.fork()
if pid == 0:
    os.execve(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    json.dump({"maxrss_kib": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime}, out)
sys.exit(os.waitstatus_to_exitcode(status) % 256)
"""


def step_run(
    name: str, command: list[str], env: dict[str, str], *, work: Path, show_progress: bool = False
) -> Step:
    """Run one command as its own process: wall and CPU time, and its own peak memory."""
    out_path, err_path = work / f"{name}.out", work / f"{name}.err"
    usage_path = work / f"{name}.usage.json"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        returncode = subprocess.run(  # noqa: S603 - our own commands, fixed arguments
            [sys.executable, "-c", LAUNCHER, str(usage_path), *command],
            env=env,
            cwd=PROJECT_DIR,
            stdout=out,
            stderr=None if show_progress else err,
            check=False,
        ).returncode
        seconds = time.perf_counter() - started
    usage = json.loads(usage_path.read_text()) if usage_path.exists() else {}
    step = Step(
        name=name,
        seconds=seconds,
        cpu_seconds=usage.get("cpu", 0.0),
        peak_mib=usage.get("maxrss_kib", 0) / 1024,
        returncode=returncode,
        output="\n".join(out_path.read_text(errors="replace").strip().splitlines()[-6:]),
    )
    if step.returncode != 0:
        tail = err_path.read_text(errors="replace").strip().splitlines()[-15:]
        print(f"{name} failed ({step.returncode}); see {err_path}", file=sys.stderr)
        print("\n".join(tail), file=sys.stderr)
    return step


def product_env(database: str, *, work: Path, pg_name: str) -> dict[str, str]:
    """The `csehub` commands' environment: demo settings on the scratch database only."""
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="csehub.config.settings.demo",
        CSEHUB_VAR_DIR=str(work),
        # No mail leaves a benchmark: alerts are made and dropped.
        CSEHUB_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    if database == "postgresql":
        sys.path.insert(0, str(BENCH_DIR))
        from _service import pg_recreate, pg_url

        pg_recreate(pg_name)
        env["DATABASE_URL"] = pg_url(pg_name)
    return env


def partnership_code(sources: list[str]) -> str:
    """Python for `csehub shell -c`: the fictional partnership and an agency per source."""
    agencies = {s: next((t for w, t in AGENCY_TYPES.items() if w in s), "other") for s in sources}
    return (
        "from csehub.accounts.models import Agency, Partnership\n"
        f"p, _ = Partnership.objects.get_or_create(slug={SLUG!r}, "
        "defaults={'name': 'Export benchmark partnership (fictional)'})\n"
        f"for name, kind in {agencies!r}.items():\n"
        "    Agency.objects.get_or_create(partnership=p, name=name, "
        "defaults={'agency_type': kind})\n"
    )


def export_has_possible(env: dict[str, str]) -> bool:
    found = subprocess.run(  # noqa: S603 - our own command
        [str(VENV_BIN / "csehub"), "link", "export", "--help"],
        env=env,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    return "--with-possible" in found.stdout


@dataclass
class ProductRun:
    steps: list[Step] = field(default_factory=list)
    export: Path | None = None
    possible: Path | None = None
    possible_note: str = ""


def product_run(
    *,
    jsonl: Path,
    sources: list[str],
    database: str,
    work: Path,
    pg_name: str = PG_NAME,
    show_progress: bool = False,
) -> ProductRun:
    """Migrate, make the partnership, import, link and export, each as its own command."""
    env = product_env(database, work=work, pg_name=pg_name)
    csehub = str(VENV_BIN / "csehub")
    run = ProductRun()
    plan: list[tuple[str, list[str]]] = [
        ("migrate", [csehub, "migrate", "--no-input"]),
        ("partnership", [csehub, "shell", "-c", partnership_code(sources)]),
        ("import", [csehub, "intel", "import", str(jsonl), "--partnership", SLUG]),
        ("link run", [csehub, "link", "run", "--engine", "duckdb", "--partnership", SLUG]),
    ]
    for name, command in plan:
        step = step_run(
            name.replace(" ", "_"), command, env, work=work, show_progress=show_progress
        )
        step.name = name
        run.steps.append(step)
        if step.returncode != 0:
            return run
    export = work / "links.csv"
    command = [csehub, "link", "export", str(export), "--partnership", SLUG]
    if export_has_possible(env):
        run.possible = work / "possible.csv"
        command += ["--with-possible", str(run.possible)]
    else:
        run.possible_note = "`csehub link export` has no --with-possible yet: possibles not counted"
    step = step_run("link_export", command, env, work=work)
    step.name = "link export"
    run.steps.append(step)
    if step.returncode == 0:
        run.export = export
    return run


def splink_run(jsonl: Path, *, seed: int, work: Path) -> tuple[Step, Path, dict[str, Any]]:
    """The plain Splink build as its own process, so that its time and memory are its own."""
    output = work / "splink_plain.csv"
    command = [
        str(VENV_BIN / "python"),
        str(QUALITY_DIR / "splink_plain.py"),
        str(jsonl),
        str(output),
        f"--seed={seed}",
    ]
    step = step_run("splink_plain", command, dict(os.environ), work=work)
    step.name = "plain Splink (all types)"
    summary: dict[str, Any] = {}
    if step.returncode == 0 and step.output:
        summary = json.loads(step.output.splitlines()[-1])
    return step, output, summary


def timing_lines(steps: list[Step], reports: int, generated_seconds: float | None) -> list[str]:
    lines = []
    if generated_seconds is not None:
        lines.append(f"- generate and write {reports} reports: {generated_seconds:.1f} s")
    for step in steps:
        rated = step.name not in ("migrate", "partnership") and step.seconds
        rate = f", {reports / step.seconds:.0f} reports/s" if rated else ""
        lines.append(
            f"- {step.name}: {step.seconds:.1f} s{rate} (CPU {step.cpu_seconds:.1f} s, peak "
            f"{step.peak_mib:.0f} MiB){'' if step.returncode == 0 else ' FAILED'}"
        )
    by_name = {s.name: s for s in steps}
    if "import" in by_name and "link run" in by_name:
        both = by_name["import"].seconds + by_name["link run"].seconds
        lines.append(f"- import + link run: {both:.1f} s, {reports / both:.0f} reports/s")
        if "link export" in by_name:
            all_three = both + by_name["link export"].seconds
            lines.append(
                f"- import + link run + export: {all_three:.1f} s, "
                f"{reports / all_three:.0f} reports/s"
            )
    return lines
