"""Scan-out on a real station cache: the location's e-way bill threshold from its master
data, measured against the order's invoice value (its discount and shipping count), a
parcel handed over on an earlier day off today's board, a hand-over kept in the outbox
while offline and shown at once."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from app.errors import RuleRefused
from app.services.results import StaffSession
from app.services.station import Station
from app.storage.engine import raw_connection
from tests.storage.seed import T0
from tests.support.scan_out_rows import SSCC, packed_orders

STAFF = StaffSession(1, "A100", "Asha Rao", "associate", T0)


def _set_threshold(station: Station, paise: int | None) -> None:
    with station.db.writing() as session:
        raw_connection(session).execute(
            "UPDATE locations SET eway_bill_threshold_minor = ? "
            "WHERE code = (SELECT location_code FROM device WHERE id = 1)",
            (paise,),
        )


def test_the_location_threshold_lets_a_60000_order_go_without_an_eway_bill(
    station: Station,
) -> None:
    packed_orders(station)
    with pytest.raises(RuleRefused, match="cannot leave without an e-way bill"):
        station.scan_out.scan("SWIFT", f"00{SSCC[3]}", STAFF)

    _set_threshold(station, 1_00_000_00)  # ₹1,00,000, as the retailer's master data says
    out = station.scan_out.scan("SWIFT", f"00{SSCC[3]}", STAFF)

    assert out.parcel.sscc == SSCC[3] and out.parcel.eway_bill == ""


def _charge(station: Station, number: str, discount: int, shipping: int) -> None:
    """The order's shares of its discount and shipping, as the ledger sends them."""
    with station.db.writing() as session:
        raw_connection(session).execute(
            "UPDATE fulfilment_orders SET discount_minor = ?, shipping_minor = ? "
            "WHERE order_number = ?",
            (discount, shipping, number),
        )


def test_the_invoice_value_is_measured_its_discount_and_shipping_counted(
    station: Station,
) -> None:
    packed_orders(station)  # WEB-SO3: ₹60,000 of goods
    _charge(station, "WEB-SO3", 10_000_00, 0)  # invoiced at ₹50,000: not above it
    waiting = {p.sscc: p for p in station.scan_out.board("SWIFT").waiting}
    assert waiting[SSCC[3]].goods_minor == 50_000_00

    _charge(station, "WEB-SO3", 10_000_00, 1_00)  # ₹1 of shipping: ₹50,001
    with pytest.raises(RuleRefused, match=r"WEB-SO3 is worth ₹50,001.00: it cannot leave"):
        station.scan_out.scan("SWIFT", f"00{SSCC[3]}", STAFF)

    _charge(station, "WEB-SO3", 10_000_00, 0)
    out = station.scan_out.scan("SWIFT", f"00{SSCC[3]}", STAFF)
    assert out.parcel.sscc == SSCC[3] and out.parcel.eway_bill == ""


def test_a_handover_waits_in_the_outbox_and_shows_at_once(station: Station) -> None:
    packed_orders(station)

    out = station.scan_out.scan("swift", SSCC[0], STAFF)

    with station.db.reading() as session:
        rows = (
            raw_connection(session)
            .execute("SELECT status, payload, actor FROM outbox WHERE type = 'ship.handover'")
            .fetchall()
        )
    assert [(r[0], json.loads(r[1])["sscc"], r[2]) for r in rows] == [("pending", SSCC[0], "A100")]
    assert out.parcel.handed_over and [p.sscc for p in out.board.handed] == [SSCC[0]]
    assert out.board.warning.startswith("3 SWIFT parcels not scanned: ")


def test_parcels_handed_over_on_an_earlier_day_are_off_todays_board(station: Station) -> None:
    yesterday = (T0 - timedelta(days=1)).isoformat()  # the station's clock reads T0
    packed_orders(station, handed_over_at=yesterday, handed_over_by="A100")

    board = station.scan_out.board("SWIFT")

    assert SSCC[0] not in {p.sscc for p in (*board.handed, *board.waiting)}
    assert [p.sscc for p in board.waiting] == [SSCC[3], SSCC[5]]
