"""Bulk import throughput: `csehub intel import` of N generated reports, linked as it goes.

    .venv/bin/python benchmarks/import_throughput.py --reports 10000
    .venv/bin/python benchmarks/import_throughput.py --reports 10000 --database postgresql

A fresh scratch database (SQLite under var/bench/, or a PostgreSQL database of its own on
127.0.0.1 named by --pg-name), migrated, with one fictional partnership; the file is written by
`csehub intel generate` (fictional people only). The import runs as the real command in a child
process, so its wall clock, CPU seconds and peak memory (maximum resident set) are its own. The
same file is then imported again, which must change nothing. Figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "var" / "bench" / "import_throughput"
CSEHUB = str(REPO / ".venv" / "bin" / "csehub")
PG = "postgres://postgres@127.0.0.1:5432/"


def _command(args: list[str], **options: object) -> None:
    subprocess.run(args, check=True, **options)  # type: ignore[call-overload]  # noqa: S603 (our own commands, fixed arguments)


def run(args: list[str], env: dict[str, str], log: Path) -> dict[str, float]:
    """One command in a child process: wall seconds, CPU seconds, peak memory in MiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with log.open("w") as out:
        _command([CSEHUB, *args], env=env, stdout=out, stderr=subprocess.STDOUT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # ru_maxrss of children is the largest child so far (KiB on Linux): the import is the
    # largest of the commands this script runs.
    return {"wall": round(wall, 1), "cpu": round(cpu, 1), "peak_mib": after.ru_maxrss // 1024}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-name", default="csehub_bench_import_c")
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args(argv)

    BENCH.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="csehub.config.settings.test")
    if args.database == "sqlite":
        path = BENCH / "import.sqlite3"
        for leftover in BENCH.glob("import.sqlite3*"):
            leftover.unlink()
        env["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        if args.pg_name in ("csehub", "csehub_bench_load"):
            raise SystemExit("use a database of the benchmark's own")
        server = ["-h", "127.0.0.1", "-U", "postgres"]
        _command([shutil.which("dropdb") or "dropdb", *server, "--if-exists", args.pg_name])
        _command([shutil.which("createdb") or "createdb", *server, args.pg_name])
        env["DATABASE_URL"] = PG + args.pg_name
    reports = BENCH / f"reports-{args.reports}.jsonl"
    if not reports.exists():
        _command(
            [CSEHUB, "intel", "generate", "--reports", str(args.reports), "--seed",
             str(args.seed), str(reports)],
            env=env, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    _command([CSEHUB, "migrate", "--no-input", "-v", "0"], env=env)
    setup = (
        "from csehub.accounts.models import Partnership;"
        "Partnership.objects.get_or_create(slug='import-bench', name='Import benchmark')"
    )
    _command([CSEHUB, "shell", "-c", setup], env=env)
    common = ["--partnership", "import-bench", "--batch-size", str(args.batch_size)]
    first = run(["intel", "import", str(reports), *common], env, BENCH / "import.out")
    again = run(["intel", "import", str(reports), *common], env, BENCH / "import_again.out")
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "database": args.database,
        "reports": args.reports,
        "import": first,
        "reports_per_second": round(args.reports / first["wall"], 1),
        "import_again": again,
        "load_average_after": os.getloadavg(),
        "import_output": (BENCH / "import.out").read_text().strip().splitlines()[-1],
        "import_again_output": (BENCH / "import_again.out").read_text().strip().splitlines()[-1],
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
