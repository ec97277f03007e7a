"""Gathering the pushes that arrive together, so that they share one transaction.

Every push request runs on a thread of its own (the web server's pool). A push of only
counts, by a station for itself, on PostgreSQL, joins the :class:`PushQueue`; the rest go
straight to :func:`app.ledger.push.push`. At most ``runners`` threads apply groups at a
time: one takes from the front of the queue up to ``most`` pushes, one per station and
store (the others wait for the next group, so a store's pushes stay in arrival order),
applies them with :func:`app.ledger.push_together.push_together`, and hands each waiting
thread its answer. A thread whose own push was answered passes the runner's part to the
oldest waiting thread and returns. A push that finds a runner free is applied at once:
the queue adds no wait when the ledger is quiet.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field

from sqlalchemy import Engine

from app.ledger.devices import DeviceRef
from app.ledger.op_types import LEDGER_OP_TYPES, Registry
from app.ledger.push import push
from app.ledger.push_together import Outcome, Pushed, apply_alone, groupable, push_together
from app.sync.protocol import PushRequest, PushResponse

RUNNERS = 1  # groups applied at once per process
MOST = 32  # pushes in one group


@dataclass(eq=False)  # one waiting push is only ever equal to itself
class _Waiting:
    pushed: Pushed
    woken: threading.Event = field(default_factory=threading.Event)
    running: bool = False  # this thread applies groups now
    outcome: Outcome | None = None


class PushQueue:
    """Applies pushes, those that arrive together in groups (see the module's words)."""

    def __init__(
        self,
        engine: Engine,
        *,
        runners: int = RUNNERS,
        most: int = MOST,
        registry: Registry = LEDGER_OP_TYPES,
    ) -> None:
        self.engine = engine
        self.registry = registry
        self._runners = runners
        self._most = most
        self._lock = threading.Lock()
        self._queue: deque[_Waiting] = deque()
        self._running = 0
        self._busy: set[int] = set()  # stores in a group being applied now

    def push(self, device: DeviceRef, request: PushRequest) -> PushResponse:
        """Apply ``request`` for ``device``; raises as :func:`app.ledger.push.push` does."""
        if not self._groups(device, request):
            return push(self.engine, device, request, self.registry)
        me = _Waiting(Pushed(device, request))
        with self._lock:
            self._queue.append(me)
            if self._running < self._runners:
                self._running += 1
                me.running = True
        try:
            while me.outcome is None:
                if me.running:
                    self._run_next(me)
                else:
                    me.woken.wait()
                    me.woken.clear()
        finally:  # even when this thread is stopped: another takes over the running
            if me.running:
                self._hand_on(me)
        if isinstance(me.outcome, Exception):
            raise me.outcome
        return me.outcome

    def _groups(self, device: DeviceRef, request: PushRequest) -> bool:
        return self.engine.dialect.name == "postgresql" and groupable(Pushed(device, request))

    def _run_next(self, me: _Waiting) -> None:
        """Apply the group at the front of the queue. With nothing to take (``me`` is in
        a group another thread applies, or every queued store is being written), stop
        running and wait: the thread applying a group hands on when it is done."""
        with self._lock:
            group = self._take()
            if not group:
                me.running = False
                self._running -= 1
                return
        outcomes: list[Outcome] = [_stopped() for _ in group]  # never leave one waiting
        try:
            outcomes = self._apply([waiting.pushed for waiting in group])
        except Exception as failure:
            outcomes = [failure] * len(group)
        finally:
            with self._lock:
                self._busy -= {waiting.pushed.device.location_id for waiting in group}
            self._answer(group, outcomes)

    def _apply(self, group: list[Pushed]) -> list[Outcome]:
        if len(group) == 1:  # alone, exactly as without the queue
            return [apply_alone(self.engine, group[0], self.registry)]
        return push_together(self.engine, group, self.registry)

    @staticmethod
    def _answer(group: list[_Waiting], outcomes: list[Outcome]) -> None:
        for waiting, outcome in zip(group, outcomes, strict=True):
            waiting.outcome = outcome
            waiting.woken.set()

    def _take(self) -> list[_Waiting]:
        """The next group: from the front of the queue, one push per station and store."""
        group: list[_Waiting] = []
        stations: set[str] = set()
        stores: set[int] = set()
        for waiting in list(self._queue):
            device = waiting.pushed.device
            taken = device.location_id in stores or device.location_id in self._busy
            if taken or device.device_id in stations:
                continue
            group.append(waiting)
            stations.add(device.device_id)
            stores.add(device.location_id)
            if len(group) == self._most:
                break
        for waiting in group:
            self._queue.remove(waiting)
        self._busy |= stores
        return group

    def _hand_on(self, me: _Waiting) -> None:
        """``me`` stops running groups: the oldest waiting thread runs them instead."""
        with self._lock:
            me.running = False
            successor = next((w for w in self._queue if not w.running), None)
            if successor is None:
                self._running -= 1
                return
            successor.running = True
        successor.woken.set()


def _stopped() -> Exception:
    return RuntimeError("The ledger stopped before it applied this push; it is sent again.")
