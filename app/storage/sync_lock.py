"""One syncing process per station: an OS file lock on ``sync.lock`` in the data dir.

The GUI and ``counterbench station sync --watch`` may run on the same data directory.
Their sync rounds must not interleave (one would see ops the other just confirmed and
take the ledger for restored), so a round runs only while this lock is held. The OS
drops the lock when its holder exits, even by SIGKILL or a power cut, so a crashed
process never leaves the station unable to sync. Locks are per open file, so two
``SyncLock`` objects in one process exclude each other as two processes would.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

LOCK_FILE = "sync.lock"
BUSY_TEXT = "another Counterbench process is syncing this station"


class SyncLock:
    """A non-blocking exclusive lock on ``<data_dir>/sync.lock``."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_FILE
        self._fd: int | None = None
        self._guard = threading.Lock()

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        """Take the lock if no other holder has it; True when taken (or already held)."""
        with self._guard:
            if self._fd is not None:
                return True
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            if not _try_lock(fd):
                os.close(fd)
                return False
            self._fd = fd
            return True

    def acquire_within(self, seconds: float, poll_s: float = 0.05) -> bool:
        """Take the lock, waiting up to ``seconds`` for another holder to let go."""
        deadline = time.monotonic() + seconds
        while not self.acquire():
            if time.monotonic() >= deadline:
                return False
            time.sleep(poll_s)
        return True

    def release(self) -> None:
        with self._guard:
            if self._fd is None:
                return
            fd, self._fd = self._fd, None
            _unlock(fd)
            os.close(fd)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
