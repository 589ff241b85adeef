"""The real service for a benchmark: gunicorn on 127.0.0.1, a scratch database, a fictional world.

Shared by benchmarks/crash.py and benchmarks/load.py. The server runs with the production
settings over plain HTTP (benchmarks/bench_settings.py) and strong keys generated for the
scratch database and kept beside it, so that a kept database still verifies on a later run.
Databases are scratch ones only: a SQLite file under var/bench/<name>/, or a PostgreSQL database
whose name starts with `csehub_bench_` on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
VENV_BIN = PROJECT_DIR / ".venv" / "bin"
HOST = "127.0.0.1"  # the only address these benchmarks ever talk to
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
SCRATCH_PREFIX = "csehub_bench_"
PARTNERSHIP_SLUG = "bench"


def _checked_scratch_name(name: str) -> str:
    if not name.startswith(SCRATCH_PREFIX) or not name.replace("_", "").isalnum():
        raise SystemExit(f"refusing database {name!r}: scratch databases start {SCRATCH_PREFIX}")
    return name


def pg_url(name: str) -> str:
    return f"{PG_SERVER}/{_checked_scratch_name(name)}"


def pg_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as db:
        found = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return found is not None


def pg_recreate(name: str) -> None:
    """Drop (if there) and create a scratch database on the local server."""
    import psycopg

    name = _checked_scratch_name(name)
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')


def keys_for(var_dir: Path, *, fresh: bool) -> dict[str, str]:
    """Strong keys for this scratch database, kept (0600) beside it for later runs."""
    path = var_dir / "keys.json"
    if path.exists() and not fresh:
        return json.loads(path.read_text())
    var_dir.mkdir(parents=True, exist_ok=True)
    keys = {"secret": secrets.token_urlsafe(64), "audit": secrets.token_urlsafe(48)}
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(keys, file)
    return keys


def service_env(
    *, var_dir: Path, keys: dict[str, str], database_url: str | None, **extra: str
) -> dict[str, str]:
    """The environment of the server, `csehub` commands and this process's own Django."""
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(
        DJANGO_SETTINGS_MODULE="bench_settings",
        PYTHONPATH=os.pathsep.join(filter(None, [str(BENCH_DIR), env.get("PYTHONPATH", "")])),
        CSEHUB_VAR_DIR=str(var_dir),
        CSEHUB_SECRET_KEY=keys["secret"],
        CSEHUB_AUDIT_KEY=keys["audit"],
        CSEHUB_ALLOWED_HOSTS=HOST,
        CSEHUB_SITE_URL=f"http://{HOST}",
        CSEHUB_PARTNERSHIP=PARTNERSHIP_SLUG,
        # No mail server on a benchmark machine: mail is made and dropped.
        CSEHUB_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    env.pop("CSEHUB_DEMO_MODE", None)
    env.update(extra)
    return env


def django_here(env: dict[str, str]) -> None:
    """Set this process's Django up on the same settings and database as the server."""
    import sys

    os.environ.update(env)
    if str(BENCH_DIR) not in sys.path:
        sys.path.insert(0, str(BENCH_DIR))
    import django

    django.setup()


def csehub(env: dict[str, str], *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run a `csehub` command (migrate, audit verify, ...) as an operator would."""
    return subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [str(VENV_BIN / "csehub"), *args],
        env=env,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class Server:
    """A gunicorn process group of our own; stopped or killed by its group id only."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path, port: int) -> None:
        self.command, self.env, self.log, self.port = command, env, log, port
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own command)
                self.command,
                env=self.env,
                cwd=PROJECT_DIR,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so kill -9 reaches every worker
            )

    def wait_ready(self, token: str, *, timeout: float) -> float:
        """Seconds until GET /api/v1/me answers 200 with the token."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"the server exited ({self.process.returncode}): see {self.log}")
            try:
                status, _ = Client(self.port, token, timeout=5).call("GET", "/api/v1/me")
                if status == 200:
                    return time.monotonic() - started
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.1)
        raise TimeoutError(f"the server was not ready within {timeout:.0f} s: see {self.log}")

    def kill(self) -> None:
        """SIGKILL to the whole process group: the master and every worker at once."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self, *, timeout: float = 30) -> None:
        """A graceful stop (SIGTERM to the group), then SIGKILL if it does not end in time."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=timeout)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            self.kill()


def gunicorn_command(
    port: int, *, workers: int, threads: int = 1, extra: tuple[str, ...] = ()
) -> list[str]:
    """gunicorn with the project's WSGI app, as `csehub serve` runs it, with a worker class."""
    command = [
        str(VENV_BIN / "gunicorn"),
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        "--access-logfile=-",
        "--graceful-timeout=5",
    ]
    if threads > 1:
        command += ["--worker-class=gthread", f"--threads={threads}"]
    return [*command, *extra, "csehub.config.wsgi:application"]


