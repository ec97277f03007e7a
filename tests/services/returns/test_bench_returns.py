"""At a warehouse bench, on SQLite and PostgreSQL with a real ledger: a parcel returned to
origin is found by its label and received unit by unit, and the ledger marks its ship
order returned with the units in their graded buckets; then each unit is put away by
scan (RMA label, then bin), a lead's put-away back to the shelf making it sellable here
at once and at the ledger after sync, with the refusals the associate sees."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.domain.returns.draft import ReturnDraft, TakenUnit, line_for_scan
from app.domain.returns.grades import Disposition, Grade
from app.domain.stock import Bucket
from app.errors import NotFound, RuleRefused
from app.services.results import StaffSession
from app.services.station import Station
from app.storage import outbox
from tests.ledger.bench_support import Bench, bin_lines, parcel, placed, state_of
from tests.ledger.conftest import on_hand
from tests.ledger.ship_support import demo_ledger, stock_item
from tests.services.returns.test_counter_take import queued, shown
from tests.support.ledger import RunningLedger, backend_params
from tests.sync.stations import enrolled_station

A100 = StaffSession(1, "A100", "Asha Rao", "associate", datetime.now(UTC))
L200 = StaffSession(2, "L200", "Lata Iyer", "lead", datetime.now(UTC))
SHELF = "A-77-1"


@pytest.fixture(scope="module", params=backend_params())
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    yield from demo_ledger(request.param, tmp_path_factory.mktemp("demo"))


def _shipped(demo: RunningLedger, number: str, sku: str) -> tuple[int, str]:
    """A ship order of 3 units of ``sku`` from BLR-01, two in the first parcel, handed to
    the carrier: (its fulfilment order, the first parcel's SSCC)."""
    fo = int(placed(demo, number, [(sku, 3)])["id"])
    bench = Bench(demo, "BLR-01")
    boxes = [parcel((sku, 2)), parcel((sku, 1))]
    steps = [bench.step("ship.pick", fo, lines=bin_lines((sku, 3)), tote="PB-1-T1")]
    steps += [bench.step("ship.pack", fo, parcel=box) for box in boxes]
    steps += [
        bench.step("ship.handover", fo, sscc=box["sscc"], carrier="own_fleet") for box in boxes
    ]
    assert [r["status"] for r in bench.send(*steps)] == ["applied"] * 5
    return fo, str(boxes[0]["sscc"])


@pytest.fixture
def rto(demo: RunningLedger, tmp_path: Path) -> Iterator[tuple[Station, str, int, str]]:
    """An item on shelf bin A-77-1 at BLR-01, its order shipped from there, and a bench
    station at BLR-01 enrolled after (so its cache holds the item and its shelf bin)."""
    number = f"WEB-RTO-{tmp_path.name[-12:]}".upper()[:30]
    sku = stock_item(demo, f"RTB-{len(demo.sql('SELECT id FROM items'))}", {"BLR-01": 9})
    demo.sql(
        "INSERT INTO shelf_bins (location_id, item_id, bin_code, sort_order) SELECT l.id, i.id,"
        " :b, 1 FROM locations l, items i WHERE l.code = 'BLR-01' AND i.sku = :s",
        {"b": SHELF, "s": sku},
    )
    fo, sscc = _shipped(demo, number, sku)
    station = enrolled_station(demo, tmp_path / "bench", location="BLR-01", name="Bench 2")
    yield station, sku, fo, sscc
    station.close()


def test_a_parcel_returned_to_origin_is_received_and_its_order_marked_returned(
    demo: RunningLedger, rto: tuple[Station, str, int, str]
) -> None:
    station, sku, fo, sscc = rto
    found = station.returns.find_here(sscc)
    if not found.orders:
        found = station.returns.ask_ledger(sscc, A100)
    assert found.parcel == sscc and len(found.orders) == 1
    draft = ReturnDraft(found.orders[0], parcel=found.parcel or None)
    for grade, disposition in ((Grade.A, Disposition.SELLABLE), (Grade.B, Disposition.OPEN_BOX)):
        line = line_for_scan(draft, sku, datetime.now(UTC))
        draft = draft.with_unit(TakenUnit(line.line_no, grade, disposition, "no_longer_wanted"))
    sellable = on_hand(demo, "BLR-01", sku)

    station.returns.take(draft, A100)
    station.sync.sync_once()

    assert state_of(demo, fo) == "returned"  # 2 of 3 units back: the parcel came back
    assert on_hand(demo, "BLR-01", sku) == sellable + 1
    assert on_hand(demo, "BLR-01", sku, "open_box") == 1
    assert demo.sql("SELECT parcel FROM returns WHERE order_number = :n",
                    {"n": found.orders[0].order_number}) == [(sscc,)]  # fmt: skip
    assert queued(station) == []


def test_units_are_put_away_by_scan_and_an_inspected_one_goes_back_to_sale(
    demo: RunningLedger, rto: tuple[Station, str, int, str]
) -> None:
    station, sku, _, sscc = rto
    found = station.returns.ask_ledger(sscc, A100)
    draft = ReturnDraft(found.orders[0]).with_parcel(sscc)
    for grade, disposition in ((Grade.A, Disposition.SELLABLE), (Grade.B, Disposition.OPEN_BOX)):
        line = line_for_scan(draft, sku, datetime.now(UTC))
        draft = draft.with_unit(TakenUnit(line.line_no, grade, disposition, "no_longer_wanted"))
    taken = station.returns.take(draft, A100)
    station.sync.sync_once()
    first, second = taken.rma_ids
    before = shown(station, sku)

    with pytest.raises(RuleRefused, match="open-box stock: a lead inspects it"):
        station.returns.put_away(second, SHELF, A100)
    with pytest.raises(RuleRefused, match="ZZ-01 is not a bin of this store"):
        station.returns.put_away(second, "zz-01", A100)
    with pytest.raises(NotFound, match="is not a returned unit taken in at this station"):
        station.returns.put_away(f"{first}9", SHELF, A100)
    shelved = station.returns.put_away(first, SHELF.lower(), A100)
    binned = station.returns.put_away(second, "q-01", A100)
    back = station.returns.put_away(second, SHELF, L200)  # inspected by a lead
    with pytest.raises(RuleRefused, match="was put back on the shelf already, in A-77-1"):
        station.returns.put_away(second, "Q-02", L200)

    assert (shelved.from_bucket, shelved.to_bucket) == (Bucket.SELLABLE, Bucket.SELLABLE)
    assert (binned.bin, binned.to_bucket) == ("Q-01", Bucket.OPEN_BOX)
    assert (back.from_bucket, back.to_bucket) == (Bucket.OPEN_BOX, Bucket.SELLABLE)
    assert back.said.startswith(f"{second} is back on the shelf in A-77-1: open-box to sellable")
    now = shown(station, sku)  # here at once, before the ledger hears of it
    assert now["sellable"][0] == before["sellable"][0] + 1 and now["open_box"][0] == 0
    sellable = on_hand(demo, "BLR-01", sku)

    station.sync.sync_once()

    assert on_hand(demo, "BLR-01", sku) == sellable + 1
    assert on_hand(demo, "BLR-01", sku, "open_box") == 0
    rows = demo.sql(
        "SELECT rma_id, bin_code, from_bucket, to_bucket FROM return_put_aways "
        "WHERE rma_id IN (:a, :b) ORDER BY id", {"a": first, "b": second},
    )  # fmt: skip
    assert [tuple(r) for r in rows] == [
        (first, SHELF, "sellable", "sellable"), (second, "Q-01", "open_box", "open_box"),
        (second, SHELF, "open_box", "sellable"),
    ]  # fmt: skip
    with station.db.reading() as session:
        assert outbox.pending_batch(session, 50) == []
