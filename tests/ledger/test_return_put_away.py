"""Returned units put away by scan (``return.put_away``), on SQLite and PostgreSQL: back on
its shelf an inspected unit moves from its bucket into sellable once, however often the
operation is sent; a quarantine bin keeps its bucket until a later put-away; an unknown
RMA, a bin not of this location and a unit already back on its shelf are refused."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.ledger.conftest import on_hand
from tests.ledger.return_support import ReturnCounter, moved, return_line
from tests.ledger.ship_support import demo_ledger, stock_item
from tests.support.ledger import RunningLedger, backend_params


@pytest.fixture(scope="module", params=backend_params())
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    yield from demo_ledger(request.param, tmp_path_factory.mktemp("demo"))


class Bench(ReturnCounter):
    def put_op(self, rma_id: str, sku: str, bin_code: str, from_: str, to: str) -> dict[str, Any]:
        seq = self.next_seq
        self.next_seq += 1
        return {
            "op_id": uuid.uuid4().hex, "device_seq": seq, "type": "return.put_away",
            "payload": {"location": self.location, "rma_id": rma_id, "sku": sku,
                        "bin": bin_code, "from_bucket": from_, "to_bucket": to},
            "actor": "L200", "device_time": datetime.now(UTC).isoformat(),
            "base_ledger_seq": 0,
        }  # fmt: skip


def _taken_back(
    demo: RunningLedger, name: str, *graded: tuple[str, str], return_id: str = ""
) -> tuple[str, str]:
    """A new item with a shelf bin at BLR-01 and a return (``return_id``, else a new one)
    of one unit per (grade, disposition) taken in there: (its SKU, the return's id)."""
    sku = stock_item(demo, name, {"BLR-01": 5})
    demo.sql(
        "INSERT INTO shelf_bins (location_id, item_id, bin_code, sort_order) SELECT l.id, i.id,"
        " :b, 1 FROM locations l, items i WHERE l.code = 'BLR-01' AND i.sku = :s",
        {"b": f"A-{name[-2:]}-1", "s": sku},
    )
    return_id = return_id or uuid.uuid4().hex
    bench = Bench(demo, "BLR-01")
    taken = [return_line(None, sku, 1, grade=g, disposition=d) for g, d in graded]
    op = bench.return_op(None, taken, return_id=return_id)
    [result] = bench.send(op)
    assert result["status"] == "applied", result
    return sku, return_id


def test_an_inspected_unit_back_on_its_shelf_is_sellable_once(demo: RunningLedger) -> None:
    sku, ref = _taken_back(demo, "PA-SHELF-01", ("B", "open_box"))
    bench = Bench(demo, "BLR-01")
    op = bench.put_op(f"{ref}-1", sku, "A-01-1", "open_box", "sellable")
    sellable = on_hand(demo, "BLR-01", sku)

    first = bench.send(op)[0]
    again = bench.push([op])["results"][0]  # sent again: answered, nothing moves twice
    later = bench.send(bench.put_op(f"{ref}-1", sku, "Q-01", "sellable", "sellable"))[0]

    assert (first["status"], again["status"], again["replayed"]) == ("applied", "applied", True)
    assert moved(demo, op["op_id"]) == [
        ("open_box", "adjustment", -1),
        ("sellable", "adjustment", 1),
    ]
    assert on_hand(demo, "BLR-01", sku) == sellable + 1
    assert on_hand(demo, "BLR-01", sku, "open_box") == 0
    assert later["status"] == "rejected"
    assert later["reason"] == f"{ref}-1 was put back on the shelf already, in A-01-1."
    kept = demo.sql("SELECT count(*) FROM return_put_aways WHERE rma_id = :r", {"r": f"{ref}-1"})
    assert kept == [(1,)]


def test_a_quarantine_bin_keeps_the_bucket_until_a_lead_shelves_it(demo: RunningLedger) -> None:
    sku, ref = _taken_back(demo, "PA-QUAR-02", ("A", "sellable"), ("C", "damaged"))
    bench = Bench(demo, "BLR-01")
    binned = bench.put_op(f"{ref}-2", sku, "Q-01", "damaged", "damaged")
    shelved = bench.put_op(f"{ref}-2", sku, "A-02-1", "damaged", "sellable")

    results = bench.send(binned, shelved)

    assert [r["status"] for r in results] == ["applied", "applied"], results
    assert moved(demo, binned["op_id"]) == []
    assert moved(demo, shelved["op_id"]) == [
        ("damaged", "adjustment", -1),
        ("sellable", "adjustment", 1),
    ]
    assert on_hand(demo, "BLR-01", sku, "damaged") == 0
    assert on_hand(demo, "BLR-01", sku) == 5 + 2


def test_an_unknown_rma_or_a_bin_not_of_this_location_is_refused(demo: RunningLedger) -> None:
    sku, ref = _taken_back(demo, "PA-REFUSE-03", ("B", "open_box"))
    other, _ = _taken_back(demo, "PA-OTHER-04", ("B", "open_box"))
    bench = Bench(demo, "BLR-01")
    elsewhere = Bench(demo, "MUM-01")
    ops = [
        bench.put_op(f"{ref}-2", sku, "Q-01", "open_box", "open_box"),  # one unit only
        bench.put_op(f"{uuid.uuid4().hex}-1", sku, "Q-01", "open_box", "open_box"),
        bench.put_op(f"{ref}-1", sku, "ZZ-99-9", "open_box", "open_box"),
        bench.put_op(f"{ref}-1", sku, "A-04-1", "open_box", "sellable"),  # the other's bin
        bench.put_op(f"{ref}-1", sku, "Q-01", "open_box", "sellable"),  # not a shelf
    ]

    results = bench.send(*ops)
    [there] = elsewhere.send(elsewhere.put_op(f"{ref}-1", sku, "Q-01", "open_box", "open_box"))

    assert [r["status"] for r in results] == ["rejected"] * 5, results
    assert results[0]["reason"] == f"{ref}-2 is not a unit returned at BLR-01 ({sku})."
    assert results[2]["reason"] == f"ZZ-99-9 is not a bin of BLR-01 for {sku}."
    assert results[3]["reason"] == f"A-04-1 is not a bin of BLR-01 for {sku}."
    assert there["status"] == "rejected" and "returned at MUM-01" in there["reason"]
    assert on_hand(demo, "BLR-01", sku, "open_box") == 1 and other
    assert demo.sql("SELECT count(*) FROM return_put_aways WHERE rma_id LIKE :r",
                    {"r": f"{ref}%"}) == [(0,)]  # fmt: skip


def test_a_unit_is_found_by_its_returns_short_id_even_when_two_stations_short_ids_meet(
    demo: RunningLedger,
) -> None:
    start = uuid.uuid4().hex[:10]  # two counters' returns whose ids start alike
    sku, one = _taken_back(demo, "PA-SHORT-05", ("B", "open_box"), return_id=start + "0" * 22)
    other, two = _taken_back(demo, "PA-SHORT-06", ("B", "open_box"), return_id=start + "1" * 22)
    short = f"R{start.upper()}-1"  # the RMA id both labels print (refunds held: no number)
    bench = Bench(demo, "BLR-01")

    results = bench.send(
        bench.put_op(short, sku, "A-05-1", "open_box", "sellable"),
        bench.put_op(short, other, "A-06-1", "open_box", "sellable"),  # not shelved yet
        bench.put_op(f"R{start[:9].upper()}-1", sku, "Q-01", "sellable", "sellable"),
    )

    assert [r["status"] for r in results] == ["applied", "applied", "rejected"], results
    rows = demo.sql(
        "SELECT r.return_id, p.bin_code FROM return_put_aways p JOIN returns r "
        "ON r.id = p.return_id WHERE p.rma_id = :r ORDER BY p.id", {"r": short},
    )  # fmt: skip
    assert [tuple(r) for r in rows] == [(one, "A-05-1"), (two, "A-06-1")]
    assert (on_hand(demo, "BLR-01", sku), on_hand(demo, "BLR-01", other)) == (6, 6)
