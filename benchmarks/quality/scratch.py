"""A scratch SQLite database of the benchmark's own under var/bench/, made afresh each run."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BENCH_DIR = REPO / "var" / "bench"


def django_scratch(name: str) -> None:
    """Point Django at var/bench/<name>.sqlite3 (deleted first) and migrate it."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / f"{name}.sqlite3"
    for leftover in BENCH_DIR.glob(f"{name}.sqlite3*"):
        leftover.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "csehub.config.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:  # a scratch file: durability is not needed
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=OFF")


def partnership_scratch(sources: list[str]):  # -> Partnership
    """A fictional partnership with one agency for each source name."""
    from csehub.accounts.models import Agency, AgencyType, Partnership

    partnership = Partnership.objects.create(slug="quality-bench", name="Quality benchmark")
    for source in sources:
        Agency.objects.create(
            partnership=partnership, name=source, agency_type=AgencyType.YOUTH_SERVICE
        )
    return partnership
