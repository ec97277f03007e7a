"""The pickup clock while the ledger serves (a background thread): every round queues the
reminders due, expires the holds that ended, then sends the queued customer messages."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import Engine

from app import log
from app.ledger.dispatch import send_messages
from app.ledger.holds import expire_holds
from app.ledger.messages import queue_reminders
from app.ledger.senders import MessageSender

_log = log.get("ledger")


def expiry_lifespan(
    engine: Engine, every_s: float, sender: MessageSender | None = None
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """A FastAPI lifespan that runs :func:`pickup_clock_round` every ``every_s`` seconds."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        thread = threading.Thread(
            target=_run, args=(engine, every_s, stop, sender), name="hold-expiry", daemon=True
        )
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(timeout=10)

    return lifespan


def _run(
    engine: Engine, every_s: float, stop: threading.Event, sender: MessageSender | None
) -> None:
    while not stop.wait(every_s):
        pickup_clock_round(engine, sender)


def pickup_clock_round(engine: Engine, sender: MessageSender | None) -> None:
    """Reminders, expiry, then sending (when a sender is given); each failure is logged and
    the next round tries again."""
    try:
        reminded = queue_reminders(engine)
        if reminded:
            _log.info("pickup reminders queued: %s", ", ".join(reminded))
    except Exception:  # keep serving
        _log.exception("queueing pickup reminders failed")
    try:
        expired = expire_holds(engine)
        if expired:
            _log.info("pickup holds expired: %s", ", ".join(expired))
    except Exception:
        _log.exception("pickup hold expiry failed")
    if sender is None:
        return
    try:
        report = send_messages(engine, sender)
        if report.sent or report.retrying or report.failed or report.stuck:
            _log.info("%s", report.summary())
    except Exception:
        _log.exception("sending customer messages failed")