class Client:
    """A small JSON client for one thread: one keep-alive connection to 127.0.0.1."""

    # gunicorn closes a kept-alive connection after 2 s idle (--keep-alive): reconnect before
    # then, so that a write never meets a connection the server is closing.
    IDLE_LIMIT = 1.0

    def __init__(self, port: int, token: str, *, timeout: float) -> None:
        self.port, self.token, self.timeout = port, token, timeout
        self.connection: http.client.HTTPConnection | None = None
        self.last_used = 0.0

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        if time.monotonic() - self.last_used > self.IDLE_LIMIT:
            self.close()
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
            payload = None
            if body is not None:
                payload = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
            try:
                self.connection.request(method, path, body=payload, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                # A kept-alive connection the server closed while idle: send once more only
                # if nothing can have reached the application (reads, or a fresh connection).
                if attempt == 1 and method == "GET":
                    continue
                raise
            self.last_used = time.monotonic()
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            try:
                return response.status, json.loads(data) if data else None
            except ValueError:
                return response.status, data.decode(errors="replace")
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


# The fictional world: one partnership, a school, children's social care and police, and the
# people the benchmarks act as. Every name is invented (the .example domain is reserved).
AGENCIES = {
    "school": ("Brackley Bench Academy", "school"),
    "csc": ("Brackley Bench Children's Social Care", "childrens_social_care"),
    "police": ("Brackley Bench Police", "police"),
}
PEOPLE = {
    # key: (email, full name, role, agency key)
    "admin": ("bench-admin@bench.example", "Quentin Ashdown", "partnership_admin", "csc"),
    "dsl": ("bench-dsl@bench.example", "Rowena Tranter", "safeguarding_lead", "school"),
    "frontdoor": ("bench-frontdoor@bench.example", "Idris Holroyd", "front_door", "csc"),
}


def fictional_world() -> dict[str, Any]:
    """Create (or find) the partnership and its people; issue each an API token.

    The partnership, its agencies and its first administrator are made as an installer makes
    them (the models directly: there is nobody yet to act); everyone else through the
    project's services, with the administrator as the actor. Returns the ids and fresh tokens.
    """
    from django.db import transaction

    from csehub.accounts.models import Agency, Partnership, User
    from csehub.accounts.services.users import user_create
    from csehub.api.services import api_token_issue

    with transaction.atomic():
        partnership, _ = Partnership.objects.get_or_create(
            slug=PARTNERSHIP_SLUG, defaults={"name": "Brackley Bench Partnership (fictional)"}
        )
        agencies = {
            key: Agency.objects.get_or_create(
                partnership=partnership, name=name, defaults={"agency_type": kind}
            )[0]
            for key, (name, kind) in AGENCIES.items()
        }
        email, full_name, role, agency = PEOPLE["admin"]
        admin, _ = User.objects.get_or_create(
            email=email,
            defaults={
                "full_name": full_name,
                "role": role,
                "agency": agencies[agency],
                "partnership": partnership,
            },
        )
        users = {"admin": admin}
        for key, (email, full_name, role, agency) in PEOPLE.items():
            if key == "admin":
                continue
            found = User.objects.filter(email=email).first()
            users[key] = found or user_create(
                actor=admin,
                full_name=full_name,
                email=email,
                agency=agencies[agency],
                role=role,
                site_url=f"http://{HOST}",
            )
        tokens = {
            key: api_token_issue(actor=user, user=user, name="benchmark", days=7)[1]
            for key, user in users.items()
        }
    return {
        "partnership": partnership.pk,
        "agencies": {key: agency.pk for key, agency in agencies.items()},
        "users": {key: user.pk for key, user in users.items()},
        "tokens": tokens,
    }
