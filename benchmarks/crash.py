"""Crash durability: kill -9 the real server at random moments during writes, then count losses.

    .venv/bin/python benchmarks/crash.py                 # 50 trials on SQLite, 50 on PostgreSQL
    .venv/bin/python benchmarks/crash.py --database sqlite --trials 5     # a short run

For each database a fresh scratch one (var/bench/crash/sqlite/csehub.sqlite3, or the PostgreSQL
database csehub_bench_crash on 127.0.0.1) is migrated with `csehub migrate` and given a
fictional partnership, its people and API tokens (benchmarks/_service.py). Each trial:

1. starts `csehub serve` (gunicorn, sync workers) on a free port of 127.0.0.1 with the
   production settings over plain HTTP (benchmarks/bench_settings.py) and strong generated keys,
   with a signed audit checkpoint written after every seal (CSEHUB_AUDIT_CHECKPOINT_MINUTES=0);
2. client threads write through the API: concerns submitted at once (with a person, a phone
   and a vehicle, so linking on arrival runs in the transaction) and new children; every write
   answered 2xx is recorded with its id and a unique marker;
3. after a random delay SIGKILL goes to the server's whole process group (master and workers);
4. the database is read directly: every acknowledged write must be there with its marker and
   its audit event ("lost" counts those missing); how many audit rows the crash left committed
   but unsealed, and how many writes in flight at the kill had committed anyway, are noted;
5. the server is started again and must answer; `csehub audit verify --against` the checkpoint
   left by the crashed server must exit 0 (it seals what the crash left unsealed, checks the
   chain and that the chain still reaches the checkpoint); one more write must then succeed.

Only 127.0.0.1 is ever contacted; every person and child is generated and fictional.
"""

# ruff: noqa: S311  (random timing and fictional data, not secrets)

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _service import (
    PROJECT_DIR,
    VENV_BIN,
    Client,
    Server,
    csehub,
    django_here,
    fictional_world,
    free_port,
    keys_for,
    pg_recreate,
    pg_url,
    service_env,
)

PG_DATABASE = "csehub_bench_crash"
GIVEN = ["Ellis", "Marnie", "Tobias", "Keira", "Rhys", "Lacey", "Jasper", "Nadia", "Corey"]
FAMILY = ["Quarrie", "Fenwick", "Holroyd", "Brackley", "Tranter", "Ashdown", "Pennock"]


@dataclass
class Trial:
    number: int
    kill_after: float
    acknowledged: int = 0
    concerns: int = 0
    children: int = 0
    lost: int = 0
    audit_missing: int = 0
    in_flight: int = 0
    in_flight_committed: int = 0
    unsealed_after_kill: int = 0
    verify_exit: int = -1
    verify_line: str = ""
    ready_seconds: float = 0.0
    restart_seconds: float = 0.0
    write_after_restart: int = 0
    errors: list[str] = field(default_factory=list)


