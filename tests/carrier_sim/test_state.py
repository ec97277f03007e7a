from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from app.carrier_sim.state import SimCarrier, SimRefusal, UnknownShipment

NOON = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def request(
    pincode: str = "400001", reference: str = "WEB-1", weight_g: int = 500
) -> dict[str, Any]:
    consignee = {"name": "R", "address": "A", "city": "Mumbai", "pincode": pincode, "phone": "1"}
    return {"reference": reference, "consignee": consignee, "weight_g": weight_g,
            "value_paise": 100, "cod_paise": 0}  # fmt: skip


def books() -> SimCarrier:
    return SimCarrier(prefixes=("4", "56"), series="IP", service="Economy", clock=lambda: NOON)


def test_tracking_numbers_run_in_a_series_one_per_key() -> None:
    carrier = books()
    first, made = carrier.book("K1", request())
    assert made and first.tracking == "IP0000000001"
    assert (first.routing_code, first.sort_code, first.service) == ("BOM/400", "S00", "Economy")
    again, made_again = carrier.book("K1", request())
    assert again == first and not made_again
    assert carrier.book("K2", request(pincode="560034"))[0].tracking == "IP0000000002"
    assert carrier.issued == 2


def test_a_pincode_outside_the_known_hubs_gets_its_zone() -> None:
    shipment, _ = books().book("K1", request(pincode="444601"))
    assert shipment.routing_code == "Z44/444"


def test_refusals_issue_no_number() -> None:
    carrier = books()
    with pytest.raises(SimRefusal, match="do not deliver to pincode 110001"):
        carrier.book("K1", request(pincode="110001"))
    with pytest.raises(SimRefusal, match="more than 30 kg"):
        carrier.book("K1", request(weight_g=30_001))
    carrier.book("K1", request())
    with pytest.raises(SimRefusal) as reused:
        carrier.book("K1", request(reference="WEB-2"))
    assert reused.value.status == 409
    assert carrier.issued == 1


def test_events_follow_the_road_and_nothing_else() -> None:
    carrier = books()
    tracking = carrier.book("K1", request())[0].tracking
    kinds = [carrier.advance(tracking).kind for _ in range(4)]
    assert kinds == ["shipped", "in_transit", "out_for_delivery", "delivered"]
    with pytest.raises(SimRefusal, match="a delivered shipment cannot become more"):
        carrier.advance(tracking)
    other = carrier.book("K2", request())[0].tracking
    with pytest.raises(SimRefusal, match="a booked shipment cannot become rto"):
        carrier.advance(other, "rto")
    assert [e.seq for e in carrier.events_after(2, limit=10)] == [3, 4]
    assert [e.seq for e in carrier.events_after(0, limit=2)] == [1, 2]
    assert carrier.events_after(0, limit=1)[0].at == NOON


def test_cancelled_or_collected() -> None:
    carrier = books()
    tracking = carrier.book("K1", request())[0].tracking
    assert carrier.cancel(tracking).status == "cancelled"
    with pytest.raises(SimRefusal, match="a cancelled shipment cannot become more"):
        carrier.advance(tracking)
    shipped = carrier.book("K2", request())[0].tracking
    carrier.advance(shipped)
    with pytest.raises(SimRefusal, match="already collected"):
        carrier.cancel(shipped)
    with pytest.raises(UnknownShipment):
        carrier.get("IP0000000099")
    with pytest.raises(UnknownShipment):
        carrier.find("K9")
