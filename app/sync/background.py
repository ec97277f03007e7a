"""Running sync in a background thread: every interval, backing off while it fails."""

from __future__ import annotations

import random
import threading

from app import log
from app.config import SyncSettings
from app.errors import KnownError, NotEnrolled

_log = log.get("sync")


class BackgroundSync:
    """Runs ``sync_once`` in a thread: every ``interval_s``, or soon after ``wake()``;
    after failures it waits with exponential backoff and full jitter, capped."""

    settings: SyncSettings

    def __init__(self) -> None:
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def sync_once(self) -> object:
        """One push and pull; the subclass does the work."""
        raise NotImplementedError

    def start(self) -> None:
        """Sync in a background thread: every interval, with backoff while failing."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="counterbench-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> bool:
        """Stop the background thread (waits, bounded, for a sync in progress to end);
        True when no thread is left running."""
        self._stopping.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def wake(self) -> None:
        """Sync soon (after a local operation)."""
        self._wake.set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            self._wake.clear()  # a wake() from now on (even mid-sync) brings the next sync
            try:
                self.sync_once()
                failures = 0
                delay = self.settings.interval_s
            except NotEnrolled:
                delay = self.settings.interval_s
            except KnownError as exc:
                failures += 1
                delay = self.backoff_delay(failures)
                _log.info("sync failed (%s); next try in %.1f s", exc, delay)
            except Exception:
                failures += 1
                delay = self.backoff_delay(failures)
                _log.exception("sync crashed; next try in %.1f s", delay)
            self._wake.wait(delay)

    def backoff_delay(self, failures: int) -> float:
        """Exponential backoff with full jitter, capped."""
        ceiling = min(self.settings.backoff_cap_s, self.settings.backoff_base_s * 2**failures)
        return random.uniform(0, ceiling)
