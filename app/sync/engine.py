"""The sync round: push the outbox, then pull changes by cursor, one round at a time.

One ``sync_once`` runs at a time per station, across processes too: a round runs only
while this process holds the station's sync lock file, and a process that finds it
taken skips its round (another process is syncing the same cache).

A round pushes pending operations (app.sync.pushing), then pulls changes and repairs
scopes by snapshot (app.sync.pulling). When the ledger turns out restored from a backup
the round starts over, a bounded number of times. Only ``device_seq`` and ``ledger_seq``
order anything; device clocks are recorded, never compared.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from app import log
from app.config import SyncSettings
from app.domain.clock import Clock, utcnow
from app.errors import KnownError, NotEnrolled
from app.storage import device, outbox
from app.storage.engine import Database
from app.storage.sync_lock import BUSY_TEXT, SyncLock
from app.sync.background import BackgroundSync
from app.sync.client import CertificateProblem, LedgerClient, PlainHttpRefused, UpgradeNeeded
from app.sync.invoice_topup import top_up_numbers
from app.sync.pulling import Puller
from app.sync.pushing import LedgerRestored, Pusher
from app.sync.report import SyncReport

__all__ = [
    "BLOCKED_TEXTS",
    "PRUNE_EVERY",
    "ClientFactory",
    "LedgerKeepsLosingOps",
    "SyncBusy",
    "SyncEngine",
    "SyncReport",
    "blocked_text",
    "default_client",
]

_log = log.get("sync")
_MAX_REWINDS = 3
PRUNE_EVERY = timedelta(hours=1)
# Failures waiting will not mend: the status bar names them instead of "Offline".
BLOCKED_TEXTS: tuple[tuple[type[Exception], str], ...] = (
    (UpgradeNeeded, "Update this terminal"),
    (CertificateProblem, "Ledger certificate not trusted"),
    (PlainHttpRefused, "Ledger address not allowed"),
)


def blocked_text(exc: BaseException) -> str:
    """What stops sync until a person acts, in a few words ("" for a network outage)."""
    return next((text for kind, text in BLOCKED_TEXTS if isinstance(exc, kind)), "")


ClientFactory = Callable[[str, str | None, SyncSettings], LedgerClient]


def default_client(url: str, token: str | None, settings: SyncSettings) -> LedgerClient:
    return LedgerClient(url, token=token, settings=settings)


class LedgerKeepsLosingOps(KnownError):
    """The ledger looked restored again and again within one sync round."""

    def __init__(self, rewinds: int) -> None:
        super().__init__(
            f"The ledger lost this station's operations {rewinds} times during one sync, "
            "so sending was stopped for now.",
            next_step="Operations are kept here and sent again later. "
            "Call IT support if this message stays.",
        )


class SyncBusy(KnownError):
    """Another process (or thread) kept this station's sync lock too long."""


