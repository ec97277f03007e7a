"""The sync engine: push the outbox, pull changes by cursor, repair by snapshot.

One ``sync_once`` runs at a time per station, across processes too: a round runs only
while this process holds the station's sync lock file, and a process that finds it
taken skips its round (another process is syncing the same cache).

A round pushes pending operations in device_seq order and stores each result in the
outbox; then pulls changes after the cursor, applying each page in one transaction
together with the new cursor; then compares per-scope checksums and re-takes any scope
that disagrees. Only ``device_seq`` and ``ledger_seq`` order anything; device clocks are
recorded, never compared.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from app import log
from app.config import SyncSettings
from app.domain.clock import Clock, utcnow
from app.errors import KnownError, NotEnrolled
from app.storage import device, exceptions, outbox
from app.storage.engine import Database, raw_connection
from app.storage.sync_lock import BUSY_TEXT, SyncLock
from app.sync import mirror, protocol
from app.sync.background import BackgroundSync
from app.sync.client import (
    CertificateProblem,
    GapError,
    LedgerClient,
    PlainHttpRefused,
    ReusedOp,
    UpgradeNeeded,
)
from app.sync.pages import take_snapshots

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


@dataclass
class SyncReport:
    """What one sync did."""

    pushed: int = 0
    applied: int = 0
    rejected: int = 0
    resent: int = 0
    pulled: int = 0
    snapshots: list[str] = field(default_factory=list)
    snapshot_rows: int = 0
    cursor: int = 0
    push_blocked: str = ""
    skipped: str = ""  # why nothing was done (another process is syncing this station)
    push_s: float = 0.0  # wall time pushing, pulling and taking snapshots
    pull_s: float = 0.0
    snapshot_s: float = 0.0


ClientFactory = Callable[[str, str | None, SyncSettings], LedgerClient]


def default_client(url: str, token: str | None, settings: SyncSettings) -> LedgerClient:
    return LedgerClient(url, token=token, settings=settings)


class _Rewind(Exception):
    """The ledger lost history (a restore): re-send and re-take everything."""


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
        self._client_key: tuple[str, str | None] | None = None
        super().__init__()
        self._lock = threading.Lock()  # one round at a time in this process
        self._sync_lock = SyncLock(data_dir)  # ... and across processes
        self.last_report: SyncReport | None = None
        self.note = ""  # why the last round was skipped, for the status bar
        self.blocked = ""  # what stops sync until a person acts (blocked_text)
        self._pruned_at: datetime | None = None
        self._closed = False  # close() was called: a client made from now on is cut at once
        self._skipped_scopes: set[str] = set()  # a newer ledger's scopes, logged once each

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
        client = self._client_for(enrolment.ledger_url)
        report = SyncReport()
        self._mark_attempt()
        try:
            self._push_and_pull(client, enrolment.device_id, report)
            self._prune()
        except Exception as exc:
            self.blocked = blocked_text(exc)
            self._mark_failure(exc)
            raise
        self.blocked = ""
        self._mark_success(report)
        self.last_report = report
        return report

    def _push_and_pull(self, client: LedgerClient, device_id: str, report: SyncReport) -> None:
        """Push then pull; after a rewind (ledger restored) take the fresh snapshots first,
        so re-sent ops show their effect on the restored base, then push and pull again.
        Raise ``LedgerKeepsLosingOps`` rather than rewinding without end."""
        for rewinds in range(_MAX_REWINDS + 1):
            try:
                if rewinds:
                    self._timed_pull(client, report)
                started = time.perf_counter()
                self._push(client, device_id, report)
                report.push_s += time.perf_counter() - started
                self._timed_pull(client, report)
                return
            except _Rewind:
                continue
        _log.error("the ledger lost our ops %d times in one round: giving up", _MAX_REWINDS + 1)
        raise LedgerKeepsLosingOps(_MAX_REWINDS + 1)

    def _timed_pull(self, client: LedgerClient, report: SyncReport) -> None:
        started = time.perf_counter()
        snapshots_before = report.snapshot_s
        self._pull(client, report)
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

    def _client_for(self, url: str) -> LedgerClient:
        token = device.read_token(self.data_dir)
        key = (url, token)
        if self._client is None or self._client_key != key:
            if self._client is not None:
                self._client.close()
            self._client = self._client_factory(url, token, self.settings)
            self._client.clock = self._clock  # sent to the ledger, compared with its own
            self._client_key = key
            if self._closed:  # close() ran while this round was starting
                self._client.abort()
        return self._client

    # --- push ------------------------------------------------------------------------------

    def _push(self, client: LedgerClient, device_id: str, report: SyncReport) -> None:
        with self.db.reading() as session:
            blocked = device.sync_state(session).push_blocked
        if blocked:
            report.push_blocked = blocked
            return
        while True:
            with self.db.reading() as session:
                batch = outbox.pending_batch(session, self.settings.push_batch)
                enrolment = device.enrolment(session)
            if not batch or enrolment is None:
                return
            # an adopted outbox first, in its old device's name (app.ledger.adoption)
            push_as, run = device.push_run(enrolment, [op.device_seq for op in batch])
            batch = batch[:run]
            ops = [
                protocol.PushOp(
                    op_id=op.op_id,
                    device_seq=op.device_seq,
                    type=op.type,
                    payload=op.payload,
                    actor=op.actor,
                    approval=protocol.Approval.model_validate(op.approval) if op.approval else None,
                    device_time=op.device_time,
                    base_ledger_seq=op.base_ledger_seq,
                )
                for op in batch
            ]
            try:
                response = client.push(push_as, ops)
            except GapError as gap:
                if self._on_gap(gap.expected_seq, batch[0].device_seq, report):
                    raise _Rewind() from gap
                return
            except ReusedOp as exc:
                _log.error("pushing stopped: %s", exc)
                with self.db.writing() as session:
                    device.set_sync_state(session, push_blocked=str(exc))
                report.push_blocked = str(exc)
                return
            outcomes = [
                outbox.OpOutcome(
                    op_id=r.op_id,
                    device_seq=r.device_seq,
                    status=r.status.value,
                    ledger_seq=r.ledger_seq,
                    result=r.model_dump(mode="json"),
                )
                for r in response.results
            ]
            with self.db.writing() as session:
                outbox.record_outcomes(session, outcomes, self._clock())
                exceptions.reopen_refused_closes(
                    session, [o.op_id for o in outcomes if o.status == "rejected"]
                )
                device.set_sync_state(session, ledger_applied_seq=response.last_applied_seq)
            report.pushed += len(outcomes)
            report.applied += sum(1 for o in outcomes if o.status == "applied")
            report.rejected += sum(1 for o in outcomes if o.status == "rejected")
            if len(outcomes) < len(batch):
                _log.warning("ledger answered %d of %d ops", len(outcomes), len(batch))
                if not outcomes:
                    return

    def _on_gap(self, expected_seq: int, first_pending: int, report: SyncReport) -> bool:
        """The ledger wants ``expected_seq`` next; if it lost ops we had confirmed, re-send
        (True: rewound)."""
        if expected_seq >= first_pending:
            raise KnownError(
                f"The ledger expects operation {expected_seq} but this station's next is "
                f"{first_pending}.",
                next_step="Call IT support; operations are kept here.",
            )
        return self._ledger_lost(expected_seq, report)

    def _ledger_lost(self, from_seq: int, report: SyncReport) -> bool:
        """The ledger lost our ops from ``from_seq`` on (a restore): re-send them and take
        fresh snapshots (True). If this station no longer keeps every one of them, stop
        sending and say so (False): re-sending around a gap would only meet a 409."""
        with self.db.reading() as session:
            kept = outbox.holds_every_op_from(session, from_seq)
        if not kept:
            message = (
                f"The ledger was restored to before operation {from_seq}, and this station "
                "no longer keeps every operation since then. Sending is stopped. "
                "Call IT support."
            )
            _log.error(message)
            with self.db.writing() as session:
                device.set_sync_state(session, push_blocked=message)
            report.push_blocked = message
            return False
        _log.warning(
            "ledger lost device_seq %d and later: ledger restored; "
            "re-sending from there and taking fresh snapshots",
            from_seq,
        )
        self._rewind(from_seq, report)
        return True

    def _rewind(self, from_seq: int, report: SyncReport) -> None:
        with self.db.writing() as session:
            report.resent += outbox.repend_from(session, from_seq)
            device.set_sync_state(session, cursor=0, snapshot_done=False)

    # --- pull ------------------------------------------------------------------------------

    def _pull(self, client: LedgerClient, report: SyncReport) -> None:
        with self.db.reading() as session:
            state = device.sync_state(session)
            cursor, snapshot_done = state.cursor, state.snapshot_done
        if not snapshot_done:
            cursor = self._initial_snapshots(client, report)
        checked = False
        while True:
            response = client.pull(cursor, self.settings.pull_page)
            self._check_restore(response, cursor, report)
            with self.db.writing() as session:
                report.pulled += mirror.apply_changes(
                    raw_connection(session),
                    mirror.known_changes(response.changes, self._skipped_scopes),
                )
                device.set_sync_state(session, cursor=response.cursor)
                outbox.drop_pulled_effects(session, response.cursor)
            cursor = response.cursor
            if response.has_more:
                continue
            if checked:
                break
            checked = True
            mismatched = self._mismatched_scopes(response.checksums)
            if not mismatched:
                break
            for scope in mismatched:
                _log.warning("checksum of %s differs from the ledger: taking a snapshot", scope)
                as_of = self._snapshots(client, [scope], report)
                cursor = min(cursor, as_of)
            with self.db.writing() as session:
                device.set_sync_state(session, cursor=cursor)
        report.cursor = cursor

    def _check_restore(
        self, response: protocol.PullResponse, cursor: int, report: SyncReport
    ) -> None:
        """Detect a ledger restored from a backup: it holds fewer of our ops, or its
        sequence went back. Then re-send and re-take everything (raises ``_Rewind``)."""
        with self.db.reading() as session:
            confirmed = outbox.max_confirmed_seq(session)
            blocked = device.sync_state(session).push_blocked
        if blocked:
            return
        if response.last_applied_seq < confirmed:
            if self._ledger_lost(response.last_applied_seq + 1, report):
                raise _Rewind()
            return
        if response.cursor < cursor:
            _log.warning("ledger cursor went back (%d < %d): re-taking", response.cursor, cursor)
            self._rewind(confirmed + 1, report)
            raise _Rewind()

    def _mismatched_scopes(self, remote: dict[str, str]) -> list[protocol.Scope]:
        """Scopes whose checksum differs from the ledger's (scopes not kept here skipped)."""
        if not remote:
            return []
        known = [
            (mirror.kept_scope(name, self._skipped_scopes), value) for name, value in remote.items()
        ]
        with self.db.reading() as session:
            conn = raw_connection(session)
            return [
                scope
                for scope, value in known
                if scope is not None and mirror.scope_checksum(conn, scope) != value
            ]

    # --- snapshots -------------------------------------------------------------------------

    def _initial_snapshots(self, client: LedgerClient, report: SyncReport) -> int:
        as_of = self._snapshots(client, list(protocol.Scope), report)
        with self.db.writing() as session:
            device.set_sync_state(session, cursor=as_of, snapshot_done=True)
        return as_of

    def _snapshots(
        self, client: LedgerClient, scopes: list[protocol.Scope], report: SyncReport
    ) -> int:
        """Replace scopes from paged snapshots; return the seq to pull from afterwards."""
        taken = take_snapshots(self.db, client, scopes, self.settings.snapshot_page)
        report.snapshot_rows += taken.rows
        report.snapshots += taken.scopes
        report.snapshot_s += taken.seconds
        return taken.as_of

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
