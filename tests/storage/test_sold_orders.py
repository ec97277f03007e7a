"""The station's cache of returnable orders: kept as told, found every way a return looks."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from app.domain.returns.quantities import EarlierReturn
from app.domain.returns.sold import SoldLine, SoldOrder
from app.storage import migrations, sold_orders

SHIRT = SoldLine(
    1, "SHIRT-M", "8901234000012", "Linen shirt M", 2, 149900, "6205", 500,
    earlier=(EarlierReturn(1, "MUM-01", date(2026, 11, 20)),),
)  # fmt: skip
MUG = SoldLine(2, "MUG-1", "8901234000029", "Steel mug", 1, 39900, "7323", 1800, final_sale=True)


def _order(number: str, sold_on: date, *lines: SoldLine, **more: object) -> SoldOrder:
    return SoldOrder(number, "web", sold_on, "BLR-01", lines or (SHIRT, MUG), **more)  # type: ignore[arg-type]


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(tmp_path / "c.sqlite3", isolation_level=None)
    migrations.migrate(conn)
    return conn


def test_an_order_reads_back_as_it_was_kept(conn: sqlite3.Connection) -> None:
    order = _order(
        "W-1001", date(2026, 11, 2), delivered_on=date(2026, 11, 5), location_state="KA",
        payment="prepaid", discount_minor=10000, shipping_minor=4900, customer="Asha ••2345",
        shipping_refunded=True,
        parcels=("00389012340000000018", "SWX123456"),
    )  # fmt: skip
    sold_orders.keep_order(conn, order, source="here", phone_key="9845012345")
    assert sold_orders.by_number(conn, ["W-1001"]) == [order]
    assert sold_orders.by_parcel(conn, "SWX123456") == [order]
    assert sold_orders.by_phone(conn, "9845012345", 20) == [order]
    assert sold_orders.by_email(conn, "asha@example.com", 20) == []


def test_keeping_again_replaces_lines_and_parcels(conn: sqlite3.Connection) -> None:
    sold_orders.keep_order(conn, _order("W-1", date(2026, 11, 2), parcels=("A",)), source="ledger")
    again = _order("W-1", date(2026, 11, 2), SHIRT, parcels=("B",))
    sold_orders.keep_order(conn, again, source="ledger")
    assert sold_orders.by_number(conn, ["W-1"]) == [again]
    assert sold_orders.by_parcel(conn, "A") == []


def test_an_item_finds_its_newest_orders_first(conn: sqlite3.Connection) -> None:
    for day in (3, 9, 1, 7):
        sold_orders.keep_order(conn, _order(f"W-{day}", date(2026, 11, day)), source="here")
    sold_orders.keep_order(conn, _order("W-other", date(2026, 11, 20), MUG), source="here")
    found = sold_orders.by_item(conn, [SHIRT.gtin], 3)
    assert [o.order_number for o in found] == ["W-9", "W-7", "W-3"]


def test_a_return_taken_here_counts_at_once(conn: sqlite3.Connection) -> None:
    sold_orders.keep_order(conn, _order("W-1", date(2026, 11, 2)), source="here")
    sold_orders.count_returned(conn, "W-1", 1, EarlierReturn(1, "BLR-01", date(2026, 12, 6)))
    line = sold_orders.by_number(conn, ["W-1"])[0].line(1)
    assert line is not None and (line.returned, line.left) == (2, 0)
    assert line.earlier[-1] == EarlierReturn(1, "BLR-01", date(2026, 12, 6))


def test_old_lookups_age_out_but_this_locations_sales_stay(conn: sqlite3.Connection) -> None:
    sold_orders.keep_order(conn, _order("W-old", date(2026, 1, 2)), source="ledger")
    sold_orders.keep_order(conn, _order("S-old", date(2026, 1, 2)), source="here")
    assert sold_orders.forget_before(conn, date(2026, 6, 1)) == 1
    assert [o.order_number for o in sold_orders.by_number(conn, ["W-old", "S-old"])] == ["S-old"]


def test_the_item_search_reads_the_gtin_index(conn: sqlite3.Connection) -> None:
    plan = conn.execute(
        "EXPLAIN QUERY PLAN SELECT order_number FROM sold_lines INDEXED BY ix_sold_lines_gtin "
        "WHERE gtin IN (?, ?) GROUP BY order_number ORDER BY max(sold_on) DESC LIMIT 20",
        ("x", "0x"),
    ).fetchall()
    assert "USING INDEX ix_sold_lines_gtin" in " ".join(str(r[-1]) for r in plan)


def test_orders_of_a_source_missing_from_a_list_are_forgotten_lines_and_all(
    conn: sqlite3.Connection,
) -> None:
    for number in ("S-kept", "S-gone"):
        sold_orders.keep_order(
            conn, _order(number, date(2026, 11, 2), parcels=(number,)), source="here"
        )
    sold_orders.keep_order(conn, _order("L-1", date(2026, 11, 2)), source="ledger")
    assert sold_orders.forget_missing(conn, "here", "SELECT 'S-kept'") == 1
    found = sold_orders.by_number(conn, ["S-kept", "S-gone", "L-1"])
    assert sorted(o.order_number for o in found) == ["L-1", "S-kept"]
    left = conn.execute(
        "SELECT (SELECT count(*) FROM sold_lines WHERE order_number = 'S-gone') + "
        "(SELECT count(*) FROM sold_returns WHERE order_number = 'S-gone') + "
        "(SELECT count(*) FROM sold_parcels WHERE order_number = 'S-gone')"
    ).fetchone()
    assert left == (0,)


def test_each_line_keeps_the_invoice_it_was_sold_under(conn: sqlite3.Connection) -> None:
    billed = replace(SHIRT, invoice="B0001/2627/00123", invoiced_on=date(2026, 11, 3))
    order = _order("W-2001", date(2026, 11, 2), billed, MUG)  # the mug: not invoiced yet
    sold_orders.keep_order(conn, order, source="ledger")
    (kept,) = sold_orders.by_number(conn, ["W-2001"])
    assert kept == order
    assert [(x.invoice, x.invoiced_on) for x in kept.lines] == [
        ("B0001/2627/00123", date(2026, 11, 3)), ("", None),
    ]  # fmt: skip