class SyncEngine(BackgroundSync):
    """Keeps the station cache and the ledger in step, on demand or in the background."""

    def __init__(
        self,
        *,
        db: Database,
        data_dir: Path,
        settings: SyncSettings | None = None,
        client_factory: ClientFactory = default_client,
        clock: Clock = utcnow,
    ) -> None:
        self.db = db
        self.data_dir = data_dir
        self.settings = settings or SyncSettings()
        self._client_factory = client_factory
        self._clock = clock
        self._client: LedgerClient | None = None
        self._client_key: tuple[str, str, datetime] | None = None  # the enrolment it is for
        super().__init__()
        self._lock = threading.Lock()  # one round at a time in this process
        self._sync_lock = SyncLock(data_dir)  # ... and across processes
        self.last_report: SyncReport | None = None
        self.note = ""  # why the last round was skipped, for the status bar
        self.blocked = ""  # what stops sync until a person acts (blocked_text)
        self._pruned_at: datetime | None = None
        self._closed = False  # close() was called: a client made from now on is cut at once
        self._pusher = Pusher(db=db, settings=self.settings, clock=clock)
        # called with the ledger's client after every push (e.g. booking packed parcels)
        self.after_push: list[Callable[[LedgerClient], object]] = []
        self._puller = Puller(db=db, settings=self.settings)

    # --- one pass --------------------------------------------------------------------------

    def sync_once(self) -> SyncReport:
        """Push, then pull (snapshots first if the cache is new). Raises KnownError.

        When another process is syncing this station, do nothing and say so in
        ``report.skipped`` (and in ``note``).
        """
        with self._lock:
            if not self._sync_lock.acquire():
                _log.info("sync round skipped: %s", BUSY_TEXT)
                self.note = BUSY_TEXT
                return SyncReport(skipped=BUSY_TEXT)
            try:
                self.note = ""
                return self._sync_round()
            finally:
                self._sync_lock.release()

    @contextmanager
    def exclusive(self, wait_s: float = 30.0) -> Iterator[None]:
        """Hold this station's sync (in this process and across processes) for a change
        that must not meet a sync round, such as re-enrolling. Raises ``SyncBusy``."""
        if not self._lock.acquire(timeout=wait_s):
            raise SyncBusy("This station is busy syncing.", next_step="Try again in a minute.")
        try:
            if not self._sync_lock.acquire_within(wait_s):
                raise SyncBusy(
                    f"{BUSY_TEXT[0].upper()}{BUSY_TEXT[1:]}.",
                    next_step="Close the other Counterbench window or stop "
                    "'counterbench station sync --watch', then try again.",
                )
            try:
                yield
            finally:
                self._sync_lock.release()
        finally:
            self._lock.release()

    def _sync_round(self) -> SyncReport:
        with self.db.reading() as session:
            enrolment = device.enrolment(session)
        if enrolment is None:
            raise NotEnrolled(
                "This station is not enrolled yet.",
                next_step="Enrol it with a code from IT: counterbench station enrol.",
            )
        client = self._client_for(enrolment)
        report = SyncReport()
        self._mark_attempt()
        try:
            self._push_and_pull(client, enrolment, report)
            top_up_numbers(self.db, client, enrolment, self._clock())
            self._prune()
        except Exception as exc:
            self.blocked = blocked_text(exc)
            self._mark_failure(exc)
            raise
        self.blocked = ""
        self._mark_success(report)
        self.last_report = report
        return report

    def _push_and_pull(
        self, client: LedgerClient, enrolment: device.Enrolment, report: SyncReport
    ) -> None:
        """Push then pull; after a rewind (ledger restored) take the fresh snapshots first,
        so re-sent ops show their effect on the restored base, then push and pull again.
        Raise ``LedgerKeepsLosingOps`` rather than rewinding without end."""
        for rewinds in range(_MAX_REWINDS + 1):
            try:
                if rewinds:
                    self._timed_pull(client, report)
                started = time.perf_counter()
                self._pusher.push(client, enrolment, report)
                report.push_s += time.perf_counter() - started
                self._after_push(client)
                self._timed_pull(client, report)
                return
            except LedgerRestored:
                continue
        _log.error("the ledger lost our ops %d times in one round: giving up", _MAX_REWINDS + 1)
        raise LedgerKeepsLosingOps(_MAX_REWINDS + 1)

    def _after_push(self, client: LedgerClient) -> None:
        """What waits for the pushed ops to be on the ledger (parcels to book)."""
        for hook in self.after_push:
            try:
                hook(client)
            except KnownError as exc:  # it waits for the next round
                _log.info("after push: %s", exc)

    def _timed_pull(self, client: LedgerClient, report: SyncReport) -> None:
        started = time.perf_counter()
        snapshots_before = report.snapshot_s
        self._puller.pull(client, report)
        report.pull_s += time.perf_counter() - started - (report.snapshot_s - snapshots_before)

    def close(self, timeout: float = 10.0) -> bool:
        """Stop background sync, cutting a request in flight, and close the HTTP client;
        True when the sync thread ended within ``timeout`` seconds."""
        self._closed = True
        self._stopping.set()
        self._wake.set()
        client = self._client
        if client is not None:
            client.abort()
        ended = self.stop(timeout)
        if ended and self._client is not None:
            self._client.close()
            self._client = None
        return ended

    def _prune(self) -> None:
        """Forget old confirmed ops, at most once an hour."""
        now = self._clock()
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
            return
        with self.db.writing() as session:
            outbox.prune(session, now)
        self._pruned_at = now

    def _client_for(self, enrolment: device.Enrolment) -> LedgerClient:
        """The client for this enrolment; the token is read from the keyring only when the
        enrolment changes (a re-enrolment writes row and token under ``exclusive``)."""
        key = (enrolment.ledger_url, enrolment.device_id, enrolment.enrolled_at)
        if self._client is None or self._client_key != key:
            if self._client is not None:
                self._client.close()
            token = device.read_token(self.data_dir)
            self._client = self._client_factory(enrolment.ledger_url, token, self.settings)
            self._client.clock = self._clock  # sent to the ledger, compared with its own
            self._client_key = key
            if self._closed:  # close() ran while this round was starting
                self._client.abort()
        return self._client

    # --- state -----------------------------------------------------------------------------

    def _mark_attempt(self) -> None:
        with self.db.writing() as session:
            device.set_sync_state(session, last_attempt_at=self._clock())

    def _mark_success(self, report: SyncReport) -> None:
        with self.db.writing() as session:
            device.set_sync_state(
                session,
                online=True,
                last_sync_at=self._clock(),
                last_error=report.push_blocked,
                clock_skew_s=self._clock_skew_s(),
            )

    def _mark_failure(self, exc: BaseException) -> None:
        text = str(exc) if isinstance(exc, KnownError) else f"Sync failed: {exc!r}"
        if not isinstance(exc, KnownError):
            _log.exception("sync failed")
        with self.db.writing() as session:
            device.set_sync_state(
                session, online=False, last_error=text, clock_skew_s=self._clock_skew_s()
            )

    def _clock_skew_s(self) -> float | None:
        """How far this station's clock is off the ledger's, as the last answer showed."""
        return getattr(self._client, "clock_skew_s", None)
