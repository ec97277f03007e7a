"""Finding the order a return is against in the station's cache, offline, every way."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from app.domain.gtin import gs1_check_digit
from app.domain.returns.lookup import LookFor
from app.domain.returns.sold import SoldLine, SoldOrder
from app.errors import BadInput
from app.services.returns.find import find_here
from app.storage import migrations, sold_orders

GTIN = "890123400001" + str(gs1_check_digit("890123400001"))
SSCC = "38901234000000001" + str(gs1_check_digit("38901234000000001"))
KURTA = SoldLine(1, "KURTA-M", GTIN, "Cotton kurta M", 1, 89900, "6211", 500)


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(tmp_path / "c.sqlite3", isolation_level=None)
    migrations.migrate(conn)
    for n, day in ((1, 3), (2, 12), (3, 8)):
        order = SoldOrder(
            f"WEB-{n}", "web", date(2026, 11, day), "BLR-01", (KURTA,),
            parcels=(SSCC,) if n == 2 else (),
        )  # fmt: skip
        sold_orders.keep_order(conn, order, source="here", phone_key="9845012345",
                               email_key="asha@example.com")  # fmt: skip
    sold_orders.keep_order(
        conn, SoldOrder("R0042", "store", date(2026, 11, 30), "BLR-01", (KURTA,)), source="here"
    )
    return conn


def test_a_receipt_number_typed_in_lower_case(conn: sqlite3.Connection) -> None:
    found = find_here(conn, "r0042")
    assert [o.order_number for o in found.orders] == ["R0042"]
    assert found.look.way is LookFor.ORDER


def test_an_item_scanned_as_gtin_14_finds_its_orders_newest_first(conn: sqlite3.Connection) -> None:
    found = find_here(conn, "]C101" + GTIN.zfill(14))
    assert found.look.way is LookFor.ITEM
    assert [o.order_number for o in found.orders] == ["R0042", "WEB-2", "WEB-3", "WEB-1"]


def test_a_returned_parcel_label(conn: sqlite3.Connection) -> None:
    found = find_here(conn, "00" + SSCC)
    assert (found.look.way, [o.order_number for o in found.orders]) == (LookFor.PARCEL, ["WEB-2"])


def test_phone_and_email(conn: sqlite3.Connection) -> None:
    assert len(find_here(conn, "+91 98450 12345").orders) == 3
    assert len(find_here(conn, "Asha@Example.com").orders) == 3


def test_nothing_here_says_which_way_it_looked(conn: sqlite3.Connection) -> None:
    found = find_here(conn, "WEB-999")
    assert not found.found and found.look.way is LookFor.ORDER
    with pytest.raises(BadInput):
        find_here(conn, " ")
