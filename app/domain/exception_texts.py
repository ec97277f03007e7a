"""What each kind of exception says to a store lead: a title in shop words, what
happened, and what to do next, with the order or item it is about named.

One table serves the ledger (which writes what happened and what to do into the
exceptions it opens) and the station (which titles every exception, and words the
operations the ledger refused it). A kind is either a ledger flag (``oversell``,
``collected_after_cancel`` …) or the cause of a refused operation (``order_cancelled``
…). Texts name an order as "order WEB-240001" and an item as "Basmati rice 5 kg
(SKU-1)", never by a row id.
"""

from __future__ import annotations

from dataclasses import dataclass

# Flags the ledger opens (rule 1 of the sync protocol: physical facts it recorded anyway).
OVERSELL = "oversell"
COLLECTED_AFTER_CANCEL = "collected_after_cancel"
SHORT_PICK = "short_pick"
PICKED_BEYOND_ORDER = "picked_beyond_order"
RECEIVED_BEFORE_SHIPPED = "received_before_shipped"
NOT_RECORDED = "not_recorded"  # stations of before the quarantine may still show it
HANDED_OVER_BEYOND_ORDER = "handed_over_beyond_order"
PICKED_AFTER_MOVE = "picked_after_move"
RECEIVED_BEYOND_TRANSFER = "received_beyond_transfer"
HELD_AT_LEDGER = "held_at_ledger"  # for IT/HQ: quarantined, replayed after a fix
APPROVAL_NOT_VALID = "approval_not_valid"  # a claimed approval the ledger could not vouch for
CLOCK_SKEW = "clock_skew"  # a station's clock is minutes or days off the ledger's
COUNT_NEEDS_CHECK = "count_needs_check"
CANNOT_REROUTE = "cannot_reroute"  # for HQ: what a store refused, no other location can ship
# Ship-from-store facts that do not add up (app.domain.shipping.steps names the kinds).
PICKED_AFTER_CLOSE = "picked_after_close"
PICKED_BEYOND = "picked_beyond"
PACKED_BEYOND = "packed_beyond"
PACKED_AFTER_CLOSE = "packed_after_close"
SSCC_REUSED = "sscc_reused"
WEIGHT_UNCHECKED = "weight_unchecked"
INVOICE_REUSED = "invoice_reused"  # a tax invoice number on two orders (issue #11)
EWAY_BILL_MISSING = "eway_bill_missing"  # handed to the carrier above the threshold, no bill
# A parcel that did not reach its customer (the carrier's tracking, app.domain.shipping.tracking).
DELIVERY_FAILED = "delivery_failed"
RETURNING_TO_STORE = "returning_to_store"
# A return recorded with its refund held for a manager (DESIGN §4 rule 4).
OVER_RETURN = "over_return"  # more taken back than was sold and not yet returned
RETURN_NEEDS_APPROVAL = "return_needs_approval"  # no order found: no valid approval, over limit

# Why the ledger refused an operation of this station.
ORDER_CANCELLED = "order_cancelled"
ORDER_MOVED = "order_moved"
ORDER_CLOSED = "order_closed"
STEP_REFUSED = "step_refused"
COUNT_REFUSED = "count_refused"
CLOSE_REFUSED = "close_refused"
UNKNOWN = "unknown"

# An operation type as the person who recorded it says it ("the ledger refused your …").
STEP_WORDS = {
    "stock.count": "count",
    "exception.resolve": "closing of an exception",
    "pickup.accept": "acceptance",
    "pickup.pick": "pick",
    "pickup.stage": "staging on the hold shelf",
    "pickup.ready": "ready message",
    "pickup.handover": "handover",
    "pickup.cancel": "cancellation",
    "pickup.restock": "put-back",
    "pickup.receive": "receipt of a transfer",
    "ship.pick": "pick",
    "ship.unpick": "unpick",
    "ship.reject": "rejection",
    "ship.pack": "packing",
    "ship.label_void": "label void",
    "ship.assign": "choice of picker",
    "ship.handover": "hand-over to the carrier",
    "return.intake": "return",
    "return.put_away": "put-away of a returned unit",
    "exchange.order": "exchange order",
}


@dataclass(frozen=True)
class ExceptionText:
    """A title (a few words), what happened, and what to do next."""

    title: str
    what: str
    next_step: str


@dataclass(frozen=True)
class Subject:
    """What an exception is about, in words; every field may be empty.

    ``order``: an order number; ``item``: an item as "name (SKU)"; ``steps``: the
    refused steps in words ("acceptance and staging"); ``units``: units in words ("2 ×
    Basmati rice (SKU-1)"); ``bin``: the hold-shelf bin the units went to, if known;
    ``detail``: more sentences, e.g. the ledger's own reason.
    """

    order: str = ""
    item: str = ""
    steps: str = ""
    units: str = ""
    bin: str = ""
    detail: str = ""


