"""Exceptions: rejected operations and ledger flags, for a person to resolve with a note."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from app.errors import BadInput, NotFound
from app.services.auth import require_role
from app.services.results import ExceptionRow, StaffSession
from app.storage import exceptions as repo
from app.storage.engine import Database
from app.storage.models import LedgerException, OutboxOp

_TITLES = {"stock.count": "Count not accepted"}


class ExceptionService:
    """Lists what needs a person and records how it was resolved."""

    def __init__(self, *, db: Database, clock: Callable[[], datetime]) -> None:
        self._db = db
        self._clock = clock

    def open_exceptions(self) -> list[ExceptionRow]:
        """Open exceptions, rejected operations first, each oldest first."""
        with self._db.reading() as session:
            ops = [_op_row(op) for op in repo.rejected_ops(session)]
            flags = [_ledger_row(exc) for exc in repo.open_ledger_exceptions(session)]
        return ops + flags

    def resolve(self, staff: StaffSession, key: str, note: str) -> None:
        """Mark one exception resolved by ``staff`` (a lead or manager) with a note."""
        require_role(staff, "lead")
        note = note.strip()
        if not note:
            raise BadInput("Say how it was resolved.", next_step="Type a short note, then resolve.")
        with self._db.writing() as session:
            if repo.resolution(session, key) is not None:
                raise NotFound(f"Exception {key} is already resolved.")
            if key not in {row.key for row in self._open_rows(session)}:
                raise NotFound(f"No open exception {key} here.")
            repo.resolve(session, key, note, staff.code, self._clock())

    @staticmethod
    def _open_rows(session: Session) -> list[ExceptionRow]:
        return [_op_row(op) for op in repo.rejected_ops(session)] + [
            _ledger_row(exc) for exc in repo.open_ledger_exceptions(session)
        ]


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


def _ledger_row(exc: LedgerException) -> ExceptionRow:
    created = datetime.now(UTC)
    if exc.created_at:
        created = datetime.fromisoformat(exc.created_at)
        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
    return ExceptionRow(
        key=f"ledger:{exc.id}",
        kind=exc.kind,
        title=exc.kind.replace("_", " ").capitalize(),
        detail=exc.message,
        next_step=exc.next_step or "",
        created_at=created,
        status="open",
    )
