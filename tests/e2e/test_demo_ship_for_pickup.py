"""The demo shows ship-for-pickup at its terminal's store: a real station enrolled at BLR-01
on a ``--demo`` ledger finds both seeded ship-for-pickup orders by their pickup codes,
receives the shipped one by scan and is told the other has not left the warehouse."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.domain.fulfilment import FulfilmentState
from app.errors import RuleRefused
from app.services.results import StaffSession
from app.services.station import Station
from tests.ledger.pickup_support import admin, timeline
from tests.support.ledger import RunningLedger
from tests.sync.stations import enrolled_station

S = FulfilmentState
A100 = StaffSession(1, "A100", "Arjun Rao", "associate", datetime(2026, 1, 1, tzinfo=UTC))


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLedger]:
    """The demo retailer on SQLite, as ``make demo`` seeds it."""
    workdir = tmp_path_factory.mktemp("demo-ledger")
    running = RunningLedger(f"sqlite:///{workdir / 'ledger.sqlite3'}", workdir)
    try:
        running.seed("demo")
        running.start()
        yield running
    finally:
        running.close()


@pytest.fixture
def counter_1(ledger: RunningLedger, tmp_path: Path) -> Iterator[Station]:
    built = enrolled_station(ledger, tmp_path / "station", location="BLR-01", name="Counter 1")
    yield built
    built.close()


def gtin(ledger: RunningLedger, sku: str) -> str:
    return str(ledger.sql("SELECT gtin FROM items WHERE sku = :s", {"s": sku})[0][0])


def test_the_demo_counter_receives_the_shipped_order_and_waits_for_the_other(
    ledger: RunningLedger, counter_1: Station
) -> None:
    shipped = counter_1.pickup.find("240015")  # typed pickup codes
    waiting = counter_1.pickup.find("240016")

    assert [(o.order_number, o.state) for o in shipped.orders] == [
        ("WEB-240015", S.AWAITING_TRANSFER)
    ]
    assert [(o.order_number, o.state) for o in waiting.orders] == [
        ("APP-240016", S.AWAITING_TRANSFER)
    ]
    sfid, wfid = shipped.orders[0].fulfilment_id, waiting.orders[0].fulfilment_id
    incoming = counter_1.receiving.incoming(sfid)
    assert (incoming.source, incoming.in_transit, incoming.to_ship) == ("WH-BHW", 3, 0)
    assert counter_1.receiving.incoming(wfid).to_ship == 1
    with pytest.raises(RuleRefused, match=r"Only 1 of .* still to come from the warehouse"):
        counter_1.receiving.receive(A100, wfid, gtin(ledger, "SPO-00240"), 2)

    counter_1.receiving.receive(A100, sfid, gtin(ledger, "PCR-00225"))
    counter_1.receiving.receive(A100, sfid, gtin(ledger, "APP-00237"), 2)
    counter_1.sync.sync_once()

    assert counter_1.pickup.order(sfid).summary.state is S.PICKED
    assert counter_1.status.status().pending_ops == 0
    events = timeline(ledger, "WEB-240015")["events"]
    assert [(e["kind"], e["actor"]) for e in events] == [
        ("order.routed", "ledger:routing"),
        ("transfer.ship", "WH-BHW dispatch"),
        ("pickup.receive", "A100"),
        ("pickup.receive", "A100"),
    ]
    assert events[-1]["state"] == "picked"

    ((transfer_id,),) = ledger.sql("SELECT id FROM transfers WHERE order_number = 'APP-240016'")
    admin(ledger, f"/transfers/{transfer_id}/ship", {"by": "WH-BHW dock 1"})
    counter_1.sync.sync_once()
    counter_1.receiving.receive(A100, wfid, gtin(ledger, "SPO-00240"))

    assert counter_1.pickup.order(wfid).summary.state is S.PICKED
