"""A real ledger for tests: ``counterbench ledger serve`` as a subprocess on a free port.

The server runs as ``python -m app.commands.ledger serve`` (the same command as
``counterbench ledger serve`` without loading the other command groups): forked, with the
same arguments, environment and log, from a process that has imported the ledger once
(``tests.support.ledger_process``; a start costs a fraction of the imports), or as the
command itself with ``forked=False`` and always for ``--workers``.

``RunningLedger`` starts the server with its own database, waits for ``/v1/health`` and
offers what tests need around it (enrol codes, seeding, orders, SQL on the ledger DB,
kill/stop/restart). ``fresh_pg_database`` creates a uniquely named PostgreSQL database on
the ``COUNTERBENCH_TEST_PG`` server and drops it afterwards, even when the test fails.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import requests
from sqlalchemy import Engine, make_url, text

from tests.support.ledger_process import ForkedServer
from tests.support.ledger_templates import fill_from_template

ROOT = Path(__file__).resolve().parents[2]
PG_ENV = "COUNTERBENCH_TEST_PG"
PG_PREFIX = "cbtest_"
ADMIN_TOKEN = "test-admin-token"
INTAKE_TOKEN = "test-intake-token"
# Tests enrol many stations from 127.0.0.1; the rate-limit tests pass their own limit.
TEST_LIMITS = ("--enrol-limit", "1000/1000", "--bad-token-limit", "1000/1000")
# Profiles copied from a template made once per process (``bench`` is seeded where used).
TEMPLATED = ("tiny", "demo")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RunningLedger:
    """A ledger server subprocess with its own database (see the module docstring)."""

    def __init__(
        self,
        db_url: str,
        workdir: Path,
        *,
        admin_token: str = ADMIN_TOKEN,
        port: int | None = None,
        startup_timeout_s: float = 60.0,
        serve_args: tuple[str, ...] = (),
        forked: bool = True,
    ) -> None:
        self.db_url = db_url
        self.serve_args = serve_args  # extra options for ``ledger serve``
        # A fork of a process with the ledger imported (``tests.support.ledger_process``),
        # unless told otherwise or serving several workers: then the command itself.
        self.forked = forked and "--workers" not in serve_args
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.admin_token = admin_token
        self.port = port or free_port()
        self.startup_timeout_s = startup_timeout_s
        self.process: subprocess.Popen[bytes] | ForkedServer | None = None
        self.log_path = self.workdir / "ledger-server.log"
        self._engine: Engine | None = None
        self._http = requests.Session()

    # --- lifecycle -----------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> RunningLedger:
        """Start the server and wait until ``/v1/health`` answers."""
        env = dict(
            os.environ,
            COUNTERBENCH_DATA_DIR=str(self.workdir / "data"),
            COUNTERBENCH_ADMIN_TOKEN=self.admin_token,  # never on the command line
            COUNTERBENCH_INTAKE_TOKEN=INTAKE_TOKEN,
        )
        env.pop("COUNTERBENCH_LEDGER_DB", None)
        argv = [
            "serve", "--db", self.db_url, "--host", "127.0.0.1", "--port", str(self.port),
            *TEST_LIMITS, *self.serve_args,
        ]  # fmt: skip
        self.process = self._launch(argv, env)
        deadline = time.monotonic() + self.startup_timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"ledger exited at start:\n{self.log_tail()}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.url}/v1/health", timeout=1).status_code == 200:
                    return self
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(
            f"ledger did not answer within {self.startup_timeout_s} s:\n{self.log_tail()}"
        )

    def _launch(
        self, argv: list[str], env: dict[str, str]
    ) -> subprocess.Popen[bytes] | ForkedServer:
        if self.forked:
            return ForkedServer(argv, env, ROOT, self.log_path)
        command = [sys.executable, "-m", "app.commands.ledger", *argv]
        with self.log_path.open("ab") as log:
            return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the server, as a power cut would."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        """Stop the server gracefully (SIGTERM), killing it if it does not exit in time."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def restart(self) -> RunningLedger:
        """Stop (if running) and start again on the same port and database."""
        self.stop()
        return self.start()

    def close(self) -> None:
        self.stop()
        self._http.close()
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> RunningLedger:
        return self.start() if self.process is None else self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- helpers for tests ---------------------------------------------------------

    @property
    def engine(self) -> Engine:
        """An engine on the ledger database (migrated), for seeding and assertions."""
        if self._engine is None:
            from app.ledger.db import make_engine
            from app.ledger.migrate import upgrade

            self._engine = make_engine(self.db_url, pool_size=2)
            upgrade(self._engine)
        return self._engine

    def seed(self, profile: str = "tiny") -> str:
        """Seed ``tiny``, ``demo`` or ``bench`` data (idempotent); returns the report.

        A database not made yet is copied from this process's seeded template of the
        profile (``tests.support.ledger_templates``), which is made the same way once."""
        from app.ledger.seed import seed

        if self._engine is None and self.process is None and profile in TEMPLATED:
            copied = fill_from_template(self.db_url, profile)
            if copied is not None:
                return copied

        return seed(self.engine, profile)

    def enrol_code(self, location: str, kind: str = "counter") -> str:
        """A fresh one-time enrol code for a station at ``location``."""
        from app.ledger.devices import create_enrol_code

        return create_enrol_code(self.engine, location, kind)

    def enrol(
        self, location: str, kind: str = "counter", name: str = "test station"
    ) -> dict[str, Any]:
        """Enrol a station over HTTP; returns the EnrolResponse as a dict."""
        body = {"code": self.enrol_code(location, kind), "station_name": name, "station_kind": kind}
        response = self._http.post(f"{self.url}/v1/enrol", json=body, timeout=30)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def place_order(self, order: dict[str, Any]) -> dict[str, Any]:
        """POST an OrderIntake with the admin token; raises ``requests.HTTPError`` if refused."""
        response = self._http.post(
            f"{self.url}/v1/orders",
            json=order,
            headers={"Authorization": f"Bearer {self.admin_token}"},
            timeout=30,
        )
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def sql(self, statement: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Run SQL on the ledger database; returns the rows as tuples (empty for writes)."""
        with self.engine.begin() as conn:
            result = conn.execute(text(statement), params or {})
            return [tuple(row) for row in result] if result.returns_rows else []


# --- PostgreSQL databases per test ---------------------------------------------------


def tiny_ledger(
    workdir: Path, db_url: str = "", *, serve_args: tuple[str, ...] = (), forked: bool = True
) -> Iterator[RunningLedger]:
    """A ledger seeded ``--tiny`` and serving on a loopback port, closed afterwards (for a
    fixture to ``yield from``); its database is a SQLite file in ``workdir`` unless given;
    ``serve_args``: extra ``ledger serve`` options; ``forked=False``: started as the
    command itself rather than forked (see ``RunningLedger``)."""
    running = RunningLedger(
        db_url or f"sqlite:///{workdir / 'ledger.sqlite3'}",
        workdir,
        serve_args=serve_args,
        forked=forked,
    )
    try:
        running.seed("tiny")
        running.start()
        yield running
    finally:
        running.close()


def ledger_on(
    backend: str, workdir: Path, *, serve_args: tuple[str, ...] = ()
) -> Iterator[RunningLedger]:
    """``tiny_ledger`` on a ``backend_params`` backend: a SQLite file in ``workdir``, or a
    fresh PostgreSQL database dropped afterwards (for a fixture to ``yield from``)."""
    if backend == "sqlite":
        yield from tiny_ledger(workdir, serve_args=serve_args)
        return
    with fresh_pg_database() as url:
        yield from tiny_ledger(workdir, url, serve_args=serve_args)


def pg_server_url() -> str | None:
    return os.environ.get(PG_ENV) or None


def backend_params() -> list[Any]:
    """pytest params for the ledger's databases: SQLite, and PostgreSQL, skipped with the
    reason when ``COUNTERBENCH_TEST_PG`` is not set (so the variant shows, not vanishes)."""
    import pytest

    skip = pytest.mark.skipif(
        not pg_server_url(),
        reason="PostgreSQL variant: set COUNTERBENCH_TEST_PG (as .ci/run does) to run it",
    )
    return [
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="pg", marks=[pytest.mark.pg, skip]),
    ]


def _admin_conninfo(url: str) -> str:
    parsed = make_url(url).set(drivername="postgresql", database="postgres")
    return parsed.render_as_string(hide_password=False)


@contextlib.contextmanager
def fresh_pg_database(server_url: str | None = None) -> Iterator[str]:
    """Create a uniquely named database on the test server; drop it afterwards."""
    import psycopg

    server_url = server_url or pg_server_url()
    if not server_url:
        raise RuntimeError(f"{PG_ENV} is not set")
    name = f"{PG_PREFIX}{os.getpid()}_{uuid.uuid4().hex[:10]}"
    admin = _admin_conninfo(server_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield (
            make_url(server_url)
            .set(drivername="postgresql+psycopg", database=name)
            .render_as_string(hide_password=False)
        )
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
