"""The one mapping between a fulfilment scope row and the ship view."""

from __future__ import annotations

import json

from app.domain.fulfilment import FulfilmentState
from app.domain.shipping.order_view import ParcelRecord
from app.domain.shipping.rows import (
    line_counters,
    parcel_to_row,
    ship_order_from_row,
)

LINE = {
    "sku": "GRO-00904", "item_id": 7, "gtin": "8901234018422", "name": "Rice 5 kg",
    "quantity": 3, "price_minor": 0, "picked": 3, "short": 0, "ready": 0, "collected": 0,
    "cancelled": 0, "restocked": 1, "packed": 2, "cancel_reason": "",
}  # fmt: skip
PARCEL = {"sscc": "106141412345678908", "lines": [["GRO-00904", 2]], "void": False}


def test_a_cached_row_reads_as_the_ship_view_with_shared_line_keys() -> None:
    row = {
        "id": 5, "order_number": "WEB-1", "location_code": "BLR-01", "state": "picked",
        "lines": json.dumps([LINE]), "parcels": json.dumps([PARCEL]),
    }  # fmt: skip
    order = ship_order_from_row(row)
    (line,) = order.lines
    assert order.state is FulfilmentState.PICKED and order.location == "BLR-01"
    assert (line.ordered, line.picked, line.unpicked, line.rejected, line.packed) == (3, 3, 1, 0, 2)
    assert (line.item_id, line.name) == (7, "Rice 5 kg")
    assert order.parcels == (ParcelRecord("106141412345678908", (("GRO-00904", 2),)),)
    assert line_counters(line) == {"picked": 3, "restocked": 1, "short": 0, "packed": 2}
    assert parcel_to_row(order.parcels[0]) == PARCEL


def test_a_line_no_step_touched_and_an_order_without_parcels_read_as_zero() -> None:
    row = {"id": 1, "order_number": "WEB-2", "state": "routed",
           "lines": [{"sku": "A", "quantity": 2}], "parcels": None}  # fmt: skip
    order = ship_order_from_row(row)
    assert order.parcels == () and order.lines[0].picked == 0 and order.lines[0].packed == 0
