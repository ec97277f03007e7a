"""The carrier simulator on a loopback port, and parcels to book with it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.carriers.adapter import Consignee, Parcel
from app.domain.shipping.parcels import SsccScheme
from tests.support.carrier_sim import RunningSim, serve_carrier_sim

SCHEME = SsccScheme("8901234")


@pytest.fixture
def sim() -> Iterator[RunningSim]:
    with serve_carrier_sim() as running:
        yield running


def parcel(counter: int = 1, *, pincode: str = "560034", order: str = "") -> Parcel:
    """The ``counter``-th parcel of bench station 12, to ``pincode``."""
    return Parcel(
        sscc=SCHEME.sscc(12, counter),
        order_number=order or f"WEB-{1000 + counter}",
        consignee=Consignee(
            name="Ananya Rao",
            address="14 2nd Cross, Koramangala 4th Block",
            city="Bengaluru",
            pincode=pincode,
            phone="+91 98450 12345",
        ),
        weight_g=850,
        value_paise=249_900,
    )
