"""Sending the outbox: pending operations in device_seq order, each result stored.

When the ledger turns out to have lost operations this station had confirmed (it was
restored from a backup), they are put back as pending and sent again, and the round
starts over with fresh snapshots (``LedgerRestored``).
"""

from __future__ import annotations

from app import log
from app.config import SyncSettings
from app.domain.clock import Clock
from app.errors import KnownError
from app.storage import device, exceptions, outbox
from app.storage.engine import Database
from app.sync import protocol
from app.sync.client import GapError, LedgerClient, ReusedOp
from app.sync.report import SyncReport

_log = log.get("sync")


class LedgerRestored(Exception):
    """The ledger lost history (a restore): re-send and re-take everything."""


class Pusher:
    """Sends this station's pending operations to the ledger."""

    def __init__(self, *, db: Database, settings: SyncSettings, clock: Clock) -> None:
        self._db = db
        self._settings = settings
        self._clock = clock

    def push(self, client: LedgerClient, enrolment: device.Enrolment, report: SyncReport) -> None:
        """Send pending ops batch by batch, for ``enrolment`` (it cannot change during a
        round: re-enrolling holds the sync), until none are left or sending stops.

        Raises ``LedgerRestored`` when the ledger lost ops and they were put back to re-send.
        """
        with self._db.reading() as session:
            blocked = device.sync_state(session).push_blocked
        if blocked:
            report.push_blocked = blocked
            return
        while self._push_batch(client, enrolment, report):
            pass

    def _push_batch(
        self, client: LedgerClient, enrolment: device.Enrolment, report: SyncReport
    ) -> bool:
        """Send one batch and store its results; True when another batch may follow."""
        with self._db.reading() as session:
            batch = outbox.pending_batch(session, self._settings.push_batch)
        if not batch:
            return False
        # an adopted outbox first, in its old device's name (app.ledger.adoption)
        push_as, run = device.push_run(enrolment, [op.device_seq for op in batch])
        batch = batch[:run]
        try:
            response = client.push(push_as, [on_the_wire(op) for op in batch])
        except GapError as gap:
            if self._on_gap(gap.expected_seq, batch[0].device_seq, report):
                raise LedgerRestored() from gap
            return False
        except ReusedOp as exc:
            _log.error("pushing stopped: %s", exc)
            with self._db.writing() as session:
                device.set_sync_state(session, push_blocked=str(exc))
            report.push_blocked = str(exc)
            return False
        outcomes = [_outcome(r) for r in response.results]
        with self._db.writing() as session:
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
                return False
        return True

    def _on_gap(self, expected_seq: int, first_pending: int, report: SyncReport) -> bool:
        """The ledger wants ``expected_seq`` next; if it lost ops we had confirmed, re-send
        (True: rewound)."""
        if expected_seq >= first_pending:
            raise KnownError(
                f"The ledger expects operation {expected_seq} but this station's next is "
                f"{first_pending}.",
                next_step="Call IT support; operations are kept here.",
            )
        return resend_after_restore(self._db, expected_seq, report)


def resend_after_restore(db: Database, from_seq: int, report: SyncReport) -> bool:
    """The ledger lost our ops from ``from_seq`` on (a restore): re-send them and take
    fresh snapshots (True). If this station no longer keeps every one of them, stop
    sending and say so (False): re-sending around a gap would only meet a 409."""
    with db.reading() as session:
        kept = outbox.holds_every_op_from(session, from_seq)
    if not kept:
        message = (
            f"The ledger was restored to before operation {from_seq}, and this station "
            "no longer keeps every operation since then. Sending is stopped. "
            "Call IT support."
        )
        _log.error(message)
        with db.writing() as session:
            device.set_sync_state(session, push_blocked=message)
        report.push_blocked = message
        return False
    _log.warning(
        "ledger lost device_seq %d and later: ledger restored; "
        "re-sending from there and taking fresh snapshots",
        from_seq,
    )
    resend_from(db, from_seq, report)
    return True


def resend_from(db: Database, from_seq: int, report: SyncReport) -> None:
    """Put ops from ``from_seq`` on back to pending and start the pull over from 0."""
    with db.writing() as session:
        report.resent += outbox.repend_from(session, from_seq)
        device.set_sync_state(session, cursor=0, snapshot_done=False)


def on_the_wire(op: outbox.QueuedOp) -> protocol.PushOp:
    """A queued operation as a push sends it."""
    return protocol.PushOp(
        op_id=op.op_id,
        device_seq=op.device_seq,
        type=op.type,
        payload=op.payload,
        actor=op.actor,
        approval=protocol.Approval.model_validate(op.approval) if op.approval else None,
        device_time=op.device_time,
        base_ledger_seq=op.base_ledger_seq,
    )


def _outcome(result: protocol.OpResult) -> outbox.OpOutcome:
    return outbox.OpOutcome(
        op_id=result.op_id,
        device_seq=result.device_seq,
        status=result.status.value,
        ledger_seq=result.ledger_seq,
        result=result.model_dump(mode="json"),
    )
