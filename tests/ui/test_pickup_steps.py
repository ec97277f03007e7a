"""The pickup steps without Qt: which step a ship-for-pickup order is at, and what a keyed
quantity before an item means."""

from __future__ import annotations

from dataclasses import replace

from app.domain.fulfilment import FulfilmentState
from app.services.pickup_results import PickupDetail, PickupLineView, PickupSummary
from app.ui.screens.pickup_steps import (
    READY_DONE,
    READY_NO_CONTACT,
    Entry,
    Step,
    has_contact,
    hint_for,
    is_ready_done,
    next_step,
    read_entry,
    read_scan,
    ready_done,
    scan_means,
)

S = FulfilmentState
FROM_WH = {"transfer": {"from": "WH-BHW", "from_name": "Bhiwandi Central Warehouse"}}


def _line(sku: str, gtin: str, *, shipped: int = 0, received: int = 0) -> PickupLineView:
    """A line of 2 units coming from the warehouse."""
    return PickupLineView(
        sku=sku, gtin=gtin, name=f"Item {sku}", ordered=2, picked=received, short=0, ready=0,
        collected=0, cancelled=0, restocked=0, to_pick=2 - received, on_hold_shelf=received,
        ready_waiting=0, restock_due=0, coming=2 - received, in_transit=shipped - received,
        inbound=2, shipped=shipped, received=received,
    )  # fmt: skip


def _order(
    state: S, *lines: PickupLineView, bin_code: str | None = None, log: dict | None = None
) -> PickupDetail:
    summary = PickupSummary(
        fulfilment_id=7, order_number="WEB-7", state=state, customer_name="Neha Desai",
        customer_phone="", bin=bin_code, units=2 * len(lines), created_at=None,
        pickup_by=None, pending_ops=0,
    )  # fmt: skip
    return PickupDetail(summary, lines, FROM_WH if log is None else log, True, ("H-01",))


def test_a_ship_for_pickup_order_waits_then_is_received_then_staged() -> None:
    waiting = _order(S.AWAITING_TRANSFER, _line("SKU-1", "8901234567893"))
    shipped = _order(S.AWAITING_TRANSFER, _line("SKU-1", "8901234567893", shipped=2))
    part = _order(S.AWAITING_TRANSFER, _line("SKU-1", "8901234567893", shipped=2, received=1))
    part_staged = replace(part, summary=replace(part.summary, bin="H-01"))
    all_here = _order(S.PICKED, _line("SKU-1", "8901234567893", shipped=2, received=2))
    half_shipped = _order(S.AWAITING_TRANSFER, _line("SKU-1", "1", shipped=1, received=1))

    assert next_step(waiting) is Step.WAIT
    assert hint_for(waiting, Step.WAIT).startswith("Waiting for the warehouse to ship it.")
    assert next_step(shipped) is Step.RECEIVE
    assert hint_for(shipped, Step.RECEIVE) == (
        "From Bhiwandi Central Warehouse: scan each item as you unpack the transfer. "
        "0 of 2 units received."
    )
    assert next_step(part) is Step.RECEIVE
    assert hint_for(part, Step.RECEIVE).endswith("1 of 2 units received; scan a bin to stage them.")
    assert next_step(part_staged) is Step.RECEIVE
    assert next_step(all_here) is Step.STAGE
    assert hint_for(all_here, Step.STAGE).startswith("All received from the warehouse.")
    assert next_step(half_shipped) is Step.STAGE  # what is here may go on the shelf
    assert hint_for(half_shipped, Step.STAGE).startswith("1 of 2 units received: scan the")
    assert next_step(replace(half_shipped, summary=part_staged.summary)) is Step.WAIT


def test_while_units_are_coming_a_bin_stages_and_anything_else_is_received() -> None:
    coming = _order(S.AWAITING_TRANSFER, _line("SKU-1", "1", shipped=1, received=1))
    here = _order(S.PICKED, _line("SKU-1", "1", shipped=2, received=2))

    assert scan_means(coming, Step.STAGE, "h-01") is Step.STAGE
    assert scan_means(coming, Step.STAGE, "8901234567893") is Step.RECEIVE
    assert scan_means(coming, Step.WAIT, "SKU-1") is Step.RECEIVE
    assert scan_means(coming, Step.RECEIVE, "WEB-8") is Step.RECEIVE  # then found as an order
    assert scan_means(here, Step.STAGE, "8901234567893") is Step.STAGE  # all here: a bin only


def test_a_quantity_keyed_before_the_item_is_one_entry() -> None:
    order = _order(S.AWAITING_TRANSFER, _line("SKU-1", "08901234567893"), _line("12X4", "1"))

    assert read_entry(order, "3*8901234567893") == Entry("8901234567893", 3, keyed=True)
    assert read_entry(order, "3x SKU-1") == Entry("SKU-1", 3, keyed=True)
    assert read_entry(order, " 12 X sku-1 ") == Entry("sku-1", 12, keyed=True)
    assert read_entry(order, "3*") == Entry("", 3, keyed=True)  # the scan comes next
    assert read_entry(order, "12x4") == Entry("12x4")  # an SKU of the order, not 12 × "4"
    assert read_entry(order, "SKU-1") == Entry("SKU-1")
    assert read_entry(order, "0*SKU-1") == Entry("SKU-1", 0, keyed=True)  # refused on screen


def test_a_scan_takes_the_quantity_keyed_in_the_field_before_it() -> None:
    order = _order(S.AWAITING_TRANSFER, _line("SKU-1", "8901234567893"))

    assert read_scan(order, "3*", "8901234567893") == Entry("8901234567893", 3, keyed=True)
    assert read_scan(order, " 3 x ", "8901234567893") == Entry("8901234567893", 3, keyed=True)
    # typed quickly, the "*" lands in the scanner's burst: the field keeps the "3"
    assert read_scan(order, "3", "*8901234567893") == Entry("8901234567893", 3, keyed=True)
    assert read_scan(order, "3", "8901234567893") == Entry("8901234567893")  # no "*": a slip
    assert read_scan(order, "SKU", "8901234567893") == Entry("8901234567893")
    assert read_scan(order, "", "8901234567893") == Entry("8901234567893")


def _staged(phone: str) -> PickupDetail:
    line = replace(
        _line("SKU-1", "8901234567893", shipped=2, received=2), coming=0, to_pick=0, inbound=0
    )
    order = _order(S.STAGED, line, bin_code="H-01", log={})
    return replace(order, summary=replace(order.summary, customer_phone=phone))


def test_ready_says_who_tells_the_customer() -> None:
    with_phone, without = _staged("+91 98200 55555"), _staged(" ")

    assert has_contact(with_phone) and not has_contact(without)
    assert ready_done(with_phone) == READY_DONE
    assert ready_done(without) == READY_NO_CONTACT
    assert "tell them when they call or come in" in READY_NO_CONTACT
    assert is_ready_done(f"{READY_NO_CONTACT} Printing the pickup tag…")
    assert hint_for(with_phone, Step.READY).endswith("the customer gets the ready message.")
    assert hint_for(without, Step.READY).endswith("tell the customer yourself.")
    assert hint_for(without, Step.READY).startswith("On bin H-01. Press F9 to mark it ready.")
