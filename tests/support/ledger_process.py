"""Ledger server processes forked from one that has imported the ledger already.

``python -m app.commands.ledger serve`` spends most of its start (over a second on a busy
2-core machine) importing FastAPI, pydantic, SQLAlchemy and the ledger's modules, and the
suite starts a ledger a few hundred times. A multiprocessing fork server imports them once
per test process; each ledger is then a fork of it that runs the same
``app.commands.ledger.main`` with the same arguments, environment, working directory and
log file as the command would. It is a real process of its own: a test can SIGKILL it, its
port closes when it dies, and it shares nothing with the test process.

``ForkedServer`` gives it the part of ``subprocess.Popen`` that ``RunningLedger`` uses.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from multiprocessing.context import ForkServerContext, ForkServerProcess
from pathlib import Path

# Imported once in the fork server, so that a forked ledger starts with them loaded.
PRELOAD = [
    "app.commands.ledger",
    "app.ledger.api.app",
    "app.ledger.api.limits",
    "app.ledger.parcel_booking",
    "app.ledger.migrate",
    "app.ledger.db",
    "app.ledger.seed",
    "uvicorn",
    "uvicorn.protocols.http.h11_impl",
    "uvicorn.protocols.websockets.auto",
    "uvicorn.lifespan.on",
    "uvicorn.loops.asyncio",
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.postgresql",
    "psycopg",
]


def _context() -> ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    assert isinstance(context, ForkServerContext)
    context.set_forkserver_preload(PRELOAD)  # no effect once the fork server runs
    return context


def _serve(argv: list[str], env: dict[str, str], cwd: str, log_path: str) -> None:
    """In the forked process: become ``python -m app.commands.ledger ARGV`` and run it."""
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    sys.argv = [str(Path(cwd) / "app" / "commands" / "ledger.py"), *argv]
    from app.commands.ledger import main

    sys.exit(main(argv))


class ForkedServer:
    """A forked ledger process with the ``Popen`` calls ``RunningLedger`` makes."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path, log_path: Path) -> None:
        self.args = argv
        self._process: ForkServerProcess = _context().Process(
            target=_serve, args=(argv, env, str(cwd), str(log_path)), daemon=True
        )
        self._process.start()
        assert self._process.pid is not None
        self.pid: int = self._process.pid

    def poll(self) -> int | None:
        return self._process.exitcode

    def send_signal(self, signal: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signal)

    def wait(self, timeout: float | None = None) -> int:
        self._process.join(timeout)
        code = self._process.exitcode
        if code is None:
            raise subprocess.TimeoutExpired(self.args, timeout or 0.0)
        return code
