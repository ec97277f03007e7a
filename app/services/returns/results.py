"""What the return service answers the screen: the orders found, the return taken."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.returns.grades import Disposition, Grade
from app.domain.returns.lookup import LookFor
from app.domain.returns.refund_rules import RefundMethod
from app.domain.returns.sold import SoldOrder


@dataclass(frozen=True)
class ReturnFound:
    """The orders one lookup found: here (the cache, offline) or at the ledger."""

    orders: tuple[SoldOrder, ...]
    way: LookFor  # what the box was read as
    at_ledger: bool  # False: from this station's cache
    ask_ledger: bool  # none in the cache and online: the ledger is worth asking next
    said: str  # what to do next, e.g. "3 orders hold this item: ↑↓ and Enter to pick one"
    parcel: str = ""  # the SSCC scanned, when found by a returned parcel's label: the
    # draft carries it (``ReturnDraft(order, parcel=found.parcel or None)``), so the
    # ledger marks that parcel's order returned


@dataclass(frozen=True)
class ReturnReason:
    """A reason a customer may give, from the retailer's list (``ReasonUse.RETURN``)."""

    code: str
    label: str


@dataclass(frozen=True)
class ReturnTaken:
    """A return recorded at this station: in the outbox, stock moved here, prints sent."""

    return_id: str
    order_number: str  # "" for a return without an order
    units: int
    refund_minor: int
    method: RefundMethod
    credit_note: str  # "" while the refund is held for a manager
    held: bool  # the refund waits for a manager (an over-return, a no-lookup return)
    rma_ids: tuple[str, ...]  # one per unit, on its RMA label
    said: str  # e.g. "Credit note C0001/2627/00007 printed. Put the 2 units away: …"
    exchange_order: str = ""  # an exchange: the replacement's pickup order here
    pickup_code: str = ""  # and the code its slip prints


@dataclass(frozen=True)
class UnitToTake:
    """One unit scanned for a return without an order, as graded at the counter."""

    code: str  # the barcode scanned (any GTIN form) or the SKU typed
    grade: Grade
    disposition: Disposition
    reason: str  # a code of ``ReturnCounter.reasons()``
    refund_minor: int | None = None  # what the manager keyed; None: the item's price


@dataclass(frozen=True)
class ManagerApproval:
    """The manager who approves a return without an order, as keyed at the counter."""

    code: str
    pin: str


@dataclass(frozen=True)
class ItemToTake:
    """An item a scan names, as a return without an order shows it: name and price."""

    sku: str
    name: str
    price_minor: int


@dataclass(frozen=True)
class NoReceiptRoom:
    """What a customer can still get back without a receipt, and the counter's words."""

    left_minor: int
    limit_minor: int
    at_ledger: bool  # every store's returns counted (False: offline, only this counter's)
    said: str
