"""PickupReceiving over a cache filled without a ledger: refusals before any write, the
outbox op with its in_transit effect, and a pull that rebases what is still pending."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from app.domain.fulfilment import FulfilmentState
from app.errors import NotFound, RuleRefused
from app.services.station import Station
from tests.services.test_pickup import A100, FID, line, order_row, outbox_size, pulled
from tests.storage.seed import gtin

S = FulfilmentState
FROM_WH = {"transfer": {"from": "WH-BHW", "from_name": "Bhiwandi Central Warehouse"}}


def coming(shipped: int, received: int = 0, picked: int | None = None) -> dict[str, object]:
    counters = {"inbound": 3, "shipped": shipped, "received": received}
    return line(1, 3, picked=received if picked is None else picked, **counters)


def test_receiving_writes_one_op_with_its_in_transit_effect(station: Station) -> None:
    pulled(station, order_row([coming(3)], state="awaiting_transfer", pickup_log=FROM_WH))

    incoming = station.receiving.incoming(FID)
    done = station.receiving.receive(A100, FID, gtin(1), 2)

    assert (incoming.source, incoming.in_transit, incoming.to_ship) == ("WH-BHW", 3, 0)
    assert done.order.summary.state is S.AWAITING_TRANSFER
    assert [(x.picked, x.in_transit, x.coming) for x in done.order.lines] == [(2, 1, 1)]
    assert [(x.shipped, x.received) for x in done.order.lines] == [(3, 2)]
    assert done.order.store_bins == ("H-01", "H-02")  # a bin scan next may stage it
    assert done.order.from_warehouse == "Bhiwandi Central Warehouse"
    with station.db.reading() as session:
        op_type, payload, effects = session.execute(
            text("SELECT type, payload, effects FROM outbox")
        ).one()
    assert op_type == "pickup.receive"
    assert json.loads(payload) == {
        "location": "BLR-01", "fulfilment_id": FID, "lines": [{"sku": "SKU-0001", "quantity": 2}],
    }  # fmt: skip
    assert json.loads(effects) == [[1, "in_transit", -2]]


def test_wrong_scans_and_over_receipts_are_refused_before_anything_is_written(
    station: Station,
) -> None:
    pulled(station, order_row([coming(2)], state="awaiting_transfer", pickup_log=FROM_WH))

    with pytest.raises(NotFound, match="No item with barcode"):
        station.receiving.receive(A100, FID, "8901234567897")
    with pytest.raises(RuleRefused, match=r"\(SKU-0003\) is not in order WEB-5001. It needs 3 ×"):
        station.receiving.receive(A100, FID, gtin(3))
    with pytest.raises(RuleRefused, match=r"Only 3 of .* not 4"):  # more than it carries
        station.receiving.receive(A100, FID, "sku-0001", 4)
    with pytest.raises(RuleRefused, match="between 1 and"):
        station.receiving.receive(A100, FID, gtin(1), 0)

    assert outbox_size(station) == 0


def test_an_ordinary_pickup_has_no_transfer(station: Station) -> None:
    pulled(station, order_row([line(1, 1)]))
    with pytest.raises(RuleRefused, match="not coming from a warehouse"):
        station.receiving.receive(A100, FID, gtin(1))
    with pytest.raises(RuleRefused, match="not coming from a warehouse"):
        station.receiving.incoming(FID)


def test_a_pull_rebases_a_pending_receipt(station: Station) -> None:
    pulled(station, order_row([coming(1)], state="awaiting_transfer", pickup_log=FROM_WH), 10)
    station.receiving.receive(A100, FID, gtin(1))
    with pytest.raises(RuleRefused, match=r"Only 2 of .* not 3"):
        station.receiving.receive(A100, FID, gtin(1), 3)
    # The warehouse shipped the other two meanwhile; the ledger has not seen the receipt.
    pulled(station, order_row([coming(3)], state="awaiting_transfer", pickup_log=FROM_WH), 12)

    rebased = station.pickup.order(FID)

    assert [(x.picked, x.in_transit) for x in rebased.lines] == [(1, 2)]
    assert rebased.summary.pending_ops == 1
    assert station.receiving.receive(A100, FID, gtin(1), 2).order.summary.state is S.PICKED


def test_a_transfer_the_ledger_has_not_seen_shipped_is_received_all_the_same(
    station: Station,
) -> None:
    pulled(station, order_row([coming(0)], state="awaiting_transfer", pickup_log=FROM_WH))

    done = station.receiving.receive(A100, FID, gtin(1), 3)  # the truck came first

    assert done.order.summary.state is S.PICKED and "had not recorded shipping" in done.note
    assert [(x.shipped, x.received, x.picked) for x in done.order.lines] == [(3, 3, 3)]
    with station.db.reading() as session:
        (effects,) = session.execute(text("SELECT effects FROM outbox")).one()
    assert json.loads(effects) == [[1, "in_transit", 3], [1, "in_transit", -3]]
    with pytest.raises(RuleRefused, match="received already"):
        station.receiving.receive(A100, FID, gtin(1))


def test_a_quantity_typed_with_the_item_receives_that_many(station: Station) -> None:
    pulled(station, order_row([coming(3)], state="awaiting_transfer", pickup_log=FROM_WH))

    with pytest.raises(RuleRefused, match="between 1 and"):
        station.receiving.receive(A100, FID, "1001x SKU-0001", typed=True)
    done = station.receiving.receive(A100, FID, "2x sku-0001", typed=True)
    with pytest.raises(NotFound, match=r"'2x sku-0001'"):  # scanned: one code, no such item
        station.receiving.receive(A100, FID, "2x sku-0001")

    assert [(x.received, x.in_transit) for x in done.order.lines] == [(2, 1)]
    assert outbox_size(station) == 1
