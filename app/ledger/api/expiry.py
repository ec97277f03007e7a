"""The pickup clock while the ledger serves, on two background threads of its own:

* ``pickup-clock``: every round queues the reminders due and expires the holds that ended;
* ``message-sending``: every round sends the queued customer messages (given a sender).

Sending waits on mail servers and gateways; on its own thread a slow or silent one never
holds up a hold that ends on server time. At shutdown both stop: a sending run finishes
the message in hand and takes no next one.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import Engine

from app import log
from app.ledger.holds import expire_holds
from app.ledger.message_sending import send_messages
from app.ledger.messages import queue_reminders
from app.ledger.senders import MessageSender

_log = log.get("ledger")
STOP_WAIT_S = 40.0  # longer than an SMTP timeout (30 s), so a send in hand can finish


class Ticker:
    """Runs ``work`` every ``every_s`` seconds on a thread of its own until :meth:`stop`.

    ``work`` gets the stop event, to end a long round early. :meth:`wait_rounds` lets a
    caller wait for finished rounds (no sleeping and polling).
    """

    def __init__(self, name: str, every_s: float, work: Callable[[threading.Event], None]) -> None:
        self.name = name
        self.every_s = every_s
        self.stopping = threading.Event()
        self._work = work
        self._rounds = 0
        self._finished = threading.Condition()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    @property
    def rounds(self) -> int:
        """How many rounds have finished."""
        with self._finished:
            return self._rounds

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout_s: float = STOP_WAIT_S) -> None:
        """Ask the thread to stop and wait for it (at most ``timeout_s``)."""
        self.stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=timeout_s)
        if self._thread.is_alive():
            _log.warning("%s did not stop within %.0f s; leaving it behind", self.name, timeout_s)

    def wait_rounds(self, count: int, timeout_s: float) -> bool:
        """Wait until ``count`` rounds have finished; False when ``timeout_s`` ran out."""
        with self._finished:
            return self._finished.wait_for(lambda: self._rounds >= count, timeout=timeout_s)

    def _run(self) -> None:
        while not self.stopping.wait(self.every_s):
            try:
                self._work(self.stopping)
            except Exception:  # keep the clock going; the next round tries again
                _log.exception("%s round failed", self.name)
            with self._finished:
                self._rounds += 1
                self._finished.notify_all()


class PickupClock:
    """The ledger's pickup clock: holds and reminders, and sending (see the module doc)."""

    def __init__(self, engine: Engine, every_s: float, sender: MessageSender | None) -> None:
        self.holds = Ticker("pickup-clock", every_s, lambda _stop: remind_and_expire(engine))
        self.sending: Ticker | None = None
        if sender is not None:
            self.sending = Ticker(
                "message-sending", every_s, lambda stop: send_queued(engine, sender, stop)
            )

    def start(self) -> None:
        self.holds.start()
        if self.sending is not None:
            self.sending.start()

    def stop(self) -> None:
        """Stop both threads, sending first asked (it may be waiting on a mail server)."""
        if self.sending is not None:
            self.sending.stopping.set()
        self.holds.stop()
        if self.sending is not None:
            self.sending.stop()


def expiry_lifespan(
    engine: Engine, every_s: float, sender: MessageSender | None = None
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """A FastAPI lifespan that runs the :class:`PickupClock` every ``every_s`` seconds."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        clock = PickupClock(engine, every_s, sender)
        clock.start()
        try:
            yield
        finally:
            clock.stop()

    return lifespan


def remind_and_expire(engine: Engine) -> None:
    """Queue the reminders due, then expire the holds that ended; each failure is logged
    and the next round tries again."""
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


def send_queued(engine: Engine, sender: MessageSender, stopping: threading.Event) -> None:
    """Send the queued customer messages until done or ``stopping`` is set."""
    try:
        report = send_messages(engine, sender, should_stop=stopping.is_set)
        if report.sent or report.retrying or report.failed or report.skipped or report.stuck:
            _log.info("%s", report.summary())
    except Exception:
        _log.exception("sending customer messages failed")
