"""The return counter's first step: what the cache finds, and what the associate is told."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from app.domain.gtin import gs1_check_digit
from app.domain.returns.draft import ReturnDraft
from app.domain.returns.lookup import LookFor
from app.domain.returns.sold import SoldLine, SoldOrder
from app.errors import BadInput, RuleRefused
from app.services.results import StaffSession
from app.services.returns.words import ASKING, NO_RECEIPT, ONE_FOUND
from app.services.station import Station
from app.storage import sold_orders
from app.storage.engine import raw_connection
from tests.storage.seed import T0

GTIN = "890123499001" + str(gs1_check_digit("890123499001"))
KURTA = SoldLine(1, "KURTA-M", GTIN, "Cotton kurta M", 1, 89900, "6211", 500)


def keep(station: Station, *orders: SoldOrder) -> None:
    with station.db.writing() as session:
        for order in orders:
            sold_orders.keep_order(raw_connection(session), order, source="here")


def online(station: Station, on: bool) -> None:
    with station.db.writing() as session:
        session.execute(text("UPDATE sync_state SET online = :on"), {"on": int(on)})


def test_one_order_says_scan_each_item(station: Station) -> None:
    keep(station, SoldOrder("R0042", "store", date(2026, 11, 30), "BLR-01", (KURTA,)))
    found = station.returns.find_here("r0042")
    assert [o.order_number for o in found.orders] == ["R0042"]
    assert (found.way, found.at_ledger, found.said) == (LookFor.ORDER, False, ONE_FOUND)
    assert not found.ask_ledger  # found here: nothing to ask


def test_several_orders_say_how_many_and_how_to_pick(station: Station) -> None:
    keep(
        station,
        SoldOrder("R0042", "store", date(2026, 11, 30), "BLR-01", (KURTA,)),
        SoldOrder("WEB-7", "web", date(2026, 11, 20), "BLR-01", (KURTA,)),
    )
    found = station.returns.find_here(GTIN)
    assert [o.order_number for o in found.orders] == ["R0042", "WEB-7"]
    assert found.said == "2 orders for this item: ↑↓ and Enter to pick one."


def test_nothing_here_asks_the_ledger_online_and_offers_no_receipt_offline(
    station: Station,
) -> None:
    online(station, True)
    asking = station.returns.find_here("WEB-404")
    assert (asking.said, asking.ask_ledger) == (ASKING, True)
    online(station, False)
    offline = station.returns.find_here("WEB-404")
    assert offline.orders == () and offline.said == NO_RECEIPT and not offline.ask_ledger
    with pytest.raises(BadInput):
        station.returns.find_here("  ")


def test_an_empty_return_is_refused_before_anything_is_written(station: Station) -> None:
    order = SoldOrder("R0042", "store", date(2026, 11, 30), "BLR-01", (KURTA,))
    staff = StaffSession(1, "A100", "Asha Rao", "associate", T0)

    with pytest.raises(RuleRefused, match="Nothing is in this return yet"):
        station.returns.take(ReturnDraft(order), staff)

    with station.db.reading() as session:
        assert session.execute(text("SELECT count(*) FROM outbox")).scalar_one() == 0
