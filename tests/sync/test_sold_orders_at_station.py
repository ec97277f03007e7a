"""This location's recent sales reach its stations (the sold-orders scope), so a return
finds them with the ledger stopped: a till sale at BLR-01 by its receipt, the customer's
phone and e-mail and the item; not at MUM-01; a return taken in counts in its earlier
returns; a web order shipped from BLR-01 carries its delivered day, its parcel and its tax
invoice. Real ledgers on SQLite and PostgreSQL, the carrier simulator, real stations."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from app.domain.returns.lookup import LookFor
from app.services.returns.find import FoundOrders, find_here
from app.services.station import Station
from app.storage.engine import raw_connection
from app.sync import mirror
from tests.ledger.bench_support import Bench
from tests.ledger.return_support import ReturnCounter, collected_order, return_line
from tests.ledger.tracking_support import (
    Tracked,
    booked_parcel,
    eventually,
    parcel_state,
)
from tests.support.carrier_ledger import carrier_ledger
from tests.support.ledger import INTAKE_TOKEN, backend_params
from tests.sync.stations import enrolled_station


@pytest.fixture(scope="module", params=backend_params())
def t(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Tracked]:
    with carrier_ledger(request.param, tmp_path_factory.mktemp("sold"), "tiny") as (ledger, sim):
        yield Tracked(ledger, sim, Bench(ledger, "BLR-01"))


def sell(t: Tracked, receipt: str, sku: str, sold_at: datetime) -> None:
    sale = {
        "receipt": receipt, "location": "BLR-01", "sold_at": sold_at.isoformat(),
        "lines": [{"sku": sku, "quantity": 2, "unit_paid_minor": 49_900}], "payment": "upi",
        "customer_phone": "+91 98450 77123", "customer_email": "Meera.N@Example.com",
        "customer_name": "Meera Nair",
    }  # fmt: skip
    answer = requests.post(
        f"{t.ledger.url}/v1/sales",
        json=sale,
        headers={"Authorization": f"Bearer {INTAKE_TOKEN}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text


def an_item(t: Tracked) -> tuple[str, str]:
    sku, gtin = t.ledger.sql(
        "SELECT sku, gtin FROM items WHERE gtin IS NOT NULL AND length(gtin) = 13 ORDER BY id"
    )[5]
    return str(sku), str(gtin)


def found(station: Station, text: str) -> FoundOrders:
    with station.db.reading() as session:
        return find_here(raw_connection(session), text)


def kept(station: Station, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with station.db.reading() as session:
        return [tuple(r) for r in raw_connection(session).execute(sql, args)]


def test_a_till_sale_at_the_store_is_found_at_its_station_with_the_ledger_stopped(
    t: Tracked, tmp_path: Path
) -> None:
    sku, gtin = an_item(t)
    blr = enrolled_station(t.ledger, tmp_path / "blr")
    mum = enrolled_station(t.ledger, tmp_path / "mum", location="MUM-01")
    try:
        sell(t, "BLR01-S-0001", sku, datetime.now(UTC) - timedelta(hours=3))
        sell(t, "BLR01-S-OLD1", sku, datetime.now(UTC) - timedelta(days=100))  # too old
        pulled = blr.sync.sync_once()
        again = blr.sync.sync_once()
        mum.sync.sync_once()
        t.ledger.stop()
        try:
            ways = {
                text: found(blr, text)
                for text in ("BLR01-S-0001", "98450 77123", "meera.n@example.com", gtin)
            }
            old = found(blr, "BLR01-S-OLD1")
            at_mumbai = found(mum, "BLR01-S-0001")
            keys = kept(blr, "SELECT phone_key, email_key, customer FROM sold_orders "
                        "WHERE order_number = 'BLR01-S-0001'")  # fmt: skip
            mirrored = kept(blr, "SELECT view FROM sold_here")
        finally:
            t.ledger.start()
    finally:
        mum.close()
        blr.close()

    assert [f.look.way for f in ways.values()] == [
        LookFor.ORDER, LookFor.PHONE, LookFor.EMAIL, LookFor.ITEM,
    ]  # fmt: skip
    for way in ways.values():
        assert [o.order_number for o in way.orders][:1] == ["BLR01-S-0001"]
    order = ways["BLR01-S-0001"].orders[0]
    assert (order.channel, order.location, order.location_state, order.payment) == (
        "store", "BLR-01", "29", "upi",
    )  # fmt: skip
    (line,) = order.lines
    assert (line.sku, line.gtin, line.quantity, line.unit_paid_minor, line.left) == (
        sku, gtin, 2, 49_900, 2,
    )  # fmt: skip
    assert keys == [("9845077123", "meera.n@example.com", "Meera ••7123")]
    assert not any("Example.com" in v or "98450 77123" in v for (v,) in mirrored)
    assert not old.found  # sold 100 days ago: not sent
    assert pulled.snapshots == [] and again.snapshots == []  # by change rows; checksums agree
    assert not at_mumbai.found  # sold at BLR-01, not MUM-01


def test_a_return_taken_in_reaches_the_sold_orders_earlier_returns(
    t: Tracked, tmp_path: Path
) -> None:
    sku, _ = an_item(t)
    sell(t, "BLR01-S-0002", sku, datetime.now(UTC) - timedelta(days=2))
    blr = enrolled_station(t.ledger, tmp_path / "blr")
    try:
        blr.sync.sync_once()
        before = found(blr, "BLR01-S-0002").orders[0].lines[0]
        counter = ReturnCounter(t.ledger, "BLR-01")
        [result] = counter.send(counter.return_op("BLR01-S-0002", [return_line(1, sku, 1)]))
        assert result["status"] == "applied", result
        blr.sync.sync_once()
        after = found(blr, "BLR01-S-0002").orders[0].lines[0]
        again = blr.sync.sync_once()
    finally:
        blr.close()

    assert (before.returned, before.left) == (0, 2)
    assert (after.returned, after.left) == (1, 1)
    assert [b.location_code for b in after.earlier] == ["BLR-01"]
    assert again.snapshots == []  # the station's copy agrees with the ledger's checksum


def test_a_web_order_shipped_from_the_store_carries_its_delivered_day_parcel_and_invoice(
    t: Tracked, tmp_path: Path
) -> None:
    shipped = booked_parcel(t, "WEB-SO01", invoice="B0001/2627/00777")
    blr = enrolled_station(t.ledger, tmp_path / "blr")  # packed, not gone: not kept yet
    try:
        packed = found(blr, "WEB-SO01")
        for _ in range(4):
            last = t.advance(shipped.tracking)
        eventually(lambda: parcel_state(t, shipped.sscc)[0] == "delivered", "delivery")
        report = blr.sync.sync_once()
        by_number = found(blr, "WEB-SO01")
        by_parcel = found(blr, shipped.sscc)
        mirrored = kept(blr, "SELECT view FROM sold_here WHERE order_number = 'WEB-SO01'")
    finally:
        blr.close()

    assert not packed.found
    assert report.snapshots == []  # its change rows, not a repair, brought it
    (order,) = by_number.orders
    zone = datetime.now().astimezone().tzinfo
    assert order.delivered_on == datetime.fromisoformat(last["at"]).astimezone(zone).date()
    assert order.window_starts == order.delivered_on
    assert (order.location, order.channel) == ("BLR-01", "web")
    assert set(order.parcels) >= {shipped.sscc, shipped.tracking}
    assert [o.order_number for o in by_parcel.orders] == ["WEB-SO01"]
    assert by_parcel.look.way is LookFor.PARCEL
    (line,) = order.lines  # the scope's row carries its tax invoice; the cache keeps it
    assert "B0001/2627/00777" in mirrored[0][0]
    assert (line.invoice, line.invoiced_on) == ("B0001/2627/00777", datetime.now(zone).date())
    assert order.invoice_of([1]) == ("B0001/2627/00777", line.invoiced_on)


def test_a_pickup_collected_at_the_store_is_kept_there_once_handed_over(
    t: Tracked, tmp_path: Path
) -> None:
    sku, _ = an_item(t)
    blr = enrolled_station(t.ledger, tmp_path / "blr")
    try:
        collected_order(t.ledger, "WEB-PU-SO01", [(sku, 1)])
        report = blr.sync.sync_once()
        by_number = found(blr, "WEB-PU-SO01")
    finally:
        blr.close()

    assert report.snapshots == []
    (order,) = by_number.orders
    assert (order.channel, order.location, order.delivered_on) == ("web", "BLR-01", None)
    assert [(x.sku, x.quantity) for x in order.lines] == [(sku, 1)]


def test_sales_from_before_the_window_age_out_at_the_station(t: Tracked, tmp_path: Path) -> None:
    sku, _ = an_item(t)
    sell(t, "BLR01-S-0003", sku, datetime.now(UTC) - timedelta(days=1))
    blr = enrolled_station(t.ledger, tmp_path / "blr")
    try:
        blr.sync.sync_once()
        kept_before = found(blr, "BLR01-S-0003").found
        with blr.db.writing() as session:
            conn: sqlite3.Connection = raw_connection(session)
            mirror.apply_changes(conn, [], now=datetime.now(UTC) + timedelta(days=91))
        gone = found(blr, "BLR01-S-0003")
        rows = kept(blr, "SELECT count(*) FROM sold_here WHERE order_number = 'BLR01-S-0003'")
    finally:
        blr.close()

    assert kept_before
    assert not gone.found
    assert rows == [(0,)]
