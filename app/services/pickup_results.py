"""What the pickup service returns: frozen dataclasses the pickup screens show as they are."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from app.domain.fulfilment import FulfilmentState
from app.domain.labels import PickupTag
from app.errors import RuleRefused


@dataclass(frozen=True)
class PickupLineView:
    """One line of a pickup order with its counters and what is still to do."""

    sku: str
    gtin: str
    name: str
    ordered: int
    picked: int
    short: int
    ready: int
    collected: int
    cancelled: int
    restocked: int
    to_pick: int  # still to take off the shelf
    on_hold_shelf: int  # in the store's custody for the customer
    ready_waiting: int  # announced as ready, not yet collected
    restock_due: int  # to go back to the shelf
    cancel_reason: str = ""
    coming: int = 0  # ship-for-pickup: still expected from the warehouse (of to_pick)
    in_transit: int = 0  # ship-for-pickup: shipped by the warehouse, to receive by scan
    inbound: int = 0  # ship-for-pickup: units the warehouse sends for the line
    shipped: int = 0  # ship-for-pickup: of them shipped by the warehouse so far
    received: int = 0  # ship-for-pickup: of them received here by scan


@dataclass(frozen=True)
class PickupSummary:
    """One order in the pickup queue or a search result."""

    fulfilment_id: int
    order_number: str
    state: FulfilmentState
    customer_name: str
    customer_phone: str
    bin: str | None
    units: int  # units ordered
    created_at: datetime | None  # when the order was placed (ledger time)
    pickup_by: datetime | None  # end of the hold (ledger time), once ready
    pending_ops: int  # operations made here the ledger has not confirmed back yet


@dataclass(frozen=True)
class PickupDetail:
    """An order as the pick, stage and handover screens show it."""

    summary: PickupSummary
    lines: tuple[PickupLineView, ...]
    log: dict[str, Any]  # ready messages, proofs of pickup, cancellations
    has_pickup_code: bool
    store_bins: tuple[str, ...] = ()  # the store's hold-shelf bins (what a bin scan may be)

    @property
    def from_warehouse(self) -> str:
        """Ship-for-pickup: the name of the warehouse the order comes from ("" if none)."""
        if not any(line.inbound for line in self.lines):
            return ""
        transfer = self.log.get("transfer") or {}
        return str(transfer.get("from_name") or transfer.get("from") or "the warehouse")

    def pickup_tag(self, zone: tzinfo, until: datetime | None = None) -> PickupTag:
        """The hold-shelf tag: number, customer, bin and pickup-by date (the hold's end
        once ready, else ``until``) as a date in the store's ``zone`` (a hold that ends at
        20:00 UTC ends the next day in India); refused before the order is on a bin."""
        s = self.summary
        end = s.pickup_by if s.pickup_by is not None else until
        pickup_by = None if end is None else end.astimezone(zone).date()
        if not s.bin or pickup_by is None:
            raise RuleRefused(
                f"Order {s.order_number} is not on a hold-shelf bin yet.",
                next_step="Stage it first: scan the hold-shelf bin label.",
            )
        return PickupTag(s.order_number, s.customer_name, s.bin, pickup_by)


@dataclass(frozen=True)
class PickupFound:
    """What a search at the counter found; ``code_verified`` when a QR/code matched."""

    orders: tuple[PickupSummary, ...]
    found_by: str  # qr | order_number | pickup_code | customer
    code_verified: bool = False
    detail: PickupDetail | None = None  # the one order found, ready to show; None for many


@dataclass(frozen=True)
class PickupQueue:
    """This store's pickup orders by what is to be done: a page of each bucket, oldest
    promised first (collected and cancelled: the latest changed), and every bucket's count.
    """

    to_pick: tuple[PickupSummary, ...]
    to_stage: tuple[PickupSummary, ...]  # picked, not on a hold shelf yet
    staged: tuple[PickupSummary, ...]
    ready: tuple[PickupSummary, ...]
    collected: tuple[PickupSummary, ...]
    cancelled: tuple[PickupSummary, ...]  # cancelled, short or moved to another store
    to_restock: tuple[RestockTask, ...]
    as_of: datetime  # the station clock when read (ages count from it)
    from_warehouse: tuple[PickupSummary, ...] = ()  # ship-for-pickup, awaiting the transfer
    counts: Mapping[str, int] = field(default_factory=dict)  # bucket -> orders in all

    def count(self, bucket: str) -> int:
        """Orders in ``bucket`` (``to_pick`` … ``to_restock``), the page may show fewer."""
        return self.counts.get(bucket, len(getattr(self, bucket)))


@dataclass(frozen=True)
class RestockLine:
    sku: str
    gtin: str
    name: str
    due: int


@dataclass(frozen=True)
class RestockTask:
    """Units of a cancelled or no-show order to scan back to the shelf."""

    fulfilment_id: int
    order_number: str
    state: FulfilmentState
    bin: str | None
    lines: tuple[RestockLine, ...]


@dataclass(frozen=True)
class PickupRecorded:
    """A pickup step committed locally; it reaches the ledger with the next push."""

    op_id: str
    device_seq: int
    note: str  # what happened, for the screen and the timeline
    exceptions: tuple[str, ...]  # exceptions it will open at the ledger (short_pick …)
    order: PickupDetail  # the order as it is now


@dataclass(frozen=True)
class ReasonChoice:
    """One of the retailer's reasons as a list shows it: its code, words and effect."""

    code: str
    label: str
    effect: str  # what it does to stock, in words ("moved to damaged stock")
