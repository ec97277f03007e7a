"""The pickup steps without Qt: which step a ship-for-pickup order is at, what a keyed
quantity before an item means, and what is said of units that go back to the shelf."""

from __future__ import annotations

from dataclasses import replace

from app.domain import pickup as rules
from app.domain import pickup_transfer as transfer
from app.domain.fulfilment import FulfilmentState
from app.domain.pickup_ops import LineQty
from app.domain.pickup_view import PickupLine, PickupOrder
from app.services import pickup_view as view
from app.services.pickup_results import PickupDetail, PickupLineView, PickupSummary
from app.ui.screens.pickup_entry import Entry, named_line, read_entry, read_scan
from app.ui.screens.pickup_steps import (
    READY_DONE,
    READY_NO_CONTACT,
    Done,
    Step,
    changed_on_ledger,
    has_contact,
    hint_for,
    next_step,
    ready_done,
    scan_means,
    what_changed,
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


def test_typed_text_with_a_keyed_quantity_goes_whole_to_the_service() -> None:
    order = _order(S.AWAITING_TRANSFER, _line("SKU-1", "08901234567893"), _line("12X4", "1"))
    typed = {"keyed": True, "typed": True}

    # the service reads "3*CODE" with the catalog: the whole text may be an SKU (2XL-TEE)
    assert read_entry(order, "3*8901234567893") == Entry("3*8901234567893", **typed)
    assert read_entry(order, "3*8901234567893").likely_item == "8901234567893"
    assert read_entry(order, " 12 X sku-1 ") == Entry("12 X sku-1", **typed)
    assert read_entry(order, "2XL-TEE") == Entry("2XL-TEE", **typed)
    assert read_entry(order, "3*") == Entry("", 3, keyed=True)  # the scan comes next
    assert read_entry(order, "3x") == Entry("", 3, keyed=True)
    assert read_entry(order, "12x4") == Entry("12x4")  # an SKU of the order, not 12 × "4"
    assert read_entry(order, "SKU-1") == Entry("SKU-1")
    assert read_entry(order, "SKU-1").likely_item == "SKU-1"


def test_a_scan_is_one_code_with_the_quantity_keyed_in_the_field_before_it() -> None:
    assert read_scan("3*", "8901234567893") == Entry("8901234567893", 3, keyed=True)
    assert read_scan(" 3 x ", "8901234567893") == Entry("8901234567893", 3, keyed=True)
    # typed quickly, the "*" lands in the scanner's burst: the field keeps the "3"
    assert read_scan("3", "*8901234567893") == Entry("8901234567893", 3, keyed=True)
    assert read_scan("3", "8901234567893") == Entry("8901234567893")  # no "*": a slip
    assert read_scan("SKU", "8901234567893") == Entry("8901234567893")
    assert read_scan("", "8901234567893") == Entry("8901234567893")
    # a scanned code is never split, whatever it holds
    assert read_scan("", "2XL-TEE") == Entry("2XL-TEE")
    assert read_scan("", "3X5-CARD") == Entry("3X5-CARD")
    assert read_scan("", "100X") == Entry("100X")
    assert read_scan("", "12*345") == Entry("12*345")
    assert read_scan("2*", "2XL-TEE") == Entry("2XL-TEE", 2, keyed=True)


def test_a_line_is_named_by_its_sku_or_its_gtin_as_the_service_names_it() -> None:
    order = _order(S.PICKING, _line("SKU-1", "08901234567893"), _line("SKU-2", "00000093"))

    assert named_line(order, "8901234567893") is order.lines[0]  # EAN-13 of a GTIN-14
    assert named_line(order, "sku-2") is order.lines[1]
    assert named_line(order, "93") is None  # no GTIN length: the service knows no such code


def _cancelled_on_the_truck() -> tuple[PickupOrder, PickupDetail]:
    """A ship-for-pickup order: 3 shipped, 1 received and staged on H-01, then cancelled
    while 2 are still on the transfer."""
    order = PickupOrder(
        1, "WEB-1", "MUM-01", S.AWAITING_TRANSFER,
        (PickupLine("A", 1, ordered=3, inbound=3, name="Kurta"),), log=FROM_WH,
    )  # fmt: skip
    order = transfer.dispatch(order).order
    order = transfer.receive(order, [LineQty("A", 1)]).order
    order = rules.stage(order, "H-01", ["H-01"]).order
    order = rules.cancel(order, "customer called").order
    return order, view.detail(view.Current(order, None, 0), ("H-01",))


def test_units_still_on_the_transfer_of_a_cancelled_order_go_back_to_the_shelf() -> None:
    order, cancelled = _cancelled_on_the_truck()
    received = transfer.receive(order, [LineQty("A", 1)]).order
    after = view.detail(view.Current(received, None, 0), ("H-01",))
    put_back = rules.restock(received, [LineQty("A", 2)]).order
    shelved = view.detail(view.Current(put_back, None, 0), ("H-01",))

    said = what_changed(cancelled, after, Done.RECEIVED)
    assert said == (
        "Received 1 × Kurta. 2 of 3 units received. Cancelled: put it back on the shelf."
    )
    assert "bin" not in said  # a cancelled order is staged no more
    assert next_step(shelved) is Step.RECEIVE and shelved.summary.bin == "H-01"
    assert hint_for(shelved, Step.RECEIVE) == (
        "Cancelled: receive each unit from Bhiwandi Central Warehouse as you unpack the "
        "transfer, then put it back on the shelf. 2 of 3 units received."
    )
    unstaged = replace(shelved, summary=replace(shelved.summary, bin=None))
    assert "stage" not in hint_for(unstaged, Step.RECEIVE)


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
    assert what_changed(with_phone, without, Done.MADE_READY) == READY_NO_CONTACT
    assert hint_for(with_phone, Step.READY).endswith("the customer gets the ready message.")
    assert hint_for(without, Step.READY).endswith("tell the customer yourself.")
    assert hint_for(without, Step.READY).startswith("On bin H-01. Press F9 to mark it ready.")


def test_offline_the_ready_message_waits_for_the_terminal_to_be_back_online() -> None:
    with_phone, without = _staged("+91 98200 55555"), _staged(" ")

    assert ready_done(with_phone, online=False) == (
        "Ready for pickup: the customer will get the ready message once this terminal is "
        "back online."
    )
    assert what_changed(without, with_phone, Done.MADE_READY, online=False).endswith(
        "once this terminal is back online."
    )
    assert ready_done(without, online=False) == READY_NO_CONTACT  # no message to wait for
    assert hint_for(with_phone, Step.READY, online=False).endswith(
        "the customer gets the ready message once this terminal is back online."
    )


def test_what_the_ledger_changed_on_an_open_order_is_said() -> None:
    staged = _staged("+91 98200 55555")
    cancelled = replace(staged, summary=replace(staged.summary, state=S.CANCELLED))
    moved = replace(staged, summary=replace(staged.summary, state=S.REROUTED))
    confirmed = replace(staged, summary=replace(staged.summary, pending_ops=0))

    assert (
        changed_on_ledger(staged, cancelled) == "Order WEB-7 was cancelled while it was open here."
    )
    assert changed_on_ledger(staged, moved) == (
        "Order WEB-7 was moved to another store while it was open here."
    )
    assert changed_on_ledger(staged, confirmed) == ""  # the same state: nothing to say
