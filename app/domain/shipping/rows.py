"""A ship order as the fulfilment scope carries it, and back: the one mapping between the
wire's (and the ledger's rows') line counters and :class:`~.order_view.ShipOrder`.

Ship and pickup orders share the fulfilment line model: a line's ``quantity`` is what was
ordered, ``picked`` what left the shelf, ``restocked`` what went back on it (a ship
order's unpick), ``short`` what this location refused (a ship order's rejection), and
``packed`` what is in parcels. A ship order's ``parcels`` is a list of
``{"sscc", "lines": [[sku, units], …], "void"}`` (JSON text in a station cache).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from app.domain.fulfilment import FulfilmentState
from app.domain.shipping.order_view import ParcelRecord, ShipOrder, ShipOrderLine

# ShipOrderLine counter -> the fulfilment line's key (wire and ledger column)
LINE_KEYS = {"picked": "picked", "unpicked": "restocked", "rejected": "short", "packed": "packed"}


def _parsed(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def line_from_row(row: Mapping[str, Any]) -> ShipOrderLine:
    """A ship line from a fulfilment ``lines`` entry (counters missing count as 0)."""
    return ShipOrderLine(
        sku=str(row["sku"]),
        ordered=int(row["quantity"]),
        **{mine: int(row.get(theirs) or 0) for mine, theirs in LINE_KEYS.items()},
        item_id=int(row.get("item_id") or 0),
        name=str(row.get("name") or ""),
        gtin=str(row.get("gtin") or ""),
    )


def line_counters(line: ShipOrderLine) -> dict[str, int]:
    """The line's counters under the fulfilment line's keys."""
    return {theirs: int(getattr(line, mine)) for mine, theirs in LINE_KEYS.items()}


def parcel_from_row(row: Mapping[str, Any]) -> ParcelRecord:
    lines = tuple((str(sku), int(units)) for sku, units in row.get("lines") or ())
    return ParcelRecord(
        sscc=str(row["sscc"]),
        lines=lines,
        void=bool(row.get("void")),
        handed_over=bool(row.get("handed_over_at")),
    )


def parcel_to_row(parcel: ParcelRecord) -> dict[str, Any]:
    return {"sscc": parcel.sscc, "lines": [list(x) for x in parcel.lines], "void": parcel.void}


def ship_order_from_row(row: Mapping[str, Any]) -> ShipOrder:
    """The ship view of a fulfilment scope row (``lines`` and ``parcels`` as JSON text
    or parsed)."""
    return ShipOrder(
        id=int(row["id"]),
        order_number=str(row["order_number"]),
        location=str(row.get("location_code") or ""),
        state=FulfilmentState(row["state"]),
        lines=tuple(line_from_row(x) for x in _parsed(row.get("lines")) or ()),
        parcels=tuple(parcel_from_row(p) for p in _parsed(row.get("parcels")) or ()),
    )
