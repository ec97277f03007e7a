"""What a real ledger's refusals and flags look like on the Exceptions list: one row per
cause, in shop words, naming the order or item (issue 8, section 6)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.domain import exception_texts as texts
from app.domain.pickup_ops import Proof, Verification
from app.services.results import StaffSession
from app.services.station import Station
from tests.ledger.pickup_support import admin, place_pickup
from tests.support.ledger import RunningLedger, tiny_ledger
from tests.sync.stations import enrolled_station

A100 = StaffSession(1, "A100", "Arjun Rao", "associate", datetime(2026, 1, 1, tzinfo=UTC))
BY_CODE = Proof(Verification.PICKUP_CODE, "Asha Kumar")


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLedger]:
    """One tiny SQLite ledger for this module; each test uses items of its own."""
    yield from tiny_ledger(tmp_path_factory.mktemp("exceptions-ledger"))


@pytest.fixture
def station(ledger: RunningLedger, tmp_path: Path) -> Iterator[Station]:
    built = enrolled_station(ledger, tmp_path / "station")
    yield built
    built.close()


def item(ledger: RunningLedger, index: int) -> tuple[str, str, str]:
    """(SKU, GTIN, name) of a tiny item by position."""
    rows = ledger.sql("SELECT sku, gtin, name FROM items ORDER BY id")
    return str(rows[index][0]), str(rows[index][1]), str(rows[index][2])


def test_steps_on_an_order_cancelled_meanwhile_are_one_row_naming_it(
    ledger: RunningLedger, station: Station
) -> None:
    (a, a_gtin, _), (b, b_gtin, _) = item(ledger, 20), item(ledger, 21)
    fid = place_pickup(ledger, "WEB-9190", [(a, 1), (b, 1)])["fulfilment_orders"][0]["id"]
    station.sync.sync_once()
    admin(ledger, "/orders/WEB-9190/cancel", {"reason": "customer called"})
    station.pickup.accept(A100, fid)  # the station has not heard of the cancel yet
    station.pickup.pick(A100, fid, a_gtin)
    station.pickup.pick(A100, fid, b_gtin)
    station.pickup.stage(A100, fid, "H-06")
    station.sync.sync_once()

    (row,) = station.exceptions.open_exceptions()
    assert row.kind == texts.ORDER_CANCELLED and row.title == "Cancelled while you worked on it"
    assert row.order_number == row.about == "WEB-9190" and len(row.members) == 2
    assert "Order WEB-9190 was cancelled" in row.detail
    assert "acceptance and staging on the hold shelf" in row.detail
    assert "fulfilment" not in row.detail + row.next_step
    assert "try again" not in row.next_step
    assert "Put back on the shelf anything picked for order WEB-9190" in row.next_step
    assert station.status.status().open_exceptions == 1

    lead = station.auth.login_pin("L200", "2222")
    station.exceptions.resolve(lead, row.key, "put both items back on the shelf")
    assert station.exceptions.open_exceptions() == []
    assert station.status.status().open_exceptions == 0


def test_handed_over_after_a_cancel_is_one_row_with_the_refused_steps(
    ledger: RunningLedger, station: Station
) -> None:
    a, a_gtin, _ = item(ledger, 22)
    fid = place_pickup(ledger, "WEB-9191", [(a, 1)])["fulfilment_orders"][0]["id"]
    station.sync.sync_once()
    admin(ledger, "/orders/WEB-9191/cancel", {"reason": "customer called"})
    station.pickup.accept(A100, fid)
    station.pickup.pick(A100, fid, a_gtin)
    station.pickup.stage(A100, fid, "H-07")
    station.pickup.ready(A100, fid)
    station.pickup.handover(A100, fid, {a: 1}, BY_CODE)  # a physical fact: recorded
    station.sync.sync_once()

    (row,) = station.exceptions.open_exceptions()
    assert row.kind == texts.COLLECTED_AFTER_CANCEL and row.ledger_flag
    assert row.title == "Handed over after a cancel" and row.order_number == "WEB-9191"
    assert [m.split(":")[0] for m in row.members] == ["op", "op", "op", "ledger"]
    assert "customer service" in row.next_step

    lead = station.auth.login_pin("L200", "2222")
    station.exceptions.resolve(lead, row.key, "refund settled with customer service")
    station.sync.sync_once()  # the flag closes at the ledger too
    assert station.exceptions.open_exceptions() == []
    closed = ledger.sql(
        "SELECT status, order_number FROM exceptions WHERE kind = 'collected_after_cancel' "
        "AND order_number = 'WEB-9191'"
    )
    assert [tuple(r) for r in closed] == [("resolved", "WEB-9191")]


def test_oversells_of_one_item_are_one_row_naming_the_item(
    ledger: RunningLedger, station: Station
) -> None:
    sku, _, name = item(ledger, 23)
    place_pickup(ledger, "WEB-9192", [(sku, 2)])  # 2 reserved here
    station.sync.sync_once()
    lead = station.auth.login_pin("L200", "2222")
    # far from the book, so counted twice and explained
    station.stock.count(lead, sku, 1, first_count=1, reason="theft_or_loss")
    station.sync.sync_once()
    station.stock.count(lead, sku, 0)
    station.sync.sync_once()

    (row,) = station.exceptions.open_exceptions()
    assert row.kind == texts.OVERSELL and row.title == "Fewer on the shelf than promised"
    assert row.sku == sku and row.about == f"{name} ({sku})" and row.order_number == ""
    assert len(row.members) == 2 and row.ledger_flag
    assert f"{name} ({sku})" in row.detail and f"{name} ({sku})" in row.next_step
