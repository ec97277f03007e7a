"""Lookups by GTIN, SKU and name; stock here with pending counts; nearby stock; counts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain.reasons import RecountRule
from app.domain.stock import Bucket
from app.errors import BadInput, NotFound
from app.services.results import CountCheck, CountRecorded
from app.services.station import Station
from app.storage.models import OutboxOp
from tests.storage.seed import gtin


def test_lookup_by_gtin_sku_and_name_words(station: Station) -> None:
    (by_gtin,) = station.stock.lookup(gtin(3))
    assert (by_gtin.item_id, by_gtin.sku) == (3, "SKU-0003")
    assert by_gtin.price == "₹100.03"
    assert by_gtin.sellable_available == 10
    assert station.stock.lookup("0" + gtin(3))[0].item_id == 3  # scanned as GTIN-14
    assert [i.item_id for i in station.stock.lookup("sku-0004")] == [4]
    names = station.stock.lookup("bott ste")
    assert {i.item_id for i in names} == {1, 5, 9, 13, 17}
    assert station.stock.lookup("kurta", limit=2)[0].name.startswith("Cotton kurta")
    assert len(station.stock.lookup("kurta", limit=2)) == 2
    assert station.stock.lookup("nothing like this") == []
    assert station.stock.lookup("   ") == []


def test_count_commits_locally_with_difference_and_pending_effect(station: Station) -> None:
    staff = station.auth.login_pin("A100", "1111")
    recorded = station.stock.count(staff, gtin(2), 8)
    assert isinstance(recorded, CountRecorded)
    assert (recorded.sku, recorded.observed, recorded.difference) == ("SKU-0002", 8, -2)
    assert recorded.device_seq == 1
    stock = station.stock.item_stock(2)
    sellable = stock.buckets[0]
    assert (sellable.bucket, sellable.on_hand, sellable.pending_change) == (Bucket.SELLABLE, 8, -2)
    again = station.stock.count(staff, "SKU-0002", 9)
    assert isinstance(again, CountRecorded)
    assert (again.device_seq, again.difference) == (2, 1)
    assert station.stock.lookup("SKU-0002")[0].sellable_available == 9
    with station.db.reading() as session:
        op = session.get(OutboxOp, again.op_id)
        assert op is not None
        assert op.payload == {
            "location": "BLR-01",
            "sku": "SKU-0002",
            "bucket": "sellable",
            "observed": 9,
        }
        assert (op.actor, op.status, op.base_ledger_seq) == ("A100", "pending", 0)
    status = station.status.status()
    assert status.pending_ops == 2
    assert status.oldest_pending_age_s == 0


def _ops(station: Station) -> list[OutboxOp]:
    with station.db.reading() as session:
        return list(session.scalars(select(OutboxOp).order_by(OutboxOp.device_seq)))


def test_a_count_far_from_the_book_is_counted_again_then_explained(station: Station) -> None:
    staff = station.auth.login_pin("A100", "1111")
    assert station.stock.count(staff, "SKU-0002", 4) == CountCheck("recount")
    check = station.stock.count(staff, "SKU-0002", 5, first_count=4)
    assert isinstance(check, CountCheck) and check.wants == "reason"
    codes = [code for code, _ in check.reasons]
    assert codes[:2] == ["miscounted_before", "theft_or_loss"] and "not_found" not in codes
    assert _ops(station) == []  # nothing recorded while the count is being checked
    with pytest.raises(BadInput, match="not one of"):
        station.stock.count(staff, "SKU-0002", 5, first_count=4, reason="damaged")
    recorded = station.stock.count(staff, "SKU-0002", 5, first_count=4, reason="theft_or_loss")
    assert isinstance(recorded, CountRecorded)
    assert (recorded.difference, recorded.reason) == (-5, "Theft or loss")
    (op,) = _ops(station)
    assert op.payload == {
        "location": "BLR-01",
        "sku": "SKU-0002",
        "bucket": "sellable",
        "observed": 5,
        "first_count": 4,
        "reason": "theft_or_loss",
    }


def test_a_recount_near_the_book_needs_no_reason(station: Station) -> None:
    staff = station.auth.login_pin("A100", "1111")
    assert station.stock.count(staff, "SKU-0003", 30) == CountCheck("recount")
    recorded = station.stock.count(staff, "SKU-0003", 11, first_count=30)
    assert isinstance(recorded, CountRecorded) and recorded.difference == 1
    assert _ops(station)[0].payload["first_count"] == 30


@pytest.mark.parametrize(
    ("book", "observed", "far"),
    [(10, 8, False), (10, 7, True), (100, 90, False), (100, 89, True), (0, 2, False), (0, 3, True)],
)
def test_the_recount_rule_takes_the_larger_of_units_and_percent(
    book: int, observed: int, far: bool
) -> None:
    assert RecountRule(units=2, percent=10).wants_recount(observed, book) is far


def test_count_in_another_bucket_and_bad_counts(station: Station) -> None:
    recorded = station.stock.count(None, "SKU-0001", 2, Bucket.DAMAGED)
    assert isinstance(recorded, CountRecorded) and recorded.difference == 2
    buckets = {b.bucket: b.on_hand for b in station.stock.item_stock(1).buckets}
    assert buckets == {Bucket.SELLABLE: 10, Bucket.DAMAGED: 2}
    with pytest.raises(BadInput, match="negative"):
        station.stock.count(None, "SKU-0001", -1)
    with pytest.raises(NotFound):
        station.stock.count(None, "NO-SUCH", 1)
    with station.db.reading() as session:
        assert len(session.scalars(select(OutboxOp)).all()) == 1


def test_nearby_stock_is_sorted_by_distance(station: Station) -> None:
    nearby = station.stock.item_stock(5).nearby
    assert [n.location_code for n in nearby] == ["BLR-02", "CHN-01", "MUM-01"]
    assert nearby[0].distance_km < 10 < nearby[1].distance_km < nearby[2].distance_km
    assert 250 < nearby[1].distance_km < 320  # Bengaluru to Chennai, as the crow flies
    with pytest.raises(NotFound):
        station.stock.item_stock(999)
