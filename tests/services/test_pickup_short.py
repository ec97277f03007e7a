"""Marking a pickup line short with a reason: the reason is asked for, travels with the
pick, and its stock effect shows at the station at once (offline too)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain.stock import Bucket
from app.errors import RuleRefused
from app.services.station import Station
from app.storage.models import OutboxOp
from tests.services.test_pickup import A100, FID, line, order_row, pulled


def _sellable(station: Station, item_id: int) -> tuple[int, int]:
    """(on hand, available to promise) of the item here, as Stock lookup shows them."""
    stock = station.stock.item_stock(item_id)
    sellable = next(b for b in stock.buckets if b.bucket is Bucket.SELLABLE)
    assert stock.item.sellable_available == sellable.available
    return sellable.on_hand, sellable.available


def test_short_reasons_are_offered_from_the_cache_with_their_effect(station: Station) -> None:
    offered = station.pickup.reasons("short_pick")
    assert [r.code for r in offered][:2] == ["not_found", "damaged"]
    assert offered[0].effect == "not available to promise here until counted"
    assert "declined" in [r.code for r in station.pickup.reasons("handover")]


def test_a_short_needs_a_reason_of_the_list(station: Station) -> None:
    pulled(station, order_row([line(1, 2)]))
    with pytest.raises(RuleRefused, match="short"):
        station.pickup.short(A100, FID, "SKU-0001")
    with pytest.raises(RuleRefused, match="short"):
        station.pickup.short(A100, FID, "SKU-0001", "declined")  # a handover reason
    with station.db.reading() as session:
        assert session.scalars(select(OutboxOp)).all() == []


def test_not_found_leaves_nothing_to_promise_here_until_counted(station: Station) -> None:
    pulled(station, order_row([line(1, 2)]))
    assert _sellable(station, 1) == (10, 10)

    recorded = station.pickup.short(A100, FID, "SKU-0001", "not_found")

    assert recorded.order.lines[0].short == 2
    assert _sellable(station, 1) == (10, 0)  # on hand unchanged, nothing to promise
    with station.db.reading() as session:
        op = session.get(OutboxOp, recorded.op_id)
        assert op is not None and op.payload["reason"] == "not_found"
        assert op.payload["lines"] == [{"sku": "SKU-0001", "quantity": 0, "short": 2}]
    station.stock.count(A100, "SKU-0001", 9)  # a count clears the wait
    assert _sellable(station, 1) == (9, 9)


def test_damaged_moves_the_short_units_out_of_sellable_here(station: Station) -> None:
    pulled(station, order_row([line(2, 3)]))
    station.pickup.pick(A100, FID, "SKU-0002")

    station.pickup.short(A100, FID, "SKU-0002", "damaged")

    buckets = {b.bucket: b.on_hand for b in station.stock.item_stock(2).buckets}
    assert buckets == {Bucket.SELLABLE: 10 - 1 - 2, Bucket.DAMAGED: 2}
    assert _sellable(station, 2) == (7, 7)