_PUT_BACK = (
    "Put back on the shelf anything picked for {order}{from_bin} (Pickup lists it as a "
    "put-back task)"
)
# Refused steps after which units are off the shelf or on a bin: they need putting back.
_UNITS_MOVED = frozenset(STEP_WORDS[t] for t in ("pickup.pick", "pickup.stage", "pickup.receive"))
# An order closed meanwhile whose refused steps moved units: the put-back wording.
_CLOSED_PUT_BACK = _PUT_BACK + ". Open {order} to see where it stands, then close this."

TEXTS: dict[str, ExceptionText] = {
    OVERSELL: ExceptionText(
        "Fewer on the shelf than promised",
        "After a count, {item} has fewer units on hand than customer orders have "
        "reserved. {detail}",
        "Look for the missing units of {item}. If they are gone, reroute or cancel the "
        "orders that cannot be filled, then close this.",
    ),
    COLLECTED_AFTER_CANCEL: ExceptionText(
        "Handed over after a cancel",
        "{Order} was handed over at the counter after it had been cancelled or moved to "
        "another store. The handover is recorded: the customer has the items.",
        "Check the payment and any refund for {order} with customer service; close this "
        "when it is settled.",
    ),
    SHORT_PICK: ExceptionText(
        "Items not found on the shelf",
        "Some items of {order} could not be found on the shelf when it was picked. {detail}",
        "Decide with the customer: reroute the missing items or hand {order} over as it "
        "is. Count the missing items so the stock is right.",
    ),
    PICKED_BEYOND_ORDER: ExceptionText(
        "Picked more than ordered",
        "More was picked for {order} than it holds: {units}. Those units still count as "
        "on the shelf.",
        "Put {units} back on the shelf, then close this.",
    ),
    RECEIVED_BEFORE_SHIPPED: ExceptionText(
        "Received before it was shipped",
        "The transfer for {order} was received at the store before the warehouse "
        "recorded shipping it; the receipt recorded the shipment as well. {detail}",
        "Check the units against {order} and tell the other end they arrived, so they are "
        "not sent again; then close this.",
    ),
    HANDED_OVER_BEYOND_ORDER: ExceptionText(
        "Handed over more than ordered",
        "{Order} was handed over again, or with more than it holds: {units} left the "
        "store beyond the order (another station may have handed it over too). The "
        "handover is recorded, so the book may show fewer on hand than the shelf holds, "
        "even below zero. {detail}",
        "Ask a lead to count {item} now so the stock is right, and check with customer "
        "service whether a customer got {order} twice. Close this when counted.",
    ),
    PICKED_AFTER_MOVE: ExceptionText(
        "Picked after it moved",
        "{Order} was moved to another store before this station's pick reached the "
        "ledger. The pick is recorded: {units} are off the shelf here for an order this "
        "store no longer fills.",
        "Put {units} back on the shelf (Pickup lists it as a put-back task), then close this.",
    ),
    RECEIVED_BEYOND_TRANSFER: ExceptionText(
        "Received more than was sent",
        "{units} for {order} were scanned in beyond what the transfer carries (another "
        "station may have received the same parcel). The receipt is recorded; the extra "
        "units were not added to stock.",
        "Count {item} and check the parcel against {order}; close this when counted.",
    ),
    HELD_AT_LEDGER: ExceptionText(
        "Held at the ledger",
        "The ledger could not apply this station's {steps}{about} and holds it for IT "
        "(quarantine {detail}). Nothing of it is applied yet; the station's queue went on.",
        "Do not record it again: IT replays it with 'counterbench ledger quarantine "
        "replay' once the ledger is fixed or upgraded, and this closes by itself.",
    ),
    NOT_RECORDED: ExceptionText(
        "Not recorded by the ledger",
        "The ledger could not record this station's {steps}{about}. Nothing of it was "
        "applied. {detail}",
        "Do it again if it still applies, retyping any names or notes. If the ledger "
        "refuses it again, leave this open and call IT support.",
    ),
    APPROVAL_NOT_VALID: ExceptionText(
        "Approval does not hold",
        "This station's {steps}{about} was recorded as approved, but the approval does not "
        "hold. {detail} The {steps} itself is recorded.",
        "A manager should check with the people named what happened and whether the "
        "{steps} was allowed, then close this with a note.",
    ),
    CLOCK_SKEW: ExceptionText(
        "Terminal clock is wrong",
        "{detail} Work still reaches the ledger in the right order, but the times this "
        "terminal shows and records are off.",
        "Ask IT to set the time on this terminal (or to fix its time sync), then close this.",
    ),
    COUNT_NEEDS_CHECK: ExceptionText(
        "Count needs checking",
        "A count of {item} came from a station that had not seen the ledger's stock "
        "(it had never synced, or the ledger had just been restored from a backup). {detail}",
        "Count {item} again now and record it, so the stock is right; then close this.",
    ),
    ORDER_CANCELLED: ExceptionText(
        "Cancelled while you worked on it",
        "{Order} was cancelled at the ledger (by the customer or customer service) before "
        "this station's {steps} reached it, so {they_were} not recorded.",
        _PUT_BACK + ". If the customer comes for it, tell them it was cancelled. Then close this.",
    ),
    ORDER_MOVED: ExceptionText(
        "Moved to another store",
        "{Order} was moved to another store before this station's {steps} reached the "
        "ledger, so {they_were} not recorded here.",
        _PUT_BACK + ". If the customer comes, send them to the store that has it now "
        "(Pickup: 'Which store has it?'). Then close this.",
    ),
    ORDER_CLOSED: ExceptionText(
        "Order already closed",
        "{Order} was already closed at the ledger when this station's {steps} reached "
        "it, so {they_were} not recorded. {detail}",
        "Open {order} to see where it stands; nothing needs doing again. Close this when checked.",
    ),
    STEP_REFUSED: ExceptionText(
        "Step not recorded",
        "The ledger refused this station's {steps}{about}. {detail}",
        "Open {order}, check where it stands, and do the step again if it still applies.",
    ),
    COUNT_REFUSED: ExceptionText(
        "Count not recorded",
        "The ledger refused this station's count of {item}. {detail}",
        "Count {item} again; if it is refused again, set it aside and tell your lead.",
    ),
    CLOSE_REFUSED: ExceptionText(
        "Not closed at the ledger",
        "The ledger did not close an exception this station resolved, so it shows as "
        "open again. {detail}",
        "Resolve it again as a lead or manager, with a note of what was done.",
    ),
    CANNOT_REROUTE: ExceptionText(
        "No other location can ship it",
        "A store refused part of {order} and no other location can ship it. {detail}",
        "HQ: offer the customer a smaller quantity, a back-order or a refund for {order}, "
        "then close this.",
    ),
    PICKED_AFTER_CLOSE: ExceptionText(
        "Picked after it was closed",
        "{Order} was cancelled or moved to another location before this bench's pick "
        "reached the ledger. The pick is recorded: {units} are off the shelf here for an "
        "order this location no longer ships.",
        "Put {units} back on the shelf (the bench lists it as an unpick task); this "
        "closes when the unpick is recorded.",
    ),
    PICKED_BEYOND: ExceptionText(
        "Picked more than the order needs",
        "More was picked for {order} than it still needs: {units}. The pick is recorded.",
        "Put the extra units back on the shelf (the bench lists them as an unpick task), "
        "then close this.",
    ),
    PACKED_BEYOND: ExceptionText(
        "Packed more than was picked",
        "A parcel of {order} holds units the ledger never saw picked for it (it holds "
        "{units}). The parcel is recorded.",
        "Open the parcel and check it against {order}; void its label and repack if it "
        "is wrong, then close this.",
    ),
    PACKED_AFTER_CLOSE: ExceptionText(
        "Packed after it was closed",
        "{Order} was cancelled or moved to another location before this bench's parcel "
        "reached the ledger. The parcel is recorded but must not leave.",
        "Keep the parcel back from the carrier, void its label and put the units back on "
        "the shelf, then close this.",
    ),
    SSCC_REUSED: ExceptionText(
        "Label used twice",
        "A parcel of {order} ({units}) was packed under a label (SSCC) already on another "
        "parcel. Carriers would mix the two up.",
        "Void the label of one of the parcels and print it a new one, then close this.",
    ),
    WEIGHT_UNCHECKED: ExceptionText(
        "Parcel weight not accepted",
        "A parcel of {order} ({units}) weighs outside what its items should weigh, and no "
        "lead accepted it.",
        "A lead weighs the parcel and checks its contents; void and repack it if it is "
        "wrong, then close this.",
    ),
    INVOICE_REUSED: ExceptionText(
        "Invoice number used twice",
        "{Order} ({units}) was packed under a tax invoice number already on another "
        "order, or under a second number. The ledger kept the first; GST returns need one "
        "number per invoice.",
        "Tell the accounts team: they cancel this invoice and issue a new number by a "
        "credit note, then close this.",
    ),
    EWAY_BILL_MISSING: ExceptionText(
        "Left without an e-way bill",
        "A parcel of {order} was handed to the carrier without a valid e-way bill, though "
        "the order is worth more than the e-way bill threshold. The hand-over is recorded: "
        "the parcel has left. {detail}",
        "Generate the e-way bill for {order} on the GST e-way bill portal now, give its "
        "number to the carrier before the goods travel on, and keep it with the tax "
        "invoice; then close this.",
    ),
    DELIVERY_FAILED: ExceptionText(
        "Delivery failed",
        "The carrier could not deliver a parcel of {order}.",
        "Call the customer and rebook, or wait for the carrier's second attempt.",
    ),
    RETURNING_TO_STORE: ExceptionText(
        "Parcel coming back",
        "A parcel of {order} is on its way back to this store.",
        "Receive it at the bench when it arrives.",
    ),
    OVER_RETURN: ExceptionText(
        "Returned more than was sold",
        "More of {order} came back than was sold and not yet returned (another counter "
        "may have taken the same line back): {detail} The return is recorded: the units "
        "are in the store. The refund waits for a manager.",
        "A manager checks the returns of {order} and, if the refund is owed, approves it "
        "by closing this; if not, tells customer service before closing it.",
    ),
    RETURN_NEEDS_APPROVAL: ExceptionText(
        "Refund waits for a manager",
        "A return {detail} The return is recorded: the units are in the store. The "
        "refund waits for a manager.",
        "A manager checks the return and the customer's details and approves the refund "
        "by closing this.",
    ),
    UNKNOWN: ExceptionText(
        "Needs a look",
        "{detail}",
        "Ask a lead or manager what to do, then close this with a note.",
    ),
}


