"""Exceptions: rejected operations and ledger flags, for a person to resolve with a note.

A rejected operation (``op:<op_id>``) never reached the ledger's books, so resolving it
is local. A ledger flag (``ledger:<id>``) is closed at the ledger: resolving it queues an
``exception.resolve`` operation with the local resolution, so every station of the store
sees it closed once the ledger applies it; if the ledger rejects that operation, it shows
up here as a rejected operation like any other, and the flag shows as open again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from app.domain.clock import Clock
from app.domain.exception_ops import ResolveException
from app.errors import BadInput, NotEnrolled, NotFound
from app.services.auth import require_role
from app.services.results import ExceptionRow, StaffSession
from app.storage import device, outbox
from app.storage import exceptions as repo
from app.storage.engine import Database
from app.storage.models import LedgerException, OutboxOp
from app.storage.types import from_text

LEDGER_KEY = "ledger:"
_TITLES = {
    "stock.count": "Count not accepted",
    ResolveException.TYPE: "Exception not closed at the ledger",
}


class ExceptionService:
    """Lists what needs a person and records how it was resolved."""

    def __init__(
        self, *, db: Database, clock: Clock, on_committed: Callable[[], None] = lambda: None
    ) -> None:
        self._db = db
        self._clock = clock
        self._on_committed = on_committed

    def open_exceptions(self) -> list[ExceptionRow]:
        """Open exceptions, rejected operations first, each oldest first."""
        with self._db.reading() as session:
            return _open_rows(session, self._clock())

    def resolve(self, staff: StaffSession, key: str, note: str) -> None:
        """Mark one exception resolved by ``staff`` (a lead or manager) with a note; a
        ledger flag is also queued to be closed at the ledger, in the same transaction."""
        require_role(staff, "lead")
        note = note.strip()
        if not note:
            raise BadInput("Say how it was resolved.", next_step="Type a short note, then resolve.")
        with self._db.writing() as session:
            if repo.resolution(session, key) is not None:
                raise NotFound(f"Exception {key} is already resolved.")
            now = self._clock()
            if key not in {row.key for row in _open_rows(session, now)}:
                raise NotFound(f"No open exception {key} here.")
            repo.resolve(session, key, note, staff.code, now)
            if key.startswith(LEDGER_KEY):
                _queue_ledger_resolve(session, int(key[len(LEDGER_KEY) :]), note, staff, now)
        if key.startswith(LEDGER_KEY):
            self._on_committed()


def _queue_ledger_resolve(
    session: Session, exception_id: int, note: str, staff: StaffSession, now: datetime
) -> None:
    """Append "exception N is dealt with" to the outbox, for the ledger to close it."""
    enrolment = device.enrolment(session)
    if enrolment is None:
        raise NotEnrolled(
            "This station is not enrolled, so it cannot close ledger exceptions.",
            next_step="Ask IT to enrol it.",
        )
    op = ResolveException(location=enrolment.location_code, exception_id=exception_id, note=note)
    outbox.append(
        session,
        op_type=op.TYPE,
        payload=op.to_payload(),
        actor=staff.code,
        base_ledger_seq=device.sync_state(session).cursor,
        now=now,
    )


def _open_rows(session: Session, now: datetime) -> list[ExceptionRow]:
    """Open exceptions, rejected operations first, each oldest first."""
    ops = [_op_row(op) for op in repo.rejected_ops(session)]
    return ops + [_ledger_row(exc, now) for exc in repo.open_ledger_exceptions(session)]


def _op_row(op: OutboxOp) -> ExceptionRow:
    result = op.result or {}
    payload = op.payload or {}
    what = ", ".join(f"{k} {v}" for k, v in payload.items() if k != "location")
    return ExceptionRow(
        key=f"op:{op.op_id}",
        kind=op.type,
        title=_TITLES.get(op.type, f"Operation {op.type} not accepted"),
        detail=f"{result.get('reason') or 'The ledger refused this operation.'} ({what})",
        next_step=result.get("next_step") or "Check the item and do it again if needed.",
        created_at=op.created_at,
        status="open",
    )


def _ledger_row(exc: LedgerException, now: datetime) -> ExceptionRow:
    # ledger time as ISO text; a flag without a time shows as just seen
    created = from_text(exc.created_at) if exc.created_at else now
    return ExceptionRow(
        key=f"ledger:{exc.id}",
        kind=exc.kind,
        title=exc.kind.replace("_", " ").capitalize(),
        detail=exc.message,
        next_step=exc.next_step or "",
        created_at=created,
        status="open",
        ledger_flag=True,
    )
