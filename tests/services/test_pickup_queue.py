"""The pickup queue: counts of every bucket and a page of each, with what was done here."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.domain.fulfilment import FulfilmentState
from app.services import pickup_queue, pickup_view
from app.services.pickup_results import PickupQueue
from app.services.station import Station
from app.storage.engine import raw_connection
from tests.services.test_pickup import A100, line, order_row, pulled
from tests.storage.seed import T0, gtin

S = FulfilmentState


def _orders(station: Station, rows: list[dict[str, Any]]) -> None:
    """Store ``rows`` as pulled pickup orders of this store, as a sync would."""
    for row in rows:
        pulled(station, row)


def _order(n: int, state: str, hours: int, **extra: Any) -> dict[str, Any]:
    """Order ``n`` placed ``hours`` after T0, last changed ``n`` minutes after it."""
    return order_row(
        [line(1, 1)],
        state=state,
        id=n,
        order_number=f"WEB-{n:07d}",
        created_at=(T0 + timedelta(hours=hours)).isoformat(),
        updated_at=(T0 + timedelta(minutes=n)).isoformat(),
        **extra,
    )


def _read(station: Station, *, page: int, closed_page: int) -> PickupQueue:
    with station.db.reading() as session:
        conn = raw_connection(session)
        rules = pickup_view.rules_of(conn)
        return pickup_queue.read_queue(conn, rules, T0, page=page, closed_page=closed_page)


def _numbers(rows: tuple[Any, ...]) -> list[int]:
    return [int(r.order_number[4:]) for r in rows]


def test_every_bucket_is_counted_and_a_page_of_it_shown_oldest_promised_first(
    station: Station,
) -> None:
    ends = {31: T0 + timedelta(days=3), 32: T0 + timedelta(days=1), 33: T0 + timedelta(days=2)}
    rows = [_order(n, ("routed", "accepted", "picking")[n % 3], hours=20 - n) for n in range(1, 13)]
    rows += [_order(n, "ready_for_pickup", hours=n, pickup_by=ends[n].isoformat()) for n in ends]
    rows += [_order(n, "collected", hours=n) for n in range(41, 45)]
    rows += [_order(51, "cancelled", hours=1), _order(52, "rerouted", hours=2)]
    rows += [{**_order(61, "routed", hours=0), "method": "ship"}]  # not a pickup order
    rows += [_order(n, "awaiting_transfer", hours=n) for n in (72, 71)]  # ship-for-pickup
    _orders(station, rows)

    queue = _read(station, page=5, closed_page=2)

    assert {b: queue.count(b) for b in (*pickup_queue.BUCKETS, "to_restock")} == {
        "to_pick": 12, "from_warehouse": 2, "to_stage": 0, "staged": 0, "ready": 3,
        "collected": 4, "cancelled": 2, "to_restock": 0,
    }  # fmt: skip
    assert _numbers(queue.from_warehouse) == [71, 72]
    assert _numbers(queue.to_pick) == [12, 11, 10, 9, 8]  # placed longest ago first
    assert _numbers(queue.ready) == [32, 33, 31]  # the hold that ends first, first
    assert _numbers(queue.collected) == [43, 44]  # the latest changed, oldest first
    assert _numbers(queue.cancelled) == [51, 52]
    assert station.pickup.queue().count("to_pick") == 12  # the service, default pages


def test_what_was_done_here_moves_the_order_in_counts_and_pages(station: Station) -> None:
    _orders(station, [_order(501, "accepted", hours=0), _order(2, "accepted", hours=1)])
    station.pickup.pick(A100, 501, gtin(1))
    station.pickup.stage(A100, 501, "H-01")

    staged = station.pickup.queue()
    station.pickup.cancel(A100, 501, "customer called")
    cancelled = station.pickup.queue()
    station.pickup.restock(A100, 501, gtin(1))
    restocked = station.pickup.queue()

    assert (staged.count("to_pick"), staged.count("staged")) == (1, 1)
    assert [s.order_number for s in staged.staged] == ["WEB-0000501"]
    assert staged.staged[0].pending_ops == 2
    assert _numbers(staged.to_pick) == [2]
    assert (cancelled.count("staged"), cancelled.count("cancelled")) == (0, 1)
    assert [(t.order_number, t.bin) for t in cancelled.to_restock] == [("WEB-0000501", "H-01")]
    assert cancelled.count("to_restock") == 1
    assert restocked.to_restock == () and restocked.count("to_restock") == 0


def test_restock_tasks_come_from_the_cache_and_only_when_units_are_due_back(
    station: Station,
) -> None:
    _orders(
        station,
        [
            _order(1, "cancelled", hours=0) | {"lines": [line(1, 2, picked=2, cancelled=2)]},
            _order(2, "cancelled", hours=1) | {"lines": [line(1, 2, cancelled=2)]},  # unpicked
            _order(3, "picking", hours=2) | {"lines": [line(1, 2, picked=1, short=1)]},
            _order(4, "collected", hours=3)
            | {"lines": [line(1, 1, picked=1, collected=1), line(2, 1, picked=1, cancelled=1)]},
        ],
    )

    tasks = station.pickup.restock_tasks()

    assert [(t.order_number, [(x.sku, x.due) for x in t.lines]) for t in tasks] == [
        ("WEB-0000001", [("SKU-0001", 2)]),
        ("WEB-0000004", [("SKU-0002", 1)]),
    ]
    assert station.pickup.queue().count("to_restock") == 2


def test_a_scan_finds_the_order_with_its_detail_in_one_call(station: Station) -> None:
    pulled(station, order_row([line(1, 1)]))
    _orders(station, [_order(502, "routed", hours=1, customer_name="Asha Kumar")])

    scanned = station.pickup.find("CBPU1:WEB-5001:424242")
    by_name = station.pickup.find("asha kumar")

    assert scanned.detail is not None and scanned.code_verified
    assert scanned.detail.summary.order_number == "WEB-5001"
    assert scanned.detail.store_bins == ("H-01", "H-02")
    assert len(by_name.orders) == 2 and by_name.detail is None


def test_a_received_transfer_moves_the_order_from_the_warehouse_group_to_stage(
    station: Station,
) -> None:
    sfp = {"inbound": 2, "shipped": 2}
    log = {"transfer": {"from": "WH-BHW", "from_name": "Bhiwandi Central Warehouse"}}
    _orders(
        station,
        [
            _order(1, "awaiting_transfer", hours=0, pickup_log=log)
            | {"lines": [line(1, 2, **sfp)]},
            _order(2, "awaiting_transfer", hours=1, pickup_log=log)
            | {"lines": [line(1, 1, inbound=1)]},  # not shipped yet
        ],
    )

    waiting = station.pickup.queue()
    station.receiving.receive(A100, 1, gtin(1), 2)
    received = station.pickup.queue()

    assert (waiting.count("from_warehouse"), waiting.count("to_pick")) == (2, 0)
    assert _numbers(waiting.from_warehouse) == [1, 2]
    assert (received.count("from_warehouse"), received.count("to_stage")) == (1, 1)
    assert _numbers(received.to_stage) == [1] and _numbers(received.from_warehouse) == [2]
