"""The station's enrolment, its device token (OS keyring or 0600 file) and its sync state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import log
from app.storage.models import Device, SyncState
from app.storage.secrets import StationSecrets

TOKEN_FILE = "device-token"  # its keyring entry, or its file when no keyring is usable

_log = log.get("storage")


@dataclass(frozen=True)
class Enrolment:
    ledger_url: str
    device_id: str
    location_code: str
    location_name: str
    station_name: str
    station_kind: str
    enrolled_at: datetime
    # The previous device whose unsent operations (up to this seq) this one pushes.
    adopted_device_id: str | None = None
    adopted_through_seq: int = 0
    # The ledger's number for this enrolment (SSCC station block); None if enrolled before.
    station_number: int | None = None


def enrolment(session: Session) -> Enrolment | None:
    """This station's enrolment, or None when it has not been enrolled."""
    row = session.get(Device, 1)
    if row is None:
        return None
    return Enrolment(
        ledger_url=row.ledger_url,
        device_id=row.device_id,
        location_code=row.location_code,
        location_name=row.location_name,
        station_name=row.station_name,
        station_kind=row.station_kind,
        enrolled_at=row.enrolled_at,
        adopted_device_id=row.adopted_device_id,
        adopted_through_seq=row.adopted_through_seq or 0,
        station_number=row.station_number,
    )


def save_enrolment(session: Session, enrolment: Enrolment) -> None:
    """Record the enrolment (replacing any earlier one) and restart the sync state."""
    row = session.get(Device, 1)
    if row is None:
        row = Device(id=1, next_device_seq=1)
        session.add(row)
    row.ledger_url = enrolment.ledger_url
    row.device_id = enrolment.device_id
    row.location_code = enrolment.location_code
    row.location_name = enrolment.location_name
    row.station_name = enrolment.station_name
    row.station_kind = enrolment.station_kind
    row.enrolled_at = enrolment.enrolled_at
    row.adopted_device_id = enrolment.adopted_device_id
    row.adopted_through_seq = enrolment.adopted_through_seq
    row.station_number = enrolment.station_number
    # An adopted outbox keeps its numbering: this device numbers on after it (and after
    # any operation recorded while the enrolment was under way).
    if enrolment.adopted_device_id:
        row.next_device_seq = max(row.next_device_seq, enrolment.adopted_through_seq + 1)
    else:
        row.next_device_seq = 1
    set_sync_state(
        session,
        cursor=0,
        last_sync_at=None,
        last_error="",
        online=True,
        ledger_applied_seq=0,
        push_blocked="",
        snapshot_done=False,
    )


def push_run(enrolment: Enrolment, seqs: list[int]) -> tuple[str, int]:
    """For pending operations numbered ``seqs`` (in order): the device the first of them
    is pushed in the name of, and how many in a row go with it. The operations adopted
    from the previous enrolment go in its name, the rest in this device's."""
    through = enrolment.adopted_through_seq if enrolment.adopted_device_id else 0
    if seqs and seqs[0] <= through:
        return str(enrolment.adopted_device_id), sum(1 for seq in seqs if seq <= through)
    return enrolment.device_id, len(seqs)


def sync_state(session: Session) -> SyncState:
    return session.execute(select(SyncState).where(SyncState.id == 1)).scalar_one()


def set_sync_state(session: Session, **values: Any) -> None:
    """Update columns of the one sync state row (cursor, online, last_error ...)."""
    session.execute(update(SyncState).where(SyncState.id == 1).values(**values))


def write_token(data_dir: Path, token: str) -> None:
    """Keep the device token in the OS keyring, else in a 0600 file in ``data_dir``
    (written atomically: a reader sees the old token or the new one, never part of one)."""
    where = StationSecrets(data_dir).put(TOKEN_FILE, token)
    _log.info("device token kept in the %s", "OS keyring" if where == "keyring" else "0600 file")


def read_token(data_dir: Path) -> str | None:
    """The device token (keyring first, then the 0600 file), or None."""
    return StationSecrets(data_dir).get(TOKEN_FILE)
