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
from app.services.exception_rows import open_rows
from app.services.results import ExceptionRow, StaffSession
from app.storage import device, outbox
from app.storage import exceptions as repo
from app.storage.engine import Database

LEDGER_KEY = "ledger:"
_REFRESH = "Refresh the list (Ctrl+R): someone may have resolved it already."


class ExceptionService:
    """Lists what needs a person and records how it was resolved."""

    def __init__(
        self, *, db: Database, clock: Clock, on_committed: Callable[[], None] = lambda: None
    ) -> None:
        self._db = db
        self._clock = clock
        self._on_committed = on_committed

    def open_exceptions(self) -> list[ExceptionRow]:
        """Open exceptions, one row per cause: refused operations first, then ledger
        flags, each oldest first."""
        with self._db.reading() as session:
            return open_rows(session, self._clock())

    def resolve(self, staff: StaffSession, key: str, note: str) -> None:
        """Mark one row (every exception of its cause) resolved by ``staff`` (a lead or
        manager) with a note; its ledger flags are also queued to be closed at the
        ledger, in the same transaction."""
        require_role(staff, "lead")
        note = note.strip()
        if not note:
            raise BadInput("Say how it was resolved.", next_step="Type a short note, then resolve.")
        with self._db.writing() as session:
            if repo.resolution(session, key) is not None:
                raise NotFound("That exception is already resolved.", next_step=_REFRESH)
            now = self._clock()
            row = next((r for r in open_rows(session, now) if r.key == key), None)
            if row is None:
                raise NotFound("That exception is no longer open here.", next_step=_REFRESH)
            flags = [k for k in row.members if k.startswith(LEDGER_KEY)]
            for member in row.members:
                repo.resolve(session, member, note, staff.code, now)
            for flag in flags:
                _queue_ledger_resolve(session, int(flag[len(LEDGER_KEY) :]), note, staff, now)
        if flags:
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
