"""Audited load: a constant arrival rate of mixed reads and writes against gunicorn on PostgreSQL.

    .venv/bin/python benchmarks/load.py                    # 50 requests/s for 10 minutes
    .venv/bin/python benchmarks/load.py --rate 10 --minutes 1      # a short smoke run

The first run builds the PostgreSQL database csehub_bench_load on 127.0.0.1 (kept for later
runs; `--rebuild` starts again): `csehub migrate`, a fictional partnership and its people
(benchmarks/_service.py), then copied in with COPY: 100,000 generated children, 100,000
submitted concerns about them, and the 1,000,000 known mentions of benchmarks/on_arrival.py in
the candidate index (same generator, same pools, mentions sharing an identifier put in one
entity each).

Then gunicorn serves the project's WSGI app with the production settings over plain HTTP
(benchmarks/bench_settings.py), 5 sync workers unless told otherwise, on a free port of
127.0.0.1, and requests are sent on an open-loop schedule: request i is due at start + i / rate
whatever happened to the ones before, and its latency is measured from when it was due (so a
slow server cannot slow the arrivals down and hide its own queue). The mix, through the API with
bearer tokens of a front door social worker and a school's safeguarding lead, is 70% reads
(every one audited: child and concern lists and details, a name search, the team's referrals)
and 30% writes (concerns submitted at once with people, a phone, a vehicle, an account and a
place drawn from the known mentions' pools, so linking on arrival runs against the million;
referrals made; referrals received, screened and decided). A first warm-up period is sent at the
same rate and reported apart. While it runs, PostgreSQL's sessions are sampled (how many are
active, and how many wait on the audit sealer's advisory lock or on another lock) and the
machine's load average noted. Afterwards: the audit rows written, and `csehub audit verify` on
the whole trail.

Only 127.0.0.1 is ever contacted; every child and person is generated and fictional.
"""

# ruff: noqa: S311  (generated data and a random mix, not secrets)

from __future__ import annotations

import argparse
import collections
import datetime as dt
import http.client
import json
import os
import random
import shutil
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _scratch import percentile
from _service import (
    BENCH_DIR,
    PROJECT_DIR,
    Client,
    Server,
    csehub,
    django_here,
    fictional_world,
    free_port,
    gunicorn_command,
    keys_for,
    pg_exists,
    pg_recreate,
    pg_url,
    service_env,
)
from on_arrival import (
    GIVEN,
    MENTION_COLUMNS,
    PLATFORMS,
    SURNAMES,
    Pools,
    known_mention_rows,
    shared_identifier_groups,
)

PG_DATABASE = "csehub_bench_load"
VAR_DIR = PROJECT_DIR / "var" / "bench" / "load"
# The same format as `csehub serve`, whose last field is the time the server took.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(L)ss'

# (operation, weight in percent, a write?)
MIX = [
    ("child list", 12, False),
    ("child search", 4, False),
    ("child detail", 16, False),
    ("concern list", 10, False),
    ("concerns of a child", 8, False),
    ("concern detail", 15, False),
    ("referral list", 5, False),
    ("concern submit", 14, True),
    ("referral make", 5, True),
    ("referral move", 11, True),
]


# Building the data ---------------------------------------------------------------------------

CHILD_COLUMNS = [
    "partnership_id",
    "given_name",
    "family_name",
    "known_as",
    "date_of_birth",
    "age_estimate_years",
    "age_not_known",
    "gender",
    "ethnicity",
    "disability",
    "care_status",
    "school_or_setting",
    "home_postcode",
    "allocated_social_worker_id",
    "created_by_id",
    "created_by_agency_id",
    "created_at",
]
CONCERN_COLUMNS = [
    "child_id",
    "raised_by_id",
    "agency_id",
    "status",
    "how_known",
    "what_was_seen",
    "observed_on",
    "observed_time",
    "where",
    "created_at",
    "updated_at",
    "submitted_at",
]