class Writers:
    """Client threads writing until told to stop; each write's fate is recorded."""

    def __init__(self, port: int, token: str, children: list[int], trial: int, threads: int):
        self.port, self.token, self.children, self.trial = port, token, children, trial
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.acknowledged: list[tuple[str, int, str]] = []  # (kind, id, marker)
        self.in_flight: list[tuple[str, str]] = []  # sent, answer never seen: (kind, marker)
        self.refused: list[str] = []  # answered, but not 2xx
        self.threads = [
            threading.Thread(target=self.run, args=(n,), daemon=True) for n in range(threads)
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def join(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def run(self, number: int) -> None:
        rng = random.Random(f"{self.trial}-{number}")
        client = Client(self.port, self.token, timeout=15)
        sent = 0
        while not self.stop.is_set():
            sent += 1
            marker = f"crash-{self.trial}-{number}-{sent}"
            kind = "concern" if rng.random() < 0.7 else "child"
            path, body = (
                ("/api/v1/concerns", self._concern(rng, marker))
                if kind == "concern"
                else ("/api/v1/children", self._child(rng, marker))
            )
            try:
                status, answer = client.call("POST", path, body)
            except (OSError, http.client.HTTPException):
                # No whole answer: refused, reset, or cut off mid-body by the kill.
                client.close()
                with self.lock:
                    self.in_flight.append((kind, marker))
                # The server is gone: refused connections from here on are not writes.
                while not self.stop.is_set():
                    time.sleep(0.02)
                return
            with self.lock:
                if 200 <= status < 300:
                    self.acknowledged.append((kind, int(answer["id"]), marker))
                else:
                    self.refused.append(f"{status} {str(answer)[:200]}")

    def _concern(self, rng: random.Random, marker: str) -> dict:
        return {
            "child_id": rng.choice(self.children),
            "how_known": rng.choice(["saw", "child_told", "other_told"]),
            "what_was_seen": marker,
            "observed_on": (dt.date.today() - dt.timedelta(days=rng.randint(0, 30))).isoformat(),
            "where": "Outside the Bench Street shops",
            "persons": [{"name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}", "age_estimate": 24}],
            "phones": [{"number": f"07700 900{rng.randint(0, 999):03d}"}],
            "vehicles": [{"plate": f"YX{rng.randint(51, 75)} K{rng.choice('ABCDE')}C"}],
            "submit": True,
        }

    def _child(self, rng: random.Random, marker: str) -> dict:
        return {
            "given_name": marker,
            "family_name": rng.choice(FAMILY),
            "age_estimate_years": rng.randint(11, 17),
            "confirm_new_child": True,
        }


def check_durable(writers: Writers, trial: Trial) -> None:
    """Read the database directly: every acknowledged write, with its marker and audit event."""
    from django.db import connection

    from csehub.audit.models import AuditEvent
    from csehub.children.models import Child
    from csehub.concerns.models import Concern, ConcernStatus

    connection.close()  # a new connection: see the database as the crash left it
    concern_ids = {i: m for k, i, m in writers.acknowledged if k == "concern"}
    child_ids = {i: m for k, i, m in writers.acknowledged if k == "child"}
    found_concerns = dict(
        Concern.objects.filter(pk__in=concern_ids, status=ConcernStatus.SUBMITTED).values_list(
            "pk", "what_was_seen"
        )
    )
    found_children = dict(Child.objects.filter(pk__in=child_ids).values_list("pk", "given_name"))
    lost = [i for i, m in concern_ids.items() if found_concerns.get(i) != m]
    lost += [i for i, m in child_ids.items() if found_children.get(i) != m]
    audited_concerns = set(
        AuditEvent.objects.filter(
            target_type="concern", target_id__in=[str(i) for i in concern_ids], verb="updated"
        ).values_list("target_id", flat=True)
    )
    audited_children = set(
        AuditEvent.objects.filter(
            target_type="child", target_id__in=[str(i) for i in child_ids], verb="created"
        ).values_list("target_id", flat=True)
    )
    trial.audit_missing = len({str(i) for i in concern_ids} - audited_concerns) + len(
        {str(i) for i in child_ids} - audited_children
    )
    trial.acknowledged = len(writers.acknowledged)
    trial.concerns, trial.children = len(concern_ids), len(child_ids)
    trial.lost = len(lost)
    trial.in_flight = len(writers.in_flight)
    markers = [m for _, m in writers.in_flight]
    trial.in_flight_committed = (
        Concern.objects.filter(what_was_seen__in=markers).count()
        + Child.objects.filter(given_name__in=markers).count()
    )
    trial.unsealed_after_kill = AuditEvent.objects.filter(sequence__isnull=True).count()
    connection.close()


def run_trial(number: int, options: argparse.Namespace, setup: dict) -> Trial:
    rng = random.Random(f"kill-{options.seed}-{number}")
    trial = Trial(number=number, kill_after=rng.uniform(*options.kill_after))
    env, world, var_dir = setup["env"], setup["world"], setup["var_dir"]
    token = world["tokens"]["frontdoor"]
    port = free_port()
    command = [
        str(VENV_BIN / "csehub"),
        "serve",
        f"--bind=127.0.0.1:{port}",
        f"--workers={options.workers}",
    ]
    log = var_dir / "server.log"
    # gunicorn's control socket is one path per user by default: keep ours off other servers'.
    env = {**env, "GUNICORN_CMD_ARGS": "--no-control-socket"}
    server = Server(command, env, log, port)
    server.start()
    try:
        trial.ready_seconds = server.wait_ready(token, timeout=options.ready_timeout)
        writers = Writers(port, token, setup["children"], number, options.threads)
        writers.start()
        time.sleep(trial.kill_after)
        server.kill()  # kill -9 to the process group, mid-write
        writers.stop.set()
        writers.join(timeout=20)
        # The checkpoint the crashed server left: the trail must still reach it.
        checkpoint = var_dir / "checkpoints" / "latest.json"
        kept = var_dir / "checkpoint-at-crash.json"
        if checkpoint.exists():
            shutil.copyfile(checkpoint, kept)
        else:
            kept.unlink(missing_ok=True)
        check_durable(writers, trial)
        trial.errors += writers.refused[:3]

        started = time.monotonic()
        for attempt in range(1, 4):
            server = Server(command, env, log, port)
            server.start()
            try:
                server.wait_ready(token, timeout=options.ready_timeout)
                break
            except RuntimeError as error:
                # The server refused to start (on a shared tree, someone's half-saved edit):
                # an operator would start it again; the restart is noted with the trial.
                trial.errors.append(f"restart {attempt} failed: {error}")
                if attempt == 3:
                    raise
                time.sleep(10)
        trial.restart_seconds = time.monotonic() - started
        args = ["audit", "verify"] + (["--against", str(kept)] if kept.exists() else [])
        verified = csehub(env, *args, timeout=options.verify_timeout)
        trial.verify_exit = verified.returncode
        lines = (verified.stdout + verified.stderr).strip().splitlines()
        trial.verify_line = next(
            (ln for ln in lines if "Audit trail" in ln), lines[-1] if lines else ""
        )
        if verified.returncode != 0:
            trial.errors += lines[-5:]
        probe = Writers(port, token, setup["children"], number, 0)
        status, _ = Client(port, token, timeout=30).call(
            "POST", "/api/v1/concerns", probe._concern(rng, f"crash-{number}-after-restart")
        )
        trial.write_after_restart = status
    except (OSError, RuntimeError, TimeoutError, subprocess.TimeoutExpired) as error:
        trial.errors.append(f"{type(error).__name__}: {error}")
    finally:
        server.stop()
    return trial


def prepare(database: str, options: argparse.Namespace) -> dict:
    """A fresh scratch database, migrated by `csehub migrate`, with the fictional world."""
    var_dir = PROJECT_DIR / "var" / "bench" / "crash" / database
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    url = None
    if database == "postgresql":
        pg_recreate(PG_DATABASE)
        url = pg_url(PG_DATABASE)
    env = service_env(
        var_dir=var_dir,
        keys=keys_for(var_dir, fresh=True),
        database_url=url,
        CSEHUB_AUDIT_CHECKPOINT_DIR=str(var_dir / "checkpoints"),
        CSEHUB_AUDIT_CHECKPOINT_MINUTES="0",
    )
    migrated = csehub(env, "migrate", "--no-input")
    if migrated.returncode != 0:
        raise SystemExit(f"migrate failed:\n{migrated.stderr[-2000:]}")
    django_here(env)
    world = fictional_world()
    from csehub.accounts.models import User
    from csehub.children.services import ChildDetails, child_create

    social_care = User.objects.get(pk=world["users"]["frontdoor"])
    rng = random.Random(options.seed)
    children = [
        child_create(
            actor=social_care,
            details=ChildDetails(
                given_name=rng.choice(GIVEN),
                family_name=rng.choice(FAMILY),
                age_estimate_years=rng.randint(11, 17),
            ),
        ).pk
        for _ in range(20)
    ]
    return {"env": env, "world": world, "var_dir": var_dir, "children": children}


def run_database(database: str, options: argparse.Namespace) -> dict:
    setup = prepare(database, options)
    print(
        f"{database}: {options.trials} trials, {options.threads} writer threads, "
        f"{options.workers} gunicorn workers, kill after {options.kill_after[0]:g} to "
        f"{options.kill_after[1]:g} s",
        flush=True,
    )
    header = (
        "trial  kill at  acked  lost  no-audit  in-flight(committed)  unsealed  verify  restart"
    )
    print(header, flush=True)
    trials = []
    started = time.monotonic()
    for number in range(1, options.trials + 1):
        if time.monotonic() - started > options.timeout:
            print(f"stopped after {options.timeout:.0f} s (--timeout)")
            break
        trial = run_trial(number, options, setup)
        trials.append(trial)
        print(
            f"{number:5d}  {trial.kill_after:6.2f}s  {trial.acknowledged:5d}  {trial.lost:4d}  "
            f"{trial.audit_missing:8d}  {trial.in_flight:9d}({trial.in_flight_committed:d})"
            f"{'':10s}  {trial.unsealed_after_kill:8d}  {trial.verify_exit:6d}  "
            f"{trial.restart_seconds:5.1f}s"
            + (f"  {'; '.join(trial.errors)[:300]}" if trial.errors else ""),
            flush=True,
        )
    return {"database": database, "trials": [asdict(t) for t in trials]}


def totals(result: dict) -> dict:
    trials = result["trials"]
    return {
        "database": result["database"],
        "trials": len(trials),
        "acknowledged": sum(t["acknowledged"] for t in trials),
        "concerns": sum(t["concerns"] for t in trials),
        "children": sum(t["children"] for t in trials),
        "lost": sum(t["lost"] for t in trials),
        "audit_missing": sum(t["audit_missing"] for t in trials),
        "in_flight": sum(t["in_flight"] for t in trials),
        "in_flight_committed": sum(t["in_flight_committed"] for t in trials),
        "unsealed": sum(t["unsealed_after_kill"] for t in trials),
        "trials_unsealed": sum(1 for t in trials if t["unsealed_after_kill"]),
        "verify_passed": sum(1 for t in trials if t["verify_exit"] == 0),
        "write_after_restart": sum(1 for t in trials if 200 <= t["write_after_restart"] < 300),
        "restart_median": statistics.median([t["restart_seconds"] for t in trials] or [0]),
        "errors": sum(1 for t in trials if t["errors"]),
    }


def print_summary(results: list[dict]) -> None:
    print()
    print(
        "| database | trials | acknowledged writes (concerns + children) | lost | without audit "
        "event | in flight at kill (committed) | audit rows left unsealed (trials) | "
        "verify exit 0 | write after restart | restart median |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for result in results:
        t = totals(result)
        print(
            f"| {t['database']} | {t['trials']} | {t['acknowledged']:,} ({t['concerns']:,} + "
            f"{t['children']:,}) | **{t['lost']}** | {t['audit_missing']} | {t['in_flight']} "
            f"({t['in_flight_committed']}) | {t['unsealed']} ({t['trials_unsealed']}) | "
            f"**{t['verify_passed']}/{t['trials']}** | {t['write_after_restart']}/{t['trials']} "
            f"| {t['restart_median']:.1f} s |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["both", "sqlite", "postgresql"], default="both")
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--threads", type=int, default=4, help="client threads writing")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--kill-after",
        type=float,
        nargs=2,
        default=(0.5, 5.0),
        metavar=("MIN", "MAX"),
        help="seconds of writing before the kill, drawn uniformly",
    )
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--ready-timeout", type=float, default=60)
    parser.add_argument("--verify-timeout", type=float, default=300)
    parser.add_argument("--timeout", type=float, default=3600, help="per database, seconds")
    parser.add_argument("--json", type=Path, help="also write the trials to this file")
    options = parser.parse_args()
    if options.database == "both":
        # One process per database: Django is set up once per process, on one database.
        results = []
        for database in ("sqlite", "postgresql"):
            out = PROJECT_DIR / "var" / "bench" / "crash" / f"{database}.json"
            args = [sys.executable, __file__, "--database", database, "--json", str(out)]
            for name in (
                "trials",
                "threads",
                "workers",
                "seed",
                "ready_timeout",
                "verify_timeout",
                "timeout",
            ):
                args += [f"--{name.replace('_', '-')}", str(getattr(options, name))]
            args += ["--kill-after", *(str(v) for v in options.kill_after)]
            subprocess.run(args, check=True)  # noqa: S603 (this script)
            results.append(json.loads(out.read_text()))
        print_summary(results)
        if options.json:
            options.json.write_text(json.dumps(results, indent=1))
        return
    result = run_database(options.database, options)
    print_summary([result])
    if options.json:
        options.json.parent.mkdir(parents=True, exist_ok=True)
        options.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
