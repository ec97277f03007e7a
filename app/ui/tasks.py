"""Background task runner: the GUI thread never waits on SQLite or HTTP.

Database work runs on one worker thread, network and printing on another (one
``QThreadPool`` each, one thread per pool, so work of one kind runs in order). Results
and errors come back to the GUI thread by a queued signal. A ``KnownError`` goes to the
caller's ``on_error``; anything else is a bug: it is logged with its traceback, announced
on ``unexpected_error`` (the main window shows the crash dialog) and the caller's
``on_error`` hears a plain "something went wrong" so the screen can stop waiting.
At shutdown ``close()`` drops queued work and refuses new work; ``wait()`` waits, bounded,
for the running tasks (any thread may call it).
"""

from __future__ import annotations

import itertools
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from app import log
from app.errors import KnownError

logger = log.get("ui")

DoneCallback = Callable[[Any], None]
ErrorCallback = Callable[[KnownError], None]

UNEXPECTED = KnownError(
    "Something unexpected went wrong.",
    next_step="Try again. If it keeps happening, call support: the details are in the log.",
)


@dataclass(frozen=True)
class _Callbacks:
    on_done: DoneCallback | None
    on_error: ErrorCallback | None
    forgotten: bool = False  # asked before a log-out: its answer goes to nobody


class _Job(QRunnable):
    """Runs one call on a worker thread and reports through the runner's signal."""

    def __init__(self, runner: TaskRunner, task_id: int, fn: Callable[..., Any], args: Any):
        super().__init__()
        self.setAutoDelete(True)
        self._runner = runner
        self._task_id = task_id
        self._fn = fn
        self._args = args

    def run(self) -> None:
        try:
            result = self._fn(*self._args)
        except Exception as exc:  # every failure must reach the GUI thread
            self._runner._finished.emit(self._task_id, None, exc)
        else:
            self._runner._finished.emit(self._task_id, result, None)


class TaskRunner(QObject):
    """Runs service calls off the GUI thread and delivers their outcome on it."""

    known_error = Signal(object)  # a KnownError nobody asked to handle
    unexpected_error = Signal(str, str)  # summary, traceback text
    busy_changed = Signal(bool)

    _finished = Signal(int, object, object)  # task id, result, exception

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = QThreadPool(self)
        self._db.setMaxThreadCount(1)
        self._net = QThreadPool(self)
        self._net.setMaxThreadCount(1)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Callbacks] = {}
        self._closed = False
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    def run_db(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
    ) -> int:
        """Run ``fn(*args)`` on the database worker; returns the task id."""
        return self._start(self._db, fn, args, on_done, on_error)

    def run_net(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
    ) -> int:
        """Run ``fn(*args)`` on the network and printing worker; returns the task id."""
        return self._start(self._net, fn, args, on_done, on_error)

    def is_busy(self) -> bool:
        """Whether any task has not yet reported back."""
        return bool(self._pending)

    def forget_answers(self) -> None:
        """Let every task started so far finish unheard: no callback of theirs runs, and
        their known errors go nowhere (a bug is still announced). At a log-out, so nothing
        the last person started shows up for the next one."""
        self._pending = {task: _Callbacks(None, None, forgotten=True) for task in self._pending}

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Drop queued work and wait for running tasks; True when both workers stopped."""
        self.close()
        return self.wait(timeout_ms)

    def close(self) -> None:
        """Refuse new work and drop what is queued; running tasks go on to their end,
        unheard. Call it on the GUI thread."""
        self._closed = True
        self._db.clear()
        self._net.clear()
        if self._pending:  # nobody waits for answers any more, dropped or running
            self._pending.clear()
            self.busy_changed.emit(False)

    def wait(self, timeout_ms: int) -> bool:
        """Wait at most ``timeout_ms`` in all for both workers; True when both are idle."""
        deadline = time.monotonic() + timeout_ms / 1000
        for pool in (self._db, self._net):
            left_ms = max(0, round((deadline - time.monotonic()) * 1000))
            if not pool.waitForDone(left_ms):
                return False
        return True

    def _start(
        self,
        pool: QThreadPool,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        on_done: DoneCallback | None,
        on_error: ErrorCallback | None,
    ) -> int:
        task_id = next(self._ids)
        if self._closed:
            logger.debug("task %d refused: the terminal is shutting down", task_id)
            return task_id
        was_idle = not self._pending
        self._pending[task_id] = _Callbacks(on_done, on_error)
        pool.start(_Job(self, task_id, fn, args))
        if was_idle:
            self.busy_changed.emit(True)
        return task_id

    @Slot(int, object, object)
    def _on_finished(self, task_id: int, result: Any, error: Exception | None) -> None:
        callbacks = self._pending.pop(task_id, _Callbacks(None, None))
        if not self._pending:
            self.busy_changed.emit(False)
        if error is None:
            if _alive(callbacks.on_done):
                callbacks.on_done(result)  # type: ignore[misc]
            return
        if isinstance(error, KnownError):
            known = error
        else:
            text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
            logger.error("Unexpected error in a background task:\n%s", text)
            self.unexpected_error.emit(f"{type(error).__name__}: {error}", text)
            known = UNEXPECTED
        if callbacks.on_error is not None:
            if _alive(callbacks.on_error):
                callbacks.on_error(known)
        elif known is not UNEXPECTED and not callbacks.forgotten:
            self.known_error.emit(known)


def _alive(callback: Callable[..., Any] | None) -> bool:
    """False for no callback, or a bound method of a widget Qt has already deleted."""
    if callback is None:
        return False
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)
