"""A station whose clock is off the ledger's: one exception per device while it lasts.

Each station request carries the station's clock (``protocol.CLOCK_HEADER``). The
ledger compares it with its own on arrival. Beyond ``SKEW_LIMIT`` it opens a
``clock_skew`` exception at the station's store (HQ sees every store's), once: the
device row keeps the exception's id until a request shows the clock right again. So a
skewed station costs one write when the skew is first seen and one when it ends, and a
request within the limit costs nothing but the comparison.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine, select, update

from app.domain.clock_skew import is_off, skew_in_words
from app.domain.exception_texts import CLOCK_SKEW, Subject
from app.ledger.devices import DeviceRef
from app.ledger.flags import open_worded_exception
from app.ledger.models import Device, table_of
from app.ledger.writes import WriteBatch, utcnow

devices = table_of(Device)


def station_clock(header: str | None) -> datetime | None:
    """The station's clock from its header (ISO 8601); None when absent or unreadable."""
    if not header or len(header) > 64:
        return None
    try:
        value = datetime.fromisoformat(header.strip())
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except (ValueError, OverflowError):  # not a time, or one beyond the calendar in UTC
        return None


def note_clock(engine: Engine, device: DeviceRef, header: str | None, *, dry: bool = False) -> bool:
    """Open the device's clock exception when its clock is off, or forget it once the
    clock is right again (a manager closes the exception itself). True when there was
    something to note (with ``dry``, only say so and write nothing)."""
    clock = station_clock(header)
    if clock is None:
        return False
    skew = clock - utcnow()
    off = is_off(skew)
    if off == (device.clock_exception_id is not None):
        return False  # already said, or nothing to say: no write
    if not dry:
        _note(engine, device, off, skew, clock)
    return True


def _note(engine: Engine, device: DeviceRef, off: bool, skew: timedelta, clock: datetime) -> None:
    with engine.begin() as conn:
        # the device row first, as a push does, then the ledger head (WriteBatch)
        current = conn.execute(
            select(devices.c.clock_exception_id, devices.c.name)
            .where(devices.c.device_id == device.device_id)
            .with_for_update()
        ).one()
        if not off:
            conn.execute(
                update(devices)
                .where(devices.c.device_id == device.device_id)
                .values(clock_exception_id=None)
            )
            return
        if current.clock_exception_id is not None:
            return  # another request of this device got here first
        batch = WriteBatch(conn)
        exception_id = _open(conn, batch, device, current.name, skew, clock)
        conn.execute(
            update(devices)
            .where(devices.c.device_id == device.device_id)
            .values(clock_exception_id=exception_id)
        )
        batch.flush()


def _open(
    conn: Connection,
    batch: WriteBatch,
    device: DeviceRef,
    name: str,
    skew: timedelta,
    clock: datetime,
) -> int:
    said = (
        f"The clock of station {name} ({device.device_id}) is {skew_in_words(skew)}: it "
        f"said {clock:%Y-%m-%d %H:%M} UTC when the ledger's clock said "
        f"{batch.now.astimezone(UTC):%Y-%m-%d %H:%M} UTC."
    )
    return open_worded_exception(
        conn,
        batch,
        location_id=device.location_id,
        kind=CLOCK_SKEW,
        subject=Subject(detail=said),
        op_id=None,
    )
