"""The handover's shelf checks: which scans are the order's bin, its items, a wrong bin."""

from __future__ import annotations

from dataclasses import replace

from app.domain.fulfilment import FulfilmentState
from app.services.pickup_results import PickupDetail, PickupLineView, PickupSummary
from app.ui.screens.pickup_checks import Checked, HandoverChecks
from app.ui.screens.pickup_entry import is_store_bin

BINS = ("H-01", "H-02", "H-03")


def _ready(sku: str, gtin: str, units: int) -> PickupLineView:
    return PickupLineView(
        sku=sku, gtin=gtin, name=f"Item {sku}", ordered=units, picked=units, short=0,
        ready=units, collected=0, cancelled=0, restocked=0, to_pick=0,
        on_hold_shelf=units, ready_waiting=units, restock_due=0,
    )  # fmt: skip


def _order(bin_code: str | None = "H-02", bins: tuple[str, ...] = BINS) -> PickupDetail:
    summary = PickupSummary(
        fulfilment_id=7, order_number="WEB-0044946", state=FulfilmentState.READY_FOR_PICKUP,
        customer_name="Asha Kumar", customer_phone="+91 98450 12345", bin=bin_code, units=3,
        created_at=None, pickup_by=None, pending_ops=0,
    )  # fmt: skip
    lines = (_ready("SKU-1", "08901234567893", 2), _ready("SKU-2", "8901234567800", 1))
    return PickupDetail(summary, lines, {}, has_pickup_code=True, store_bins=bins)


def test_a_bin_is_one_of_the_store_bins_never_a_pattern() -> None:
    order = _order(bins=("H-01", "SHELF-A"))

    assert is_store_bin(order, " h-01 ") and is_store_bin(order, "SHELF-A")
    assert is_store_bin(order, "H-02")  # the order's own bin, even if no longer configured
    assert not is_store_bin(order, "H-09")  # reads like a bin, is none of this store's
    assert not is_store_bin(order, "WEB-0044947")  # another order's number
    assert not is_store_bin(order, "CBPU1:WEB-0044947:123456")  # a customer's QR
    assert not is_store_bin(order, "")


def test_the_bin_first_then_each_unit_once() -> None:
    checks = HandoverChecks(_order())

    first = checks.scan("8901234567893")  # the item before the bin
    assert first is not None and (first.ok, first.message) == (False, "Scan bin H-02 first.")
    assert checks.scan("h-02") == Checked(True, "Bin H-02 checked. Now scan each item.")
    assert checks.missing(["SKU-1", "SKU-2"]) == "Not every item is scanned: 0 of 2 Item SKU-1."
    ticks = [checks.scan(code) for code in ("8901234567893", "SKU-1", "SKU-1", "SKU-2")]

    assert [t.ok if t else None for t in ticks] == [True, True, False, True]
    assert ticks[2] is not None and ticks[2].message == "All 2 of Item SKU-1 are scanned already."
    assert ticks[2].next_step == "Put the extra unit back on bin H-02; scan the other items."
    assert (checks.scanned("SKU-1"), checks.scanned("SKU-2")) == (2, 1)
    assert checks.missing(["SKU-1", "SKU-2"]) == ""


def test_wrong_scans_are_told_and_other_orders_are_not_for_the_handover() -> None:
    checks = HandoverChecks(_order())

    wrong_bin = checks.scan("H-03")
    wrong_item = checks.scan("4006381333931")

    assert wrong_bin is not None and not wrong_bin.ok
    assert wrong_bin.message == "Wrong bin: H-03. Order WEB-0044946 is on bin H-02."
    assert wrong_item is not None and "is not in order WEB-0044946" in wrong_item.message
    assert checks.scan("WEB-0044947") is None  # the screen opens that order
    assert checks.scan("H-09") is None  # no bin of this store: searched, not a wrong bin
    assert not checks.bin_checked


def test_an_order_without_a_bin_needs_its_items_only() -> None:
    checks = HandoverChecks(_order(bin_code=None))

    assert checks.bin_checked
    assert checks.scan("SKU-2") == Checked(True, "Item SKU-2: 1 of 1 scanned.")


def test_an_item_of_the_order_that_is_not_ready_says_so_and_what_to_do() -> None:
    staged = replace(_ready("SKU-3", "8901234567817", 1), ready=0, ready_waiting=0)
    handed = replace(
        _ready("SKU-4", "8901234567824", 1), collected=1, on_hold_shelf=0, ready_waiting=0
    )
    gone = replace(
        _ready("SKU-5", "8901234567831", 1), cancelled=1, on_hold_shelf=0, ready_waiting=0
    )
    order = _order()
    checks = HandoverChecks(replace(order, lines=(*order.lines, staged, handed, gone)))
    checks.scan("H-02")

    not_ready = checks.scan("8901234567817")
    collected = checks.scan("SKU-4")  # typed: an SKU of the order is told, never searched
    cancelled = checks.scan("8901234567831")

    assert not_ready == Checked(
        False,
        "Item SKU-3 is on order WEB-0044946, but not ready yet.",
        "Put it back on bin H-02. Only ready items can be handed over; the customer gets a "
        "message when it is.",
    )
    assert collected is not None and not collected.ok
    assert collected.message == "Item SKU-4 of order WEB-0044946 is handed over already."
    assert cancelled is not None and not cancelled.ok
    assert cancelled.message == "Item SKU-5 is cancelled on order WEB-0044946."
    assert "is not in order" not in " ".join(
        c.message for c in (not_ready, collected, cancelled) if c is not None
    )
    assert [checks.scanned(s) for s in ("SKU-3", "SKU-4", "SKU-5")] == [0, 0, 0]
