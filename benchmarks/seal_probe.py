"""A gunicorn config file for benchmarks/load.py: time the audit sealer inside each worker.

It wraps, in the worker's memory only, `audit_seal_pending` and the lock it takes, so each seal
after a commit is split into the time spent waiting for the advisory lock and the time the lock
was held (the sealing queries, the commit's flush to disk, and any wait for the GIL or a core
in between). Each worker writes its figures to SEAL_PROBE_DIR/seal-<pid>.json as it exits.
Nothing in csehub is changed.

SEAL_PROBE_VARIANT=try-lock tries a proposed change instead of the code as it is, for
comparison only: a seal that finds another seal in progress does not wait for it
(`pg_try_advisory_xact_lock`) and leaves its rows to that seal or the next one. Figures made
with it are labelled as such and are not figures of the product.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

# (seconds waiting for the lock, seconds from getting it to the seal's end, rows sealed or -1
# when the seal gave way to another)
_figures: list[tuple[float, float, int]] = []
_guard = threading.Lock()


class _Busy(Exception):
    """Another seal holds the lock (try-lock variant only)."""


def post_worker_init(worker) -> None:
    from django.db import connection

    from csehub.audit import services

    lock_seal, seal_pending = services._lock_seal, services.audit_seal_pending
    local = threading.local()
    try_lock = os.environ.get("SEAL_PROBE_VARIANT") == "try-lock"

    def lock_or_give_way() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [services._PG_SEAL_LOCK])
            if not cursor.fetchone()[0]:
                raise _Busy

    def timed_lock() -> None:
        started = time.perf_counter()
        (lock_or_give_way if try_lock else lock_seal)()
        local.acquired = local.acquired or time.perf_counter()
        local.waited += local.acquired - started

    def timed_seal() -> int:
        local.waited, local.acquired = 0.0, 0.0
        try:
            sealed = seal_pending()
        except _Busy:
            sealed = -1  # gave way to the seal in progress
        held = time.perf_counter() - local.acquired if local.acquired else 0.0
        with _guard:
            _figures.append((local.waited, held, sealed))
        return max(sealed, 0)

    services._lock_seal = timed_lock
    services.audit_seal_pending = timed_seal


def worker_exit(server, worker) -> None:
    folder = os.environ.get("SEAL_PROBE_DIR")
    if folder:
        with _guard:
            text = json.dumps(_figures)
        (Path(folder) / f"seal-{os.getpid()}.json").write_text(text)
