"""A scratch database for a benchmark: its own SQLite file under var/bench/, never the demo's.

The first run builds the data and keeps the file; later runs reuse it (`--rebuild` starts again).
"""

from __future__ import annotations

import os
import resource
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterable
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def scratch_django(name: str, *, rebuild: bool) -> Path:
    """Point Django at var/bench/<name>/csehub.sqlite3, set it up, and migrate it."""
    var_dir = PROJECT_DIR / "var" / "bench" / name
    database = var_dir / "csehub.sqlite3"
    if rebuild:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.environ.pop("DATABASE_URL", None)  # SQLite, the embedded default, whatever the shell says
    os.environ["CSEHUB_VAR_DIR"] = str(var_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "csehub.config.settings.demo"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return database


def bulk_insert(database: Path, table: str, columns: list[str], rows: Iterable[tuple]) -> None:
    """Insert many rows straight into SQLite, the table's indexes dropped and built after."""
    db = sqlite3.connect(database)
    indexes = db.execute(
        "SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name=? AND sql IS NOT NULL",
        (table,),
    ).fetchall()
    names = db.execute(
        "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name=? AND sql IS NOT NULL",
        (table,),
    ).fetchall()
    db.execute("PRAGMA synchronous=OFF")
    for (index_name,) in names:
        db.execute(f'DROP INDEX "{index_name}"')
    marks = ", ".join("?" for _ in columns)
    insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 (our names)
    db.executemany(insert, rows)
    db.commit()
    for (sql,) in indexes:
        db.execute(sql)
    db.execute("ANALYZE")
    db.commit()
    db.close()


class Timings(list):
    """Wall-clock milliseconds of each call, with the process's CPU milliseconds beside them.

    On a machine shared with other work, the CPU time tells how much of the wall clock was
    this process's own work rather than waiting for a core.
    """

    def __init__(self) -> None:
        super().__init__()
        self.cpu: list[float] = []


def timed(call: Callable[[], object], times: int) -> tuple[Timings, object]:
    """Milliseconds of each of `times` calls, and the last call's answer."""
    spent, answer = Timings(), None
    for _ in range(times):
        start, start_cpu = time.perf_counter(), time.process_time()
        answer = call()
        spent.append((time.perf_counter() - start) * 1000)
        spent.cpu.append((time.process_time() - start_cpu) * 1000)
    return spent, answer


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(values: list[float]) -> str:
    line = (
        f"median {statistics.median(values):8.2f} ms  p95 {percentile(values, 0.95):8.2f} ms"
        f"  max {max(values):8.2f} ms"
    )
    cpu = getattr(values, "cpu", None)
    if cpu:
        line += f"  (CPU median {statistics.median(cpu):.2f} ms, p95 {percentile(cpu, 0.95):.2f})"
    return line


def peak_memory_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
