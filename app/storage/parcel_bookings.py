"""Parcels packed for a booked carrier and their booking by the ledger (cache step 22).

A parcel waits (``waiting``) from its pack until the ledger answers its booking
(``booked``, with the carrier's tracking and label data) or the carrier refuses it
(``refused``, with the words to show). Only parcels whose ``ship.pack`` the ledger has
applied are asked for: it cannot book a parcel it has not heard of. A voided parcel is
never booked again: its booking is cancelled (``cancel_due``) once the ledger has its
void, then ``cancelled``, or ``not_cancelled`` with the carrier's words.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from app.storage.types import to_text

WAITING, BOOKED, REFUSED = "waiting", "booked", "refused"
CANCEL_DUE, CANCELLED, NOT_CANCELLED = "cancel_due", "cancelled", "not_cancelled"


@dataclass(frozen=True)
class WaitingParcel:
    sscc: str
    fulfilment_id: int
    carrier: str
    staff_code: str


@dataclass(frozen=True)
class CarrierLabel:
    """What the carrier's booking puts on the label."""

    tracking: str
    service: str
    routing_code: str
    sort_code: str
    barcode: str


def wait(conn: sqlite3.Connection, parcel: WaitingParcel, now: datetime) -> None:
    """Queue a packed parcel for its booking."""
    conn.execute(
        "INSERT OR IGNORE INTO parcel_bookings (sscc, fulfilment_id, carrier, staff_code, "
        "state, packed_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (parcel.sscc, parcel.fulfilment_id, parcel.carrier, parcel.staff_code, WAITING,
         to_text(now), to_text(now)),
    )  # fmt: skip


def ready_to_ask(conn: sqlite3.Connection) -> list[WaitingParcel]:
    """Waiting parcels whose pack the ledger has applied, oldest first."""
    rows = conn.execute(
        "SELECT b.sscc, b.fulfilment_id, b.carrier, b.staff_code FROM parcel_bookings b "
        "WHERE b.state = ? AND EXISTS (SELECT 1 FROM outbox o WHERE o.type = 'ship.pack' "
        "AND o.status = 'applied' AND json_extract(o.payload, '$.parcel.sscc') = b.sscc) "
        "ORDER BY b.packed_at, b.sscc",
        (WAITING,),
    ).fetchall()
    return [WaitingParcel(str(s), int(f), str(c), str(a)) for s, f, c, a in rows]


def cancel_due(conn: sqlite3.Connection, sscc: str, now: datetime) -> bool:
    """A voided parcel's booking (made or maybe made) is to be cancelled; False when it
    needed no booking."""
    done = conn.execute(
        "UPDATE parcel_bookings SET state = ?, said = '', updated_at = ? "
        "WHERE sscc = ? AND state NOT IN (?, ?)",
        (CANCEL_DUE, to_text(now), sscc, CANCEL_DUE, CANCELLED),
    )
    return done.rowcount == 1


def ready_to_cancel(conn: sqlite3.Connection) -> list[WaitingParcel]:
    """Voided parcels to cancel whose void the ledger has applied."""
    rows = conn.execute(
        "SELECT b.sscc, b.fulfilment_id, b.carrier, b.staff_code FROM parcel_bookings b "
        "WHERE b.state = ? AND EXISTS (SELECT 1 FROM outbox o WHERE "
        "o.type = 'ship.label_void' AND o.status = 'applied' "
        "AND json_extract(o.payload, '$.sscc') = b.sscc) ORDER BY b.updated_at, b.sscc",
        (CANCEL_DUE,),
    ).fetchall()
    return [WaitingParcel(str(s), int(f), str(c), str(a)) for s, f, c, a in rows]


def note(conn: sqlite3.Connection, sscc: str, state: str, said: str, now: datetime) -> None:
    """Keep the parcel ``state`` (waiting or refused) with what to tell the bench."""
    conn.execute(
        "UPDATE parcel_bookings SET state = ?, said = ?, updated_at = ? WHERE sscc = ?",
        (state, said, to_text(now), sscc),
    )


def booked(conn: sqlite3.Connection, sscc: str, label: CarrierLabel, now: datetime) -> bool:
    """Keep the booking; False when it was kept already (never two labels for one)."""
    done = conn.execute(
        "UPDATE parcel_bookings SET state = ?, said = '', tracking = ?, service = ?, "
        "routing_code = ?, sort_code = ?, barcode = ?, updated_at = ? "
        "WHERE sscc = ? AND state != ?",
        (BOOKED, label.tracking, label.service, label.routing_code, label.sort_code,
         label.barcode, to_text(now), sscc, BOOKED),
    )  # fmt: skip
    return done.rowcount == 1


def label_of(conn: sqlite3.Connection, sscc: str) -> CarrierLabel | None:
    """The carrier's label data of a booked parcel (None: not booked, or no carrier's)."""
    row = conn.execute(
        "SELECT tracking, service, routing_code, sort_code, barcode FROM parcel_bookings "
        "WHERE sscc = ? AND state = ?",
        (sscc, BOOKED),
    ).fetchone()
    return None if row is None else CarrierLabel(*(str(v or "") for v in row))


def state_of(conn: sqlite3.Connection, sscc: str) -> tuple[str, str] | None:
    """(state, what was said) of a parcel's booking; None for one that needs none."""
    row = conn.execute("SELECT state, said FROM parcel_bookings WHERE sscc = ?", (sscc,)).fetchone()
    return None if row is None else (str(row[0]), str(row[1]))
