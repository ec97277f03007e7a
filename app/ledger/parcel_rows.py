"""Parcels of ship orders as rows: read them as the fulfilment scope's ``parcels``, write
a packed parcel, void a label.

A parcel on the wire is ``{"sscc", "lines": [[sku, units], …], "void", "box",
"weight_g", "carrier", "carrier_name", "tracking", "handed_over_at", "handed_over_by",
"eway_bill"}`` (:mod:`app.domain.shipping.rows` reads it), in packing order, where
``carrier_name`` is the carrier's name in master data (None for a code it does not
hold: a station shows the code then); once a carrier has told
where it is, also ``"state"`` (its last tracking event) and ``"delivered_at"`` (ISO 8601,
or None). Each parcel also says when it was packed and by whom (``packed_at``,
``packed_by``: the staff code of its pack step), when the carrier booked it
(``booked_at``) and every carrier event about it (``events``: ``{"kind", "at", "place",
"note"}``, the carrier's time order), so every station of the location shows the order's
timeline without asking the ledger. Writers hold the fulfilment order's row lock
(``ship_rows.load``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from app.domain.shipping.op_parts import PackedParcel
from app.ledger.models import (
    Carrier,
    FulfilmentEvent,
    Parcel,
    ParcelLine,
    ShipmentEvent,
    table_of,
)
from app.ledger.writes import iso

parcels = table_of(Parcel)
parcel_lines = table_of(ParcelLine)
shipment_events = table_of(ShipmentEvent)
fulfilment_events = table_of(FulfilmentEvent)
carriers = table_of(Carrier)

IN_CHUNK = 5000  # ids per IN list


def parcels_of(conn: Connection, fo_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """The parcels of each fulfilment order in ``fo_ids`` (an empty list for one without)."""
    ids = sorted(set(fo_ids))
    found: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    p, pl, c = parcels.c, parcel_lines.c, carriers.c
    columns = (p.id, p.fulfilment_order_id, p.sscc, p.void, p.box, p.weight_g, p.carrier, c.name)
    handover = (p.handed_over_at, p.handed_over_by, p.eway_bill)
    packing = (p.created_at, _packed_by(), p.booked_at)
    for start in range(0, len(ids), IN_CHUNK):
        rows = conn.execute(
            select(*columns, p.tracking, p.state, p.delivered_at, *handover, *packing)
            .add_columns(pl.sku, pl.quantity)
            .join(parcel_lines, pl.parcel_id == p.id)
            .outerjoin(carriers, c.code == p.carrier)
            .where(p.fulfilment_order_id.in_(ids[start : start + IN_CHUNK]))
            .order_by(p.fulfilment_order_id, p.id, pl.id)
        ).all()
        by_id: dict[int, dict[str, Any]] = {}
        for row in rows:
            pid, fo_id, sscc, void, box, weight, carrier, name, tracking, state, day = row[:11]
            out, packed, (sku, units) = row[11:14], row[14:17], row[17:]
            parcel = by_id.get(pid)
            if parcel is None:
                parcel = by_id[pid] = {
                    "sscc": sscc, "lines": [], "void": bool(void), "box": box,
                    "weight_g": weight, "carrier": carrier, "carrier_name": name,
                    "tracking": tracking,
                    **_handover(*out), **_packed(*packed), "events": [],
                }  # fmt: skip
                if state:
                    parcel.update(state=state, delivered_at=iso(day) if day else None)
                found[fo_id].append(parcel)
            parcel["lines"].append([sku, units])
        _add_events(conn, by_id)
    return found


def _packed_by() -> Any:
    """The staff code of the pack step that made the parcel (its op's timeline event)."""
    p, e = parcels.c, fulfilment_events.c
    return (
        select(e.actor)
        .where(e.fulfilment_order_id == p.fulfilment_order_id, e.op_id == p.op_id)
        .order_by(e.id)
        .limit(1)
        .scalar_subquery()
    )


def _packed(at: datetime, by: str | None, booked: datetime | None) -> dict[str, Any]:
    return {
        "packed_at": iso(at),
        "packed_by": by,
        "booked_at": iso(booked) if booked is not None else None,
    }


def _add_events(conn: Connection, by_id: Mapping[int, dict[str, Any]]) -> None:
    """Put every carrier event of these parcels in their ``events``, oldest first by the
    carrier's time (events may reach us out of order)."""
    e = shipment_events.c
    ids = sorted(by_id)
    for start in range(0, len(ids), IN_CHUNK):
        rows = conn.execute(
            select(e.parcel_id, e.kind, e.at, e.place, e.note)
            .where(e.parcel_id.in_(ids[start : start + IN_CHUNK]))
            .order_by(e.parcel_id, e.at, e.id)
        ).all()
        for parcel_id, kind, at, place, note in rows:
            said = {"kind": kind, "at": iso(at), "place": place or "", "note": note or ""}
            by_id[int(parcel_id)]["events"].append(said)


def _handover(at: datetime | None, by: str | None, eway_bill: str | None) -> dict[str, Any]:
    """A parcel's hand-over fields on the wire (None until it is scanned out)."""
    return {
        "handed_over_at": iso(at) if at is not None else None,
        "handed_over_by": by,
        "eway_bill": eway_bill,
    }


def with_parcels(conn: Connection, rows: Sequence[Sequence[Any]], at: int) -> list[tuple[Any, ...]]:
    """Fulfilment scope rows (id first) with their ``parcels`` put in at position ``at``
    (None for an order without any, as before there were parcels)."""
    found = parcels_of(conn, (int(r[0]) for r in rows))
    return [(*r[:at], found[int(r[0])] or None, *r[at + 1 :]) for r in rows]


def insert_parcel(
    conn: Connection,
    fo_id: int,
    parcel: PackedParcel,
    item_ids: Mapping[str, int],
    *,
    at: datetime,
    op_id: str | None,
    device_id: str | None,
) -> int:
    """A parcel row and its lines; returns its id. The lead's override, if any, is kept
    as claimed (the caller audits it)."""
    claim = parcel.override
    parcel_id = conn.execute(
        insert(parcels)
        .values(
            fulfilment_order_id=fo_id,
            sscc=parcel.sscc,
            box=parcel.box,
            weight_g=parcel.weight_g,
            expected_g=parcel.expected_g,
            override_by=claim.lead if claim else None,
            override_reason=claim.reason if claim else None,
            carrier=parcel.carrier,
            tracking=parcel.tracking,
            void=False,
            created_at=at,
            op_id=op_id,
            device_id=device_id,
        )
        .returning(parcels.c.id)
    ).scalar_one()
    conn.execute(
        insert(parcel_lines),
        [
            {"parcel_id": parcel_id, "sku": s, "item_id": item_ids[s], "quantity": n}
            for s, n in ((ln.sku, ln.quantity) for ln in parcel.lines)
        ],
    )
    return int(parcel_id)


def sscc_taken(conn: Connection, sscc: str) -> bool:
    """Whether a parcel row (of any order, void or not) already carries ``sscc``."""
    return conn.execute(select(parcels.c.id).where(parcels.c.sscc == sscc)).first() is not None


def void_parcel(conn: Connection, fo_id: int, sscc: str, reason: str, at: datetime) -> None:
    """Mark the order's parcel ``sscc`` void (its units are loose again)."""
    conn.execute(
        update(parcels)
        .where(parcels.c.fulfilment_order_id == fo_id, parcels.c.sscc == sscc)
        .values(void=True, voided_reason=reason, voided_at=at)
    )


def hand_over_parcel(
    conn: Connection, fo_id: int, sscc: str, *, at: datetime, by: str, eway_bill: str
) -> None:
    """Record the order's live parcel ``sscc`` as handed to the carrier (the first hand-over
    stands: a second scan of the same parcel changes nothing)."""
    conn.execute(
        update(parcels)
        .where(
            parcels.c.fulfilment_order_id == fo_id,
            parcels.c.sscc == sscc,
            parcels.c.void.is_(False),
            parcels.c.handed_over_at.is_(None),
        )
        .values(handed_over_at=at, handed_over_by=by, eway_bill=eway_bill or None)
    )
