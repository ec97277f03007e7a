"""Staging onto a hold-shelf bin that holds another order is refused until the associate
says to share it; a bin whose orders have left is free."""

from __future__ import annotations

import pytest

from app.domain.pickup_ops import Proof, Verification
from app.services.pickup_bins import BinHoldsAnother
from app.services.station import Station
from tests.services.test_pickup import A100, FID, line, order_row, outbox_size, pulled
from tests.storage.seed import gtin


def test_a_bin_in_use_asks_first_and_a_bin_emptied_does_not(station: Station) -> None:
    pulled(station, order_row([line(1, 1)]))  # WEB-5001, staged here (pending)
    pulled(station, order_row([line(2, 1)], id=502, order_number="WEB-5002"))
    on_h02 = [line(3, 1, picked=1, ready=1)]  # pulled: on bin H-02 by the ledger's word
    pulled(station, order_row(on_h02, id=503, order_number="WEB-5003", state="ready_for_pickup",
                              bin="H-02"))  # fmt: skip
    station.pickup.pick(A100, FID, gtin(1))
    station.pickup.stage(A100, FID, "H-01")
    station.pickup.pick(A100, 502, gtin(2))

    for bin_code, holder in (("h-01", "WEB-5001"), ("H-02", "WEB-5003")):
        with pytest.raises(BinHoldsAnother) as held:
            station.pickup.stage(A100, 502, bin_code)
        assert held.value.orders == (holder,)
        assert held.value.message == f"Bin {bin_code.upper()} already holds order {holder}."
    assert outbox_size(station) == 3  # nothing written by a refusal

    shared = station.pickup.stage(A100, 502, "H-02", share_bin=True)
    assert shared.order.summary.bin == "H-02"
    restaged = station.pickup.stage(A100, FID, "H-01")  # its own bin: nobody else there
    assert restaged.order.summary.bin == "H-01"

    collected = [line(4, 1, picked=1, ready=1, collected=1)]
    pulled(station, order_row(collected, id=504, order_number="WEB-5004", state="collected",
                              bin="H-01"))  # fmt: skip
    pulled(station, order_row([line(5, 1)], id=505, order_number="WEB-5005"))
    station.pickup.pick(A100, 505, gtin(5))
    with pytest.raises(BinHoldsAnother) as held:
        station.pickup.stage(A100, 505, "H-02")
    assert held.value.orders == ("WEB-5002", "WEB-5003")
    station.pickup.ready(A100, FID)
    proof = Proof(Verification.ID_CHECK, "Asha Kumar", id_type="aadhaar", id_last4="1234")
    station.pickup.handover(A100, FID, {"SKU-0001": 1}, proof)  # H-01 is empty now
    assert station.pickup.stage(A100, 505, "H-01").order.summary.bin == "H-01"
