"""The parcels scan-out sees: each ship order's parcels as the ledger last sent them, with
the pack, void and hand-over steps made here since replayed over them (so a parcel
packed or handed over offline shows at once)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from app.domain.shipping.eway_bill import invoice_value
from app.domain.shipping.scan_out import OutParcel, carrier_name
from app.storage import handover, pickups

LocalTime = Callable[[datetime], datetime]  # a UTC time as the bench's local time


def _value(order: dict[str, Any]) -> int:
    """What the order's invoice from here comes to: the e-way bill rule's measure."""
    return invoice_value(
        order["lines"], int(order.get("discount_minor") or 0), int(order.get("shipping_minor") or 0)
    )


def _at(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class _Parcels:
    """Parcels by SSCC while they are gathered, and when each left (UTC)."""

    def __init__(self) -> None:
        self.by_sscc: dict[str, OutParcel] = {}
        self.left_at: dict[str, datetime] = {}
        self.orders: dict[int, dict[str, Any]] = {}

    def add(self, order: dict[str, Any], row: dict[str, Any]) -> None:
        sscc = str(row["sscc"])
        self.by_sscc[sscc] = OutParcel(
            sscc=sscc,
            fulfilment_id=int(order["id"]),
            order_number=str(order["order_number"]),
            carrier=carrier_name(str(row.get("carrier") or "")),
            tracking=str(row.get("tracking") or sscc),
            weight_g=int(row.get("weight_g") or 0),
            cod_minor=0,
            goods_minor=_value(order),
            void=bool(row.get("void")),
            eway_bill=str(row.get("eway_bill") or ""),
            carrier_full_name=str(row.get("carrier_name") or ""),
        )
        left = _at(row.get("handed_over_at"))
        if left is not None:
            self.left_at[sscc] = left

    def step(self, step: handover.ParcelStep) -> None:
        body = step.payload
        order = self.orders.get(int(body.get("fulfilment_id") or 0))
        if order is None:
            return
        if step.type == "ship.pack":
            self.add(order, dict(body.get("parcel") or {}))
            return
        found = self.by_sscc.get(str(body.get("sscc") or ""))
        if found is None:
            return
        if step.type == "ship.label_void":
            self.by_sscc[found.sscc] = replace(found, void=True)
        elif found.sscc not in self.left_at:  # ship.handover: the first scan stands
            self.left_at[found.sscc] = datetime.fromisoformat(step.device_time)
            bill = str(body.get("eway_bill") or "")
            self.by_sscc[found.sscc] = replace(found, eway_bill=bill or found.eway_bill)


def out_parcels(conn: sqlite3.Connection, local: LocalTime, today: date) -> list[OutParcel]:
    """Every parcel still here, or handed over today (local), in packing order; an order's
    COD on its first live parcel, its e-way bill on all of them."""
    gathered = _Parcels()
    for order in handover.ship_orders(conn):
        gathered.orders[int(order["id"])] = order
        for row in order["parcels"]:
            gathered.add(order, row)
    for step in handover.parcel_steps(conn, pickups.sync_cursor(conn)):
        gathered.step(step)
    parcels, cod_given, bills = [], set(), {}
    for parcel in gathered.by_sscc.values():
        if parcel.eway_bill:
            bills[parcel.fulfilment_id] = parcel.eway_bill
    for parcel in gathered.by_sscc.values():
        left = gathered.left_at.get(parcel.sscc)
        if left is not None and local(left).date() != today:
            continue  # left on an earlier day: on that day's manifest
        order = gathered.orders[parcel.fulfilment_id]
        cod = 0
        if not parcel.void and parcel.fulfilment_id not in cod_given:
            cod = int(order.get("cod_minor") or 0)
            cod_given.add(parcel.fulfilment_id)
        parcels.append(
            replace(
                parcel,
                cod_minor=cod,
                handed_over=local(left).strftime("%H:%M") if left else "",
                eway_bill=bills.get(parcel.fulfilment_id, ""),
            )
        )
    return parcels