def copy_rows(table: str, columns: list[str], rows) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        names = ", ".join(f'"{column}"' for column in columns)
        sql = f"COPY {table} ({names}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)


def reset_sequence(table: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 (our names)
            f"(SELECT coalesce(max(id), 1) FROM {table}))"
        )


def build(world: dict, options: argparse.Namespace) -> None:
    """Children, concerns and the known mentions, copied straight into the tables."""
    from django.db import connection, transaction

    started = time.perf_counter()
    rng = random.Random(options.seed)
    pools = Pools(seed=11)
    users, agencies = world["users"], world["agencies"]
    # Three in five children recorded by the front door, two in five by the school.
    makers = [(users["frontdoor"], agencies["csc"])] * 3 + [(users["dsl"], agencies["school"])] * 2
    today = dt.date.today()
    now = dt.datetime.now(dt.UTC)
    children = []
    for _ in range(options.children):
        maker, agency = rng.choice(makers)
        born = today - dt.timedelta(days=rng.randint(10 * 365, 18 * 365))
        created = now - dt.timedelta(days=rng.randint(1, 3 * 365), seconds=rng.randint(0, 86399))
        children.append(
            (
                world["partnership"],
                rng.choice(GIVEN).title(),
                rng.choice(SURNAMES).title(),
                "",  # known as
                born,
                None,  # age estimate
                False,  # age not known
                "not_recorded",  # gender
                "not_recorded",  # ethnicity
                "not_recorded",  # disability
                "not_recorded",  # care status
                "Brackley Bench Academy",
                pools.postcode(),
                None,  # allocated social worker
                maker,
                agency,
                created,
            )
        )
    with transaction.atomic():
        copy_rows("children_child", CHILD_COLUMNS, children)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, created_by_id, created_at FROM children_child")
        made = cursor.fetchall()
    print(f"  {len(made):,} children in {time.perf_counter() - started:.0f} s", flush=True)

    agency_of = {users["frontdoor"]: agencies["csc"], users["dsl"]: agencies["school"]}
    concerns = []
    for _ in range(options.concerns):
        child, maker, child_created = rng.choice(made)
        raised = child_created + dt.timedelta(days=rng.randint(0, 30))
        concerns.append(
            (
                child,
                maker,
                agency_of[maker],
                "submitted",
                rng.choice(["saw", "child_told"]),
                "Generated for the load benchmark.",
                raised.date(),
                None,  # observed time
                "Bench Street",
                raised,
                raised,
                raised,
            )
        )
    with transaction.atomic():
        copy_rows("concerns_concern", CONCERN_COLUMNS, concerns)
    print(f"  {len(concerns):,} concerns in {time.perf_counter() - started:.0f} s", flush=True)

    mentions, keys = known_mention_rows(world["partnership"], options.mentions)
    found = (
        (m[2], m[4], m[15], m[16], m[17], m[11], m[13], m[18], m[7])
        for m in mentions
        if m[4] in ("phone", "online", "vehicle", "location")
    )
    shared = shared_identifier_groups(found)
    with transaction.atomic():
        copy_rows("linking_indexedmention", MENTION_COLUMNS, mentions)
        copy_rows("linking_namekey", ["mention_id", "key"], keys)
        stamp = "2026-01-01 00:00:00+00"
        copy_rows(
            "linking_entity",
            ["id", "partnership_id", "entity_type", "label", "created_at"],
            (
                (n, world["partnership"], key[0], key[1], stamp)
                for n, (key, _) in enumerate(shared, 1)
            ),
        )
        copy_rows(
            "linking_mentionentity",
            ["mention_id", "source", "entity_id", "assigned_by", "assigned_at"],
            (
                (mention_id, "intelligence", n, "engine", stamp)
                for n, (_, ids) in enumerate(shared, 1)
                for mention_id in ids
            ),
        )
        for table in ("linking_indexedmention", "linking_entity"):
            reset_sequence(table)
    print(
        f"  {len(mentions):,} known mentions ({len(keys):,} name keys, {len(shared):,} "
        f"entities) in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    # As autovacuum would have done to tables of this age: statistics for the planner, and the
    # visibility map that lets a count read an index alone.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def prepare(options: argparse.Namespace) -> tuple[dict, dict]:
    """The kept database (built when missing or asked to), and this run's environment and world."""
    marker = VAR_DIR / "built.json"
    sizes = {"children": options.children, "concerns": options.concerns}
    sizes["mentions"] = options.mentions
    rebuild = options.rebuild or not marker.exists() or not pg_exists(PG_DATABASE)
    if not rebuild and json.loads(marker.read_text()) != sizes:
        print(f"the kept database was built with {marker.read_text()}: use --rebuild")
        raise SystemExit(2)
    if rebuild:
        marker.unlink(missing_ok=True)
        pg_recreate(PG_DATABASE)
    env = service_env(
        var_dir=VAR_DIR,
        keys=keys_for(VAR_DIR, fresh=rebuild),
        database_url=pg_url(PG_DATABASE),
        CSEHUB_AUDIT_CHECKPOINT_DIR=str(VAR_DIR / "checkpoints"),
    )
    if rebuild:
        print(f"building {PG_DATABASE}: {sizes}", flush=True)
        migrated = csehub(env, "migrate", "--no-input")
        if migrated.returncode != 0:
            raise SystemExit(f"migrate failed:\n{migrated.stderr[-2000:]}")
    django_here(env)
    world = fictional_world()
    if rebuild:
        build(world, options)
        marker.write_text(json.dumps(sizes))
    return env, world


# The requests ------------------------------------------------------------------------------


class Workload:
    """What each operation sends, and the referrals moving through the front door's work list."""

    def __init__(self, world: dict, seed: int) -> None:
        from django.db import connection

        from csehub.referrals.models import Referral

        self.world = world
        self.rng = random.Random(seed)
        self.pools = Pools(seed=7)  # the known mentions' pools: new concerns meet known names
        self.lock = threading.Lock()
        users = world["users"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT min(id), max(id) FROM children_child")
            self.child_range = cursor.fetchone()
            cursor.execute("SELECT min(id), max(id) FROM concerns_concern")
            self.concern_range = cursor.fetchone()
            # School concerns not yet referred: the safeguarding lead refers them.
            cursor.execute(
                "SELECT id FROM concerns_concern c WHERE raised_by_id = %s AND status = "
                "'submitted' AND NOT EXISTS (SELECT 1 FROM referrals_referral r "
                "WHERE r.concern_id = c.id)",
                [users["dsl"]],
            )
            self.to_refer = [row[0] for row in cursor.fetchall()]
        self.rng.shuffle(self.to_refer)
        # Referrals earlier runs left open carry on through the work list.
        self.stages: dict[str, collections.deque] = {
            state: collections.deque(
                Referral.objects.filter(to_agency_id=world["agencies"]["csc"], state=state)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            for state in ("submitted", "received", "screened")
        }
        connection.close()

    def pick(self) -> str:
        return self.rng.choices([m[0] for m in MIX], weights=[m[1] for m in MIX])[0]

    def request(self, operation: str) -> tuple[str, str, str, dict | None, object]:
        """(who, method, path, body, what to do with the answer)"""
        rng = self.rng
        child = rng.randint(*self.child_range)
        concern = rng.randint(*self.concern_range)
        if operation == "child list":
            offset = rng.choice([0, 0, 0, 0, 20, 40, 60, 80, 100, 200])
            return "frontdoor", "GET", f"/api/v1/children?limit=20&offset={offset}", None, None
        if operation == "child search":
            surname = rng.choice(SURNAMES[:60]).title()
            return "frontdoor", "GET", f"/api/v1/children?q={surname}&limit=20", None, None
        if operation == "child detail":
            return "frontdoor", "GET", f"/api/v1/children/{child}", None, None
        if operation == "concern list":
            return "frontdoor", "GET", "/api/v1/concerns?limit=20", None, None
        if operation == "concerns of a child":
            return "frontdoor", "GET", f"/api/v1/concerns?child_id={child}&limit=20", None, None
        if operation == "concern detail":
            return "frontdoor", "GET", f"/api/v1/concerns/{concern}", None, None
        if operation == "referral list":
            return "frontdoor", "GET", "/api/v1/referrals?box=team&limit=20", None, None
        if operation == "concern submit":
            return "frontdoor", "POST", "/api/v1/concerns", self.concern_body(child), None
        if operation == "referral move":
            with self.lock:
                stage = next(
                    (s for s in ("screened", "received", "submitted") if self.stages[s]), None
                )
                referral = self.stages[stage].popleft() if stage else None
            if referral is not None:
                return self.move(stage, referral)
            operation = "referral make"  # nothing waiting: a referral arrives instead
        with self.lock:
            concern = self.to_refer.pop() if self.to_refer else None
        if concern is None:
            return "frontdoor", "GET", "/api/v1/referrals?box=team&limit=20", None, None
        body = {
            "destinations": [
                {
                    "destination": "childrens_social_care",
                    "to_agency_id": self.world["agencies"]["csc"],
                }
            ],
            "request": "Please consider a strategy discussion.",
        }
        return "dsl", "POST", f"/api/v1/concerns/{concern}/referrals", body, self.made

    def move(self, stage: str, referral: int) -> tuple[str, str, str, dict | None, object]:
        path = f"/api/v1/referrals/{referral}"
        if stage == "submitted":
            return "frontdoor", "POST", f"{path}/receive", None, self.moved("received", referral)
        if stage == "received":
            body = {"note": "Screened by the front door."}
            return "frontdoor", "POST", f"{path}/screen", body, self.moved("screened", referral)
        body = {"outcome": self.rng.choice(["assessment", "early_help"]), "reason": "Decided."}
        return "frontdoor", "POST", f"{path}/outcome", body, None

    def made(self, answer: object) -> None:
        with self.lock:
            for referral in answer if isinstance(answer, list) else []:
                self.stages["submitted"].append(referral["id"])

    def moved(self, state: str, referral: int):
        def done(answer: object) -> None:
            with self.lock:
                self.stages[state].append(referral)

        return done

    def concern_body(self, child: int) -> dict:
        rng, pools = self.rng, self.pools
        return {
            "child_id": child,
            "how_known": rng.choice(["saw", "child_told", "other_told"]),
            "what_was_seen": "Seen getting into a car with an older man (generated).",
            "observed_on": (dt.date.today() - dt.timedelta(days=rng.randint(0, 20))).isoformat(),
            "where": "Bench Street car park",
            "persons": [
                {"name": pools.name().title(), "age_estimate": rng.randint(18, 40)},
                {"name": pools.name().split()[0].title(), "nickname": "dee"},
            ],
            "vehicles": [{"plate": rng.choice(pools.plates)}],
            "phones": [{"number": "0" + pools.phone()[3:]}],
            "online": [{"platform": rng.choice(PLATFORMS), "username": "@" + pools.user()}],
            "locations": [{"postcode": pools.postcode()}],
            "submit": True,
        }


class Recorder:
    """Each request's due time, latency, answer and phase."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.rows: list[tuple[str, str, float, float, int, str]] = []

    def add(
        self, phase: str, operation: str, latency: float, service: float, status: int, error: str
    ) -> None:
        with self.lock:
            self.rows.append((phase, operation, latency, service, status, error))


class Sampler(threading.Thread):
    """Every 0.2 s: the load average, and what PostgreSQL's sessions are doing.

    Besides counts, it notes what the holder of the audit sealer's advisory lock is doing: in
    PostgreSQL ("active": running a statement or flushing the commit to disk) or waiting for
    the server process to send its next statement ("idle in transaction": Python, the GIL, or a
    core to run on).
    """

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.samples: list[dict] = []
        # CPU seconds of each backend of this database: first and latest reading, and the
        # readings when the measured window began (backends come and go with CONN_MAX_AGE).
        self.guard = threading.Lock()
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.baseline: dict[int, float] = {}

    def mark(self) -> None:
        with self.guard:
            self.baseline = dict(self.last)

    def backend_cpu(self) -> float:
        """CPU seconds this database's backends used since mark() (to within a second)."""
        with self.guard:
            return sum(
                cpu - self.baseline.get(pid, self.first[pid]) for pid, cpu in self.last.items()
            )

    def run(self) -> None:
        import psycopg

        sessions = (
            "SELECT state, coalesce(wait_event_type, ''), coalesce(wait_event, ''),"
            " EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory'"
            "   AND l.granted), pid"
            " FROM pg_stat_activity a WHERE datname = %s AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend'"
        )
        with psycopg.connect(pg_url(PG_DATABASE), autocommit=True) as db:
            count = 0
            while not self.stop.wait(0.2):
                rows = db.execute(sessions, [PG_DATABASE]).fetchall()
                count += 1
                if count % 5 == 0:
                    with self.guard:
                        for row in rows:
                            group, cpu = _process_cpu(row[4])
                            if group != -1:
                                self.first.setdefault(row[4], cpu)
                                self.last[row[4]] = cpu
                load = float(Path("/proc/loadavg").read_text().split()[0])
                holder = next((r for r in rows if r[3]), None)
                self.samples.append(
                    {
                        "load": load,
                        "active": sum(1 for r in rows if r[0] == "active"),
                        "advisory": sum(1 for r in rows if r[1:3] == ("Lock", "advisory")),
                        "other_lock": sum(1 for r in rows if r[1] == "Lock" and r[2] != "advisory"),
                        "idle_in_tx": sum(1 for r in rows if (r[0] or "").startswith("idle in")),
                        "holder": "" if holder is None else f"{holder[0]} {holder[2]}".strip(),
                        "waits": [f"{r[1]}:{r[2]}" for r in rows if r[0] == "active" and r[1]],
                    }
                )


def _process_cpu(pid: int) -> tuple[int, float]:
    """(process group, CPU seconds used so far) of one process, or (-1, 0) if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1, 0.0
    # The fields after the name: state, ppid, pgrp, ..., utime (12th), stime (13th).
    return int(fields[2]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_now(pgid: int) -> dict:
    """CPU seconds so far: the server's process group and the whole machine (busy and total,
    from /proc/stat), with the time."""
    server = sum(cpu for pgrp, cpu in map(_process_cpu, _pids()) if pgrp == pgid)
    ticks = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle and iowait
    return {
        "at": time.monotonic(),
        "server": server,
        "machine_busy": (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK"),
        "machine_total": sum(ticks) / os.sysconf("SC_CLK_TCK"),
    }


def _pids() -> list[int]:
    return [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit()]


def cpu_used(start: dict, end: dict, backends: float) -> dict:
    """Cores used between two cpu_now() readings: server, PostgreSQL backends, machine."""
    seconds = end["at"] - start["at"]
    return {
        "server": (end["server"] - start["server"]) / seconds,
        "postgres": backends / seconds,
        "machine": (end["machine_busy"] - start["machine_busy"])
        / (end["machine_total"] - start["machine_total"])
        * os.cpu_count(),
    }


def run_load(env: dict, world: dict, options: argparse.Namespace) -> dict:
    from django.db import connection

    from csehub.audit.models import AuditEvent

    workload = Workload(world, options.seed)
    audit_before = AuditEvent.objects.count()
    connection.close()
    port = free_port()
    command = gunicorn_command(
        port,
        workers=options.workers,
        threads=options.threads,
        extra=(
            f"--config={BENCH_DIR / 'seal_probe.py'}",
            "--no-control-socket",
            f"--access-logformat={ACCESS_LOG_FORMAT}",
            f"--backlog={options.backlog}",
        ),
    )
    log = VAR_DIR / "server.log"
    log.unlink(missing_ok=True)
    probe = VAR_DIR / "seal-probe"
    shutil.rmtree(probe, ignore_errors=True)
    probe.mkdir(parents=True)
    variant = {"SEAL_PROBE_DIR": str(probe), "SEAL_PROBE_VARIANT": options.seal_variant}
    server = Server(command, {**env, **variant}, log, port)
    server.start()
    recorder = Recorder()
    sampler = Sampler()
    tokens = world["tokens"]
    local = threading.local()

    def send(index: int, phase: str, due: float, planned: tuple) -> None:
        operation, (who, method, path, body, then) = planned
        clients = getattr(local, "clients", None)
        if clients is None:
            clients = local.clients = {
                key: Client(port, tokens[key], timeout=options.request_timeout)
                for key in ("frontdoor", "dsl")
            }
        began = time.monotonic()
        if began - due > options.request_timeout:
            # Every client thread was busy for longer than a caller waits: given up unsent,
            # so that an overloaded run still ends when its schedule does.
            late = (began - due) * 1000
            recorder.add(phase, operation, late, 0.0, 0, "not sent: the client gave up waiting")
            return
        status, error = 0, ""
        try:
            status, answer = clients[who].call(method, path, body)
            if 200 <= status < 300:
                if then is not None:
                    then(answer)
            else:
                error = f"{status} {method} {path}: {str(answer)[:160]}"
        except (OSError, http.client.HTTPException) as failure:
            clients[who].close()
            error = f"{type(failure).__name__} {method} {path}"
        ended = time.monotonic()
        recorder.add(phase, operation, (ended - due) * 1000, (ended - began) * 1000, status, error)

    try:
        ready = server.wait_ready(tokens["frontdoor"], timeout=120)
        print(f"gunicorn ready in {ready:.1f} s: {' '.join(command[1:-1])}", flush=True)
        warmup = int(options.warmup * options.rate)
        total = warmup + int(options.minutes * 60 * options.rate)
        cpu_at_start = None
        window = [0.0, 0.0]
        sample_from = 0
        sampler.start()
        started = time.monotonic() + 0.5
        with ThreadPoolExecutor(max_workers=options.concurrency) as pool:
            for index in range(total):
                due = started + index / options.rate
                phase = "warm-up" if index < warmup else "measured"
                if index == warmup:
                    cpu_at_start = cpu_now(server.process.pid)
                    sampler.mark()
                    window = [time.time(), 0.0]
                    sample_from = len(sampler.samples)
                operation = workload.pick()
                planned = (operation, workload.request(operation))
                pause = due - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                pool.submit(send, index, phase, due, planned)
                if index % int(options.rate * 60) == 0 and index:
                    done = len(recorder.rows)
                    errors = sum(1 for r in recorder.rows if r[5])
                    load = sampler.samples[-1]["load"] if sampler.samples else 0.0
                    print(
                        f"  {index / options.rate / 60:4.1f} min: {done:,} answered, "
                        f"{errors} errors, load average {load:.1f}",
                        flush=True,
                    )
        cpu_end = cpu_now(server.process.pid)
        backend_cpu = sampler.backend_cpu()
        window[1] = time.time()
        sampler.stop.set()
        sampler.join()
    finally:
        server.stop()
    audit_after = AuditEvent.objects.count()
    unsealed = AuditEvent.objects.filter(sequence__isnull=True).count()
    connection.close()
    checkpoint = VAR_DIR / "checkpoints" / "latest.json"
    began = time.monotonic()
    args = ["audit", "verify"] + (["--against", str(checkpoint)] if checkpoint.exists() else [])
    verified = csehub(env, *args, timeout=options.verify_timeout)
    lines = (verified.stdout + verified.stderr).strip().splitlines()
    cores = cpu_used(cpu_at_start, cpu_end, backend_cpu) if cpu_at_start else {}
    seals = [f for path in probe.glob("seal-*.json") for f in json.loads(path.read_text())]
    served = served_in(log, *window)
    return {
        "seals": seals,
        "served": served,
        "window": window[1] - window[0],
        "command": command,
        "rows": recorder.rows,
        "samples": sampler.samples[sample_from:],
        "audit_written": audit_after - audit_before,
        "audit_total": audit_after,
        "unsealed_after_run": unsealed,
        "verify_exit": verified.returncode,
        "verify_lines": lines[-4:],
        "verify_seconds": time.monotonic() - began,
        "cores": cores,
    }


def served_in(log: Path, start: float, end: float) -> list[tuple[int, float]]:
    """(status, server-side seconds) of the requests gunicorn logged between two times."""
    served = []
    for line in log.read_text(errors="replace").splitlines():
        parts = line.split()
        if len(parts) < 8 or not parts[1].startswith("[") or not parts[-1].endswith("s"):
            continue
        try:
            at = dt.datetime.strptime(f"{parts[1]} {parts[2]}", "[%d/%b/%Y:%H:%M:%S %z]")
            served.append((at.timestamp(), int(parts[-3]), float(parts[-1][:-1])))
        except ValueError:
            continue
    return [(status, took) for at, status, took in served if start <= at + 0.5 <= end + 1]


def workers_label(options: argparse.Namespace) -> str:
    if options.threads > 1:
        return f"{options.workers} gthread workers x {options.threads} threads"
    return f"{options.workers} sync workers"


def report(result: dict, options: argparse.Namespace) -> None:
    rows = result["rows"]
    print()
    if options.seal_variant != "as-is":
        print(f"NOT THE PRODUCT AS IT IS: sealer variant {options.seal_variant} (seal_probe.py)")
    print(
        f"{options.rate:g} requests/s for {options.minutes:g} min after {options.warmup:g} s "
        f"of warm-up; gunicorn: {workers_label(options)}"
    )
    print("| phase / operation | requests | p50 ms | p95 ms | p99 ms | max ms | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")

    def line(label: str, chosen: list) -> None:
        if not chosen:
            return
        spent = [r[2] for r in chosen]
        errors = sum(1 for r in chosen if r[5])
        print(
            f"| {label} | {len(chosen):,} | {percentile(spent, 0.5):.0f} | "
            f"{percentile(spent, 0.95):.0f} | {percentile(spent, 0.99):.0f} | "
            f"{max(spent):.0f} | {errors} |"
        )

    line("warm-up, all", [r for r in rows if r[0] == "warm-up"])
    measured = [r for r in rows if r[0] == "measured"]
    line("**measured, all**", measured)
    line("measured, reads", [r for r in measured if not dict((m[0], m[2]) for m in MIX)[r[1]]])
    line("measured, writes", [r for r in measured if dict((m[0], m[2]) for m in MIX)[r[1]]])
    for operation, _, _ in MIX:
        line(f"  {operation}", [r for r in measured if r[1] == operation])
    served = result["served"]
    if served:
        took = [t * 1000 for _, t in served]
        ok = sum(1 for status, _ in served if 200 <= status < 300)
        print(
            f"the server answered {len(served):,} requests in the measured "
            f"{result['window']:.0f} s ({len(served) / result['window']:.1f}/s, {ok:,} with "
            f"2xx); its own time per request p50 {percentile(took, 0.5):.0f} / p95 "
            f"{percentile(took, 0.95):.0f} ms"
        )
    errors = [r[5] for r in rows if r[5]]
    for error, count in collections.Counter(errors).most_common(8):
        print(f"  error x{count}: {error}")
    samples = result["samples"]
    if samples:
        loads = [s["load"] for s in samples]
        print(
            f"load average during the measured run: min {min(loads):.1f}, "
            f"median {statistics.median(loads):.1f}, max {max(loads):.1f}; "
            f"cores used: gunicorn {result['cores']['server']:.2f}, this database's "
            f"PostgreSQL backends {result['cores']['postgres']:.2f}, the whole machine "
            f"{result['cores']['machine']:.2f} of {os.cpu_count()}"
        )
        if result["cores"] and result["served"]:
            per = result["window"] * 1000 / len(result["served"])
            print(
                f"  CPU per request the server answered: gunicorn "
                f"{result['cores']['server'] * per:.0f} ms, PostgreSQL "
                f"{result['cores']['postgres'] * per:.0f} ms"
            )
        for key, label in (
            ("active", "active PostgreSQL sessions"),
            ("advisory", "sessions waiting on the audit sealer's advisory lock"),
            ("other_lock", "sessions waiting on another lock"),
            ("idle_in_tx", "sessions idle in a transaction"),
        ):
            values = [s[key] for s in samples]
            busy = sum(1 for v in values if v) / len(values)
            print(
                f"  {label}: mean {statistics.mean(values):.2f}, max {max(values)}, "
                f"non-zero in {busy:.0%} of {len(values)} samples"
            )
        holders = collections.Counter(s["holder"] or "(not held)" for s in samples)
        print(
            "  the sealer's advisory lock: "
            + ", ".join(f"{h} {n / len(samples):.0%}" for h, n in holders.most_common(6))
        )
        waits = collections.Counter(w for s in samples for w in s["waits"])
        print(
            "  waits of active sessions (per sample): "
            + ", ".join(f"{w} {n / len(samples):.2f}" for w, n in waits.most_common(8))
        )
    seals = result["seals"]
    if seals:
        waits = [f[0] * 1000 for f in seals if f[2] >= 0]
        holds = [f[1] * 1000 for f in seals if f[2] >= 0]
        empty = sum(1 for f in seals if f[2] == 0)
        gave_way = sum(1 for f in seals if f[2] < 0)
        print(
            f"  seals after commit (whole run, warm-up included): {len(seals):,}; "
            f"{empty:,} found nothing left to seal, {gave_way:,} gave way to another; "
            f"waiting for the lock p50 {percentile(waits, 0.5):.1f} / p95 "
            f"{percentile(waits, 0.95):.1f} / max {max(waits):.0f} ms; holding it p50 "
            f"{percentile(holds, 0.5):.1f} / p95 {percentile(holds, 0.95):.1f} / max "
            f"{max(holds):.0f} ms; held {sum(holds) / 1000:.0f} s in all"
        )
    print(
        f"audit rows written: {result['audit_written']:,} (trail now {result['audit_total']:,}); "
        f"unsealed after the run: {result['unsealed_after_run']}"
    )
    print(
        f"csehub audit verify: exit {result['verify_exit']} in "
        f"{result['verify_seconds']:.0f} s: {' / '.join(result['verify_lines'])}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50, help="requests per second")
    parser.add_argument("--minutes", type=float, default=10, help="measured minutes")
    parser.add_argument("--warmup", type=float, default=30, help="seconds before measuring")
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--concerns", type=int, default=100_000)
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--build-only", action="store_true")
    # Sync workers (one request per process): with gthread workers the thread holding the audit
    # sealer's lock waits for its process's GIL between statements, and everyone waits on it
    # (docs/benchmarks.md, issue 9).
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker; more than 1 uses gthread"
    )
    parser.add_argument("--backlog", type=int, default=2048)
    parser.add_argument("--concurrency", type=int, default=256, help="client threads at most")
    parser.add_argument("--request-timeout", type=float, default=30)
    parser.add_argument("--verify-timeout", type=float, default=1800)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--seal-variant",
        choices=["as-is", "try-lock"],
        default="as-is",
        help="try-lock: try a proposed change to the sealer (benchmarks/seal_probe.py), "
        "for comparison only",
    )
    parser.add_argument("--json", type=Path, help="also write every request's figures here")
    options = parser.parse_args()
    env, world = prepare(options)
    if options.build_only:
        return
    print(f"load average before the run: {Path('/proc/loadavg').read_text().strip()}")
    result = run_load(env, world, options)
    report(result, options)
    if options.json:
        options.json.parent.mkdir(parents=True, exist_ok=True)
        options.json.write_text(json.dumps({k: v for k, v in result.items()}, default=str))


if __name__ == "__main__":
    main()
