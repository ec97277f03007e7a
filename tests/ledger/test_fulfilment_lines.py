"""Fulfilment lines as rows: written at intake, counters of each step land in the rows,
and the fulfilment scope's ``lines`` reach stations in the shape they always had."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import inspect

from app.domain.pickup_view import PickupLine, PickupOrder
from tests.ledger.conftest import tiny_skus
from tests.ledger.pickup_support import Counter, lines, place_pickup
from tests.ledger.test_ship_for_pickup import pickup_body
from tests.support.ledger import RunningLedger

LINE_KEYS = [
    "sku", "item_id", "gtin", "name", "quantity", "price_minor", "picked", "short", "ready",
    "collected", "cancelled", "restocked", "cancel_reason",
]  # fmt: skip
COUNTERS = "picked, short, ready, collected, cancelled, restocked, inbound, shipped, received"


def rows_of(ledger: RunningLedger, fo: int) -> list[tuple[Any, ...]]:
    return ledger.sql(
        f"SELECT line_no, sku, quantity, {COUNTERS}, cancel_reason FROM fulfilment_lines "
        "WHERE fulfilment_order_id = :f ORDER BY line_no",
        {"f": fo},
    )


def item(ledger: RunningLedger, sku: str) -> dict[str, Any]:
    ((item_id, gtin, name, price),) = ledger.sql(
        "SELECT id, gtin, name, price_minor FROM items WHERE sku = :s", {"s": sku}
    )
    return {"sku": sku, "item_id": item_id, "gtin": gtin, "name": name, "price_minor": price}


def pulled_lines(counter: Counter, fo: int, cursor: int) -> list[list[dict[str, Any]]]:
    """The ``lines`` of each fulfilment change of ``fo`` after ``cursor``, oldest first."""
    changes, _ = counter.pull_all(cursor)
    return [
        c["data"]["lines"] for c in changes if c["scope"] == "fulfilment" and c["key"] == str(fo)
    ]


def test_intake_writes_one_row_per_line_in_order_with_zero_counters(
    shared_ledger: RunningLedger,
) -> None:
    a, b = tiny_skus(shared_ledger)[10:12]

    (placed,) = place_pickup(shared_ledger, "WEB-7401", [(b, 2), (a, 1)])["fulfilment_orders"]

    fo, (first, second) = placed["id"], placed["lines"]
    zeros = (0,) * 9
    assert rows_of(shared_ledger, placed["id"]) == [
        (1, first["sku"], first["quantity"], *zeros, ""),
        (2, second["sku"], second["quantity"], *zeros, ""),
    ]
    assert {(first["sku"], first["quantity"]), (second["sku"], second["quantity"])} == {
        (a, 1),
        (b, 2),
    }
    ((name, gtin, price),) = shared_ledger.sql(
        "SELECT name, gtin, price_minor FROM fulfilment_lines "
        "WHERE fulfilment_order_id = :f AND sku = :s",
        {"f": fo, "s": a},
    )
    assert item(shared_ledger, a) | {"name": name, "gtin": gtin, "price_minor": price} == item(
        shared_ledger, a
    )


def test_a_pick_lands_in_the_rows_and_pulled_lines_keep_their_shape(
    shared_ledger: RunningLedger,
) -> None:
    a, b = tiny_skus(shared_ledger)[12:14]
    counter = Counter(shared_ledger, "BLR-01")
    cursor = counter.head()
    (placed,) = place_pickup(shared_ledger, "WEB-7402", [(a, 2), (b, 1)])["fulfilment_orders"]
    fo, ordered = placed["id"], {line["sku"]: line["quantity"] for line in placed["lines"]}

    (result,) = counter.send(counter.op("pickup.pick", fo, lines=lines((a, 2))))

    assert result["status"] == "applied", result
    expected = [PickupLine(ordered=ordered[sku], **item(shared_ledger, sku)) for sku in ordered]
    picked = [dataclasses.replace(x, picked=2) if x.sku == a else x for x in expected]
    zeros = (0,) * 8
    assert rows_of(shared_ledger, fo) == [
        (n, x.sku, x.ordered, x.picked, *zeros, "") for n, x in enumerate(picked, start=1)
    ]
    at_intake, after_pick = pulled_lines(counter, fo, cursor)[-2:]
    assert at_intake == [line.to_row() for line in expected]
    assert after_pick == [line.to_row() for line in picked]
    assert all(list(line) == LINE_KEYS for line in after_pick)
    snapshot = counter.snapshot("fulfilment")
    row = next(
        dict(zip(snapshot["columns"], r, strict=True)) for r in snapshot["rows"] if r[0] == fo
    )
    assert row["lines"] == after_pick
    assert PickupOrder.from_row(row).lines == tuple(picked)


def test_a_short_and_cancel_reason_land_in_the_rows(shared_ledger: RunningLedger) -> None:
    a, b = tiny_skus(shared_ledger)[14:16]
    counter = Counter(shared_ledger, "BLR-01")
    fo = place_pickup(shared_ledger, "WEB-7403", [(a, 2), (b, 2)])["fulfilment_orders"][0]["id"]

    results = counter.send(
        counter.op("pickup.pick", fo, lines=[{"sku": a, "quantity": 1, "short": 1}]),
        counter.op("pickup.cancel", fo, reason="customer asked", lines=lines((b, 2))),
    )

    assert [r["status"] for r in results] == ["applied"] * 2, results
    assert sorted(row[1:] for row in rows_of(shared_ledger, fo)) == sorted(
        [
            (a, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, ""),
            (b, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, "customer asked"),
        ]
    )


def test_ship_for_pickup_lines_carry_the_transfer_counters_on_the_wire(
    shared_ledger: RunningLedger,
) -> None:
    a = tiny_skus(shared_ledger)[16]
    counter = Counter(shared_ledger, "MUM-01")
    cursor = counter.head()

    placed = shared_ledger.place_order(pickup_body("WEB-7404", "MUM-01", [(a, 22)]))

    fo = placed["fulfilment_orders"][0]["id"]
    assert rows_of(shared_ledger, fo) == [(1, a, 22, 0, 0, 0, 0, 0, 0, 22, 0, 0, "")]
    (pulled,) = pulled_lines(counter, fo, cursor)
    line = PickupLine(ordered=22, inbound=22, **item(shared_ledger, a))
    assert pulled == [line.to_row()] and pulled[0]["inbound"] == 22


def test_fulfilment_orders_keep_no_lines_column(shared_ledger: RunningLedger) -> None:
    with shared_ledger.engine.connect() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("fulfilment_orders")}
        line_columns = {c["name"] for c in inspect(conn).get_columns("fulfilment_lines")}

    assert "lines" not in columns
    assert {"fulfilment_order_id", "line_no", "quantity", "picked", "cancel_reason"} <= line_columns
