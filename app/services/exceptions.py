"""Exceptions: rejected operations and ledger flags, for a person to resolve with a note."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.domain.clock import Clock
from app.errors import BadInput, NotFound
from app.services.auth import require_role
from app.services.results import ExceptionRow, StaffSession
from app.storage import exceptions as repo
from app.storage.engine import Database
from app.storage.models import LedgerException, OutboxOp
from app.storage.types import from_text

_TITLES = {"stock.count": "Count not accepted"}


class ExceptionService:
    """Lists what needs a person and records how it was resolved."""

    def __init__(self, *, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def open_exceptions(self) -> list[ExceptionRow]:
        """Open exceptions, rejected operations first, each oldest first."""
        with self._db.reading() as session:
            return _open_rows(session, self._clock())

    def resolve(self, staff: StaffSession, key: str, note: str) -> None:
        """Mark one exception resolved by ``staff`` (a lead or manager) with a note."""
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
    )