def exception_text(kind: str, subject: Subject, *, next_step: str = "") -> ExceptionText:
    """The words for an exception of ``kind`` about ``subject``; a ``next_step`` the
    rule that refused it gave (specific to the case) stands instead of the table's own."""
    texts = TEXTS.get(kind, TEXTS[UNKNOWN])
    if kind == ORDER_CLOSED and _moved_units(subject.steps):
        texts = ExceptionText(texts.title, texts.what, _CLOSED_PUT_BACK)
    order = f"order {subject.order}" if subject.order else "the order"
    names = {
        "order": order,
        "Order": order[:1].upper() + order[1:],
        "item": subject.item or "the item",
        "about": f" of {order}" if subject.order else f" of {subject.item}" if subject.item else "",
        "steps": subject.steps or "step",
        "they_were": "they were" if " and " in subject.steps else "it was",
        "units": subject.units or "the extra units",
        "from_bin": f" from bin {subject.bin}" if subject.bin else "",
        "detail": subject.detail,
    }
    own = _tidy(texts.next_step.format(**names))
    given = next_step.strip()
    return ExceptionText(
        title=texts.title,
        what=_tidy(texts.what.format(**names)) or "The ledger gave no reason.",
        next_step=given or own,
    )


def _moved_units(steps: str) -> bool:
    """Whether the steps in words ("acceptance and pick") hold one that moved units."""
    return any(word in _UNITS_MOVED for word in steps.replace(" and ", ", ").split(", "))


