"""What the status bar shows: enrolment, sync state, pending work, open exceptions."""

from __future__ import annotations

from collections.abc import Callable

from app.domain.clock import Clock
from app.services.exception_rows import open_count
from app.services.results import StationStatus
from app.storage import device, outbox
from app.storage.engine import Database


class StatusService:
    """Reads the station's state from the cache in one transaction."""

    def __init__(
        self,
        *,
        db: Database,
        clock: Clock,
        sync_note: Callable[[], str] = lambda: "",
        sync_blocked: Callable[[], str] = lambda: "",
    ) -> None:
        self._db = db
        self._clock = clock
        self._sync_note = sync_note
        self._sync_blocked = sync_blocked

    def status(self) -> StationStatus:
        now = self._clock()
        with self._db.reading() as session:
            enrolment = device.enrolment(session)
            state = device.sync_state(session)
            pending, oldest = outbox.pending_summary(session)
            open_exceptions = open_count(session, now)
            last_error = state.push_blocked or state.last_error
            return StationStatus(
                enrolled=enrolment is not None,
                location_code=enrolment.location_code if enrolment else "",
                location_name=enrolment.location_name if enrolment else "",
                station_name=enrolment.station_name if enrolment else "",
                station_kind=enrolment.station_kind if enrolment else "",
                online=bool(state.online) and enrolment is not None,
                pending_ops=pending,
                oldest_pending_age_s=(now - oldest).total_seconds() if oldest else None,
                last_sync_at=state.last_sync_at,
                cursor=state.cursor,
                open_exceptions=open_exceptions,
                last_error=last_error,
                sync_note=self._sync_note(),
                sync_blocked=self._sync_blocked(),
                as_of=now,
                clock_skew_s=state.clock_skew_s,
            )
