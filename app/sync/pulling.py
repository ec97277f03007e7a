"""Pulling the ledger's changes by cursor into the station cache.

Each page is applied in one transaction together with the new cursor. After the last
page, per-scope checksums are compared and any scope that disagrees is taken again from
a snapshot; a new cache takes snapshots of every scope first. A ledger restored from a
backup (it holds fewer of our ops, or its cursor went back) is noticed here and raises
``LedgerRestored`` after putting the lost ops back to re-send.
"""

from __future__ import annotations

from app import log
from app.config import SyncSettings
from app.storage import device, outbox
from app.storage.engine import Database, raw_connection
from app.sync import mirror, protocol
from app.sync.client import LedgerClient
from app.sync.pages import take_snapshots
from app.sync.pushing import LedgerRestored, resend_after_restore, resend_from
from app.sync.report import SyncReport

_log = log.get("sync")


class Puller:
    """Brings the station cache up to the ledger: changes by cursor, snapshots to repair."""

    def __init__(self, *, db: Database, settings: SyncSettings) -> None:
        self._db = db
        self._settings = settings
        self._skipped_scopes: set[str] = set()  # a newer ledger's scopes, logged once each

    def pull(self, client: LedgerClient, report: SyncReport) -> None:
        """Pull every change after the cursor, then repair scopes whose checksum differs.

        Raises ``LedgerRestored`` when the ledger looks restored from a backup.
        """
        with self._db.reading() as session:
            state = device.sync_state(session)
            cursor, snapshot_done = state.cursor, state.snapshot_done
        if not snapshot_done:
            cursor = self._initial_snapshots(client, report)
        checked = False
        while True:
            cursor, has_more, checksums = self._pull_page(client, cursor, report)
            if has_more:
                continue
            if checked:
                break
            checked = True
            mismatched = self._mismatched_scopes(checksums)
            if not mismatched:
                break
            cursor = self._repair(client, mismatched, cursor, report)
        report.cursor = cursor

    def _pull_page(
        self, client: LedgerClient, cursor: int, report: SyncReport
    ) -> tuple[int, bool, dict[str, str]]:
        """Apply one page of changes with its cursor; return (cursor, has_more, checksums)."""
        response = client.pull(cursor, self._settings.pull_page)
        self._check_restore(response, cursor, report)
        with self._db.writing() as session:
            report.pulled += mirror.apply_changes(
                raw_connection(session),
                mirror.known_changes(response.changes, self._skipped_scopes),
            )
            device.set_sync_state(session, cursor=response.cursor)
            outbox.drop_pulled_effects(session, response.cursor)
        return response.cursor, response.has_more, response.checksums

    def _repair(
        self,
        client: LedgerClient,
        mismatched: list[protocol.Scope],
        cursor: int,
        report: SyncReport,
    ) -> int:
        """Take a snapshot of each scope that differs; return the cursor to pull from next."""
        for scope in mismatched:
            _log.warning("checksum of %s differs from the ledger: taking a snapshot", scope)
            as_of = self._snapshots(client, [scope], report)
            cursor = min(cursor, as_of)
        with self._db.writing() as session:
            device.set_sync_state(session, cursor=cursor)
        return cursor

    def _check_restore(
        self, response: protocol.PullResponse, cursor: int, report: SyncReport
    ) -> None:
        """Detect a ledger restored from a backup: it holds fewer of our ops, or its
        sequence went back. Then re-send and re-take everything (raises ``LedgerRestored``)."""
        with self._db.reading() as session:
            confirmed = outbox.max_confirmed_seq(session)
            blocked = device.sync_state(session).push_blocked
        if blocked:
            return
        if response.last_applied_seq < confirmed:
            if resend_after_restore(self._db, response.last_applied_seq + 1, report):
                raise LedgerRestored()
            return
        if response.cursor < cursor:
            _log.warning("ledger cursor went back (%d < %d): re-taking", response.cursor, cursor)
            resend_from(self._db, confirmed + 1, report)
            raise LedgerRestored()

    def _mismatched_scopes(self, remote: dict[str, str]) -> list[protocol.Scope]:
        """Scopes whose checksum differs from the ledger's (scopes not kept here skipped)."""
        if not remote:
            return []
        known = [
            (mirror.kept_scope(name, self._skipped_scopes), value) for name, value in remote.items()
        ]
        with self._db.reading() as session:
            conn = raw_connection(session)
            return [
                scope
                for scope, value in known
                if scope is not None and mirror.scope_checksum(conn, scope) != value
            ]

    def _initial_snapshots(self, client: LedgerClient, report: SyncReport) -> int:
        as_of = self._snapshots(client, list(protocol.Scope), report)
        with self._db.writing() as session:
            device.set_sync_state(session, cursor=as_of, snapshot_done=True)
        return as_of

    def _snapshots(
        self, client: LedgerClient, scopes: list[protocol.Scope], report: SyncReport
    ) -> int:
        """Replace scopes from paged snapshots; return the seq to pull from afterwards."""
        taken = take_snapshots(self._db, client, scopes, self._settings.snapshot_page)
        report.snapshot_rows += taken.rows
        report.snapshots += taken.scopes
        report.snapshot_s += taken.seconds
        return taken.as_of
