"""Enrolling this station with a ledger, then taking its first copy of the world.

Re-enrolling wipes the cache, so it must not lose an operation made meanwhile: it holds
the station's sync lock (no sync round runs in any process), and the "nothing unsent"
check, the wipe and the new enrolment are one IMMEDIATE transaction. The device token
file is replaced only after that transaction committed.

Operations still unsent when a station is re-enrolled (its device revoked, or moved)
are adopted by the new enrolment: the enrol request names the previous device and
proves it with the previous token, the ledger records the handover, and the outbox is
kept and pushed in the previous device's name and numbering (why that keeps them
exactly-once: :mod:`app.ledger.adoption`). ``discard_pending`` drops them instead; the
ledger audits how many were dropped.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from app import log
from app.config import SyncSettings
from app.domain.clock import Clock
from app.errors import BadInput, KnownError, RuleRefused
from app.services.results import StationStatus
from app.services.status import StatusService
from app.storage import device, outbox
from app.storage.engine import Database
from app.storage.models import (
    Device,
    ExceptionResolution,
    LoginAttempts,
    OutboxOp,
    PendingStock,
)
from app.sync import mirror, protocol
from app.sync.engine import ClientFactory, SyncEngine

_log = log.get("sync")


class EnrolmentService:
    """Trades a one-time code for a device token, stores it, and runs the first sync."""

    def __init__(
        self,
        *,
        db: Database,
        data_dir: Path,
        engine: SyncEngine,
        status: StatusService,
        clock: Clock,
        client_factory: ClientFactory,
        settings: SyncSettings,
    ) -> None:
        self._db = db
        self._data_dir = data_dir
        self._engine = engine
        self._status = status
        self._clock = clock
        self._client_factory = client_factory
        self._settings = settings

    def is_enrolled(self) -> bool:
        with self._db.reading() as session:
            return device.enrolment(session) is not None

    def enrol(
        self,
        ledger_url: str,
        code: str,
        station_name: str,
        kind: str = "counter",
        *,
        discard_pending: bool = False,
    ) -> StationStatus:
        """Enrol with ``ledger_url`` using ``code``; then sync (offline leaves it for later)."""
        if kind not in ("counter", "bench"):
            raise BadInput(f"A station is a counter or a bench, not '{kind}'.")
        if not ledger_url.startswith(("http://", "https://")):
            raise BadInput(
                f"'{ledger_url}' is not a ledger address.",
                next_step="Use the full address, e.g. http://127.0.0.1:8400",
            )
        with self._engine.exclusive():
            with self._db.reading() as session:  # refuse early, before the code is used up
                previous = self._previous(session, discard_pending)
            client = self._client_factory(ledger_url, None, self._settings)
            try:
                answer = client.enrol(code.strip(), station_name.strip(), kind, previous=previous)
            finally:
                client.close()
            adopted = answer.adopted_device_id if previous and not previous.discard else None
            if previous and not previous.discard and adopted != previous.device_id:
                raise RuleRefused(  # a ledger that does not know adoption ignored it
                    f"The ledger did not take over the {previous.pending} operation(s) not "
                    "yet sent from here, so this station kept its enrolment and them "
                    "(the code is used up).",
                    next_step="Ask IT to update the ledger and for a new code; to drop "
                    "those operations instead, enrol with --discard-pending.",
                )
            with self._db.writing() as session:
                if previous is None:
                    self._refuse_if_unsent(session, discard_pending, code_used=True)
                moved = device.enrolment(session)
                self._forget_previous(
                    session,
                    keep_outbox=adopted is not None,
                    keep_pending_stock=moved is not None
                    and moved.location_code == answer.location_code,
                )
                device.save_enrolment(
                    session,
                    device.Enrolment(
                        ledger_url=ledger_url.rstrip("/"),
                        device_id=answer.device_id,
                        location_code=answer.location_code,
                        location_name=answer.location_name,
                        station_name=station_name.strip(),
                        station_kind=answer.station_kind,
                        enrolled_at=self._clock(),
                        adopted_device_id=adopted,
                        adopted_through_seq=previous.through_seq if previous and adopted else 0,
                        station_number=answer.station_number,
                    ),
                )
            device.write_token(self._data_dir, answer.token)  # only once the cache says so
        _log.info("enrolled as %s at %s", answer.device_id, answer.location_code)
        if previous is not None:
            _log.warning(
                "%d unsent operation(s) of %s %s at re-enrolment",
                previous.pending,
                previous.device_id,
                "dropped (--discard-pending)" if previous.discard else "adopted",
            )
        try:
            self._engine.sync_once()
        except KnownError as exc:
            _log.warning("first sync after enrolment failed: %s", exc)
        return self._status.status()

    def _previous(self, session: Session, discard: bool) -> protocol.PreviousEnrolment | None:
        """What the ledger is told of the enrolment this station leaves: None when
        nothing made under it is unsent; else its device, proven by its token, and the
        operations to adopt (or, with ``discard``, to drop)."""
        pending, _ = outbox.pending_summary(session)
        if not pending:
            return None
        old = device.enrolment(session)
        token = device.read_token(self._data_dir)
        through = session.scalar(select(Device.next_device_seq)) or 1
        if old is not None and old.adopted_device_id and not discard:
            older = select(func.count()).where(
                OutboxOp.status == "pending", OutboxOp.device_seq <= old.adopted_through_seq
            )
            if session.scalar(older):
                raise RuleRefused(
                    "This station still has operations of an enrolment before the last "
                    "one to send.",
                    next_step="Sync first, then enrol again.",
                )
        if old is None or token is None:
            if discard:
                return None
            raise RuleRefused(
                f"{pending} operation(s) made here have not reached the ledger, and this "
                "station no longer holds the enrolment they were made under.",
                next_step="Ask IT support; to drop them, enrol with --discard-pending.",
            )
        return protocol.PreviousEnrolment(
            device_id=old.device_id,
            token=token,
            through_seq=int(through) - 1,
            pending=pending,
            discard=discard,
        )

    @staticmethod
    def _refuse_if_unsent(session: Session, discard: bool, *, code_used: bool = False) -> None:
        pending, _ = outbox.pending_summary(session)
        if not pending or discard:
            return
        raise RuleRefused(
            f"{pending} operation(s) made here have not reached the ledger yet"
            + (" (made while enrolling, so the code is now used up)." if code_used else "."),
            next_step="Sync first; re-enrolling would lose them."
            + (" Then ask IT for a new code." if code_used else ""),
        )

    @staticmethod
    def _forget_previous(
        session: Session, *, keep_outbox: bool = False, keep_pending_stock: bool = False
    ) -> None:
        """A new enrolment starts from an empty cache (another device, maybe elsewhere),
        but for an adopted outbox: its operations, their resolutions, and their local
        effects when the station stays at the same store. Print jobs stay: they are this
        station's history, not the old device's."""
        wiped: list[type[object]] = [LoginAttempts]
        if not keep_outbox:
            wiped += [OutboxOp, ExceptionResolution]
        if not (keep_outbox and keep_pending_stock):
            wiped.append(PendingStock)
        for model in wiped:
            session.execute(delete(model))
        for table in mirror.SCOPE_TABLES.values():
            session.execute(text(f"DELETE FROM {table}"))
        session.execute(text("INSERT INTO items_fts (items_fts) VALUES ('delete-all')"))
