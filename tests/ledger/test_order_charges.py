"""Each ship fulfilment order carries its shares of the order's discount and shipping
charge (for its tax invoice), on SQLite and PostgreSQL: an order split over two
locations shares both by the goods each ships, to the paisa, in the change rows and the
snapshot a station pulls; a part a store refuses in full carries no share any more (its
change row says so; the other part's share is worked out again with its next change)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.ledger.bench_support import Bench
from tests.ledger.ship_support import demo_ledger, fulfilments_of, ship_order, stock_item
from tests.support.ledger import RunningLedger, backend_params


@pytest.fixture(scope="module", params=backend_params())
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    yield from demo_ledger(request.param, tmp_path_factory.mktemp("demo"))


def pulled(bench: Bench, number: str, cursor: int = 0) -> dict[str, Any]:
    """The last fulfilment change row of order ``number`` the bench pulls."""
    changes, _ = bench.pull_all(cursor)
    rows = [
        c["data"]
        for c in changes
        if c["scope"] == "fulfilment" and c["data"]["order_number"] == number
    ]
    return rows[-1]


def test_an_order_split_over_two_locations_shares_its_discount_and_shipping(
    demo: RunningLedger,
) -> None:
    sku = stock_item(demo, "CHG-01", {"BLR-01": 3, "BLR-02": 1})
    # 4 units at ₹500 paid, 3 from BLR-01 and 1 from BLR-02: goods 3 : 1
    demo.place_order(ship_order("WEB-C01", [(sku, 4)], discount_minor=100_01, shipping_minor=99_99))
    one, two = Bench(demo, "BLR-01"), Bench(demo, "BLR-02")

    # 10,001 → 7,500.75 and 2,500.25: the paisa left to the larger remainder (BLR-01);
    # 9,999 → 7,499.25 and 2,499.75: the paisa to BLR-02. Each adds up to the order's.
    first, second = pulled(one, "WEB-C01"), pulled(two, "WEB-C01")
    assert (first["discount_minor"], first["shipping_minor"]) == (75_01, 74_99)
    assert (second["discount_minor"], second["shipping_minor"]) == (25_00, 25_00)
    page = one.snapshot("fulfilment")
    at = {name: page["columns"].index(name) for name in ("order_number", "discount_minor",
                                                          "shipping_minor")}  # fmt: skip
    (row,) = [r for r in page["rows"] if r[at["order_number"]] == "WEB-C01"]
    assert (row[at["discount_minor"]], row[at["shipping_minor"]]) == (75_01, 74_99)


def test_a_part_refused_in_full_gives_its_share_to_the_part_that_ships(
    demo: RunningLedger,
) -> None:
    sku = stock_item(demo, "CHG-02", {"BLR-01": 1, "BLR-02": 1})
    demo.place_order(ship_order("WEB-C02", [(sku, 2)], discount_minor=100_00, shipping_minor=60_00))
    parts = {f["location"]: int(f["id"]) for f in fulfilments_of(demo, "WEB-C02")}
    assert set(parts) == {"BLR-01", "BLR-02"}
    one = Bench(demo, "BLR-01")
    cursor = one.head()
    refused = one.one(one.step("ship.reject", parts["BLR-01"], reason="wrong_item"))
    assert refused["status"] == "applied"

    mine = pulled(one, "WEB-C02", cursor)
    assert (mine["discount_minor"], mine["shipping_minor"]) == (0, 0)
