"""The periodic pickup hold expiry while the ledger serves (a background thread)."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import Engine

from app import log
from app.ledger.holds import expire_holds

_log = log.get("ledger")


def expiry_lifespan(
    engine: Engine, every_s: float
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """A FastAPI lifespan that expires pickup holds every ``every_s`` seconds."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        thread = threading.Thread(
            target=_run, args=(engine, every_s, stop), name="hold-expiry", daemon=True
        )
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(timeout=10)

    return lifespan


def _run(engine: Engine, every_s: float, stop: threading.Event) -> None:
    while not stop.wait(every_s):
        try:
            expired = expire_holds(engine)
        except Exception:  # keep serving; the next round tries again
            _log.exception("pickup hold expiry failed")
            continue
        if expired:
            _log.info("pickup holds expired: %s", ", ".join(expired))