def refusal_cause(op_type: str, order_state: str | None) -> str:
    """Why the ledger refused an operation, from its type and the state the ledger has
    since sent for its order (a pickup or ship step on an order cancelled meanwhile …)."""
    if op_type == "stock.count":
        return COUNT_REFUSED
    if op_type == "exception.resolve":
        return CLOSE_REFUSED
    if not op_type.startswith(("pickup.", "ship.")):
        return UNKNOWN
    if order_state == "cancelled":
        return ORDER_CANCELLED
    if order_state == "rerouted":
        return ORDER_MOVED
    if order_state in _CLOSED:
        return ORDER_CLOSED
    return STEP_REFUSED


_CLOSED = frozenset({"collected", "shipped", "delivered", "rejected"})
# Causes that all say "this order was closed while the station worked on it": one row.
ORDER_GONE = frozenset({ORDER_CANCELLED, ORDER_MOVED, ORDER_CLOSED, COLLECTED_AFTER_CANCEL})


def steps_in_words(op_types: list[str]) -> str:
    """Operation types as one phrase: "acceptance and staging on the hold shelf"."""
    words = list(dict.fromkeys(STEP_WORDS.get(t, "step") for t in op_types))
    if len(words) <= 1:
        return words[0] if words else "step"
    return ", ".join(words[:-1]) + " and " + words[-1]


def item_in_words(name: str, sku: str) -> str:
    """An item as an associate finds it: "Basmati rice 5 kg (SKU-1)", or just the SKU."""
    return f"{name} ({sku})" if name and sku else name or sku


def _tidy(text: str) -> str:
    return " ".join(text.split())
