"""Table models of the Pickup screen: the queue grouped by what is to be done, and the
lines of one order with their counters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from app.domain.fulfilment import FulfilmentState
from app.services.pickup_results import (
    PickupDetail,
    PickupLineView,
    PickupQueue,
    PickupSummary,
    RestockTask,
)
from app.ui.models import Column, Index, RowsModel, local_time
from app.ui.screens.pickup_steps import units_text

S = FulfilmentState
STATE_NAMES = {
    S.ROUTED: "New: to accept",
    S.ACCEPTED: "Accepted: to pick",
    S.AWAITING_TRANSFER: "Coming from the warehouse",
    S.PICKING: "Picking",
    S.PICKED: "Picked: to stage",
    S.STAGED: "On the hold shelf",
    S.READY_FOR_PICKUP: "Ready for pickup",
    S.COLLECTED: "Collected",
    S.SHORT: "Short: ledger decides",
    S.REROUTED: "Moved to another store",
    S.CANCELLED: "Cancelled",
}


def state_text(state: FulfilmentState) -> str:
    """An order state in the shop's words."""
    return STATE_NAMES.get(state, str(state).replace("_", " ").capitalize())


def age_text(since: datetime | None, now: datetime) -> str:
    """How long ago, roughly: "45 min", "3 h", "2 d"."""
    if since is None:
        return ""
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} d"


@dataclass(frozen=True)
class QueueEntry:
    """A group heading (no ``fulfilment_id``) or one order of the queue."""

    fulfilment_id: int | None
    order: str
    customer: str = ""
    age: str = ""


GROUPS = (
    "To pick", "From the warehouse", "To stage", "Staged", "Ready", "Restock", "Collected",
    "Cancelled",
)  # fmt: skip
SHOWN_WHEN_EMPTY = frozenset(GROUPS) - {"From the warehouse"}  # only stores that get them


def queue_entries(queue: PickupQueue) -> list[QueueEntry]:
    """The queue as rows: each group's heading with its count, then its page of orders
    (the oldest promised first; collected and cancelled: the latest). Orders coming from
    the warehouse are a group only when there are some."""

    def order(s: PickupSummary) -> QueueEntry:
        return QueueEntry(
            s.fulfilment_id, s.order_number, s.customer_name, age_text(s.created_at, queue.as_of)
        )

    def task(t: RestockTask) -> QueueEntry:
        return QueueEntry(t.fulfilment_id, t.order_number, f"Bin {t.bin}" if t.bin else "")

    groups: list[tuple[str, str, list[QueueEntry]]] = [
        ("To pick", "to_pick", [order(s) for s in queue.to_pick]),
        ("From the warehouse", "from_warehouse", [order(s) for s in queue.from_warehouse]),
        ("To stage", "to_stage", [order(s) for s in queue.to_stage]),
        ("Staged", "staged", [order(s) for s in queue.staged]),
        ("Ready", "ready", [order(s) for s in queue.ready]),
        ("Restock", "to_restock", [task(t) for t in queue.to_restock]),
        ("Collected", "collected", [order(s) for s in queue.collected]),
        ("Cancelled", "cancelled", [order(s) for s in queue.cancelled]),
    ]
    rows: list[QueueEntry] = []
    for name, bucket, entries in groups:
        count = queue.count(bucket)
        if not count and name not in SHOWN_WHEN_EMPTY:
            continue
        which = "latest" if bucket in ("collected", "cancelled") else "oldest"
        shown = f"  ·  {which} {len(entries)} shown" if len(entries) < count else ""
        rows.append(QueueEntry(None, f"{name} ({count:,}){shown}"))
        rows.extend(entries)
    return rows


class PickupQueueModel(RowsModel[QueueEntry]):
    """The pickup queue; heading rows are bold, cannot be chosen, and span the row (the
    view sets the spans: ``heading_rows``). Order, customer and age only: in a third of
    the screen the customer's name is what finds the order (units show once it is open)."""

    columns = (
        Column[QueueEntry]("Order", lambda r: r.order),
        Column[QueueEntry]("Customer", lambda r: r.customer),
        Column[QueueEntry]("Age", lambda r: r.age, numeric=True, tip="Since the order was placed"),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(lambda r: (r.fulfilment_id, r.order), parent)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if index.isValid() and self.row_at(index.row()).fulfilment_id is None:
            return Qt.ItemFlag.ItemIsEnabled
        return super().flags(index)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.FontRole
            and index.isValid()
            and self.row_at(index.row()).fulfilment_id is None
        ):
            font = QFont()
            font.setBold(True)
            return font
        return super().data(index, role)

    def heading_rows(self) -> list[int]:
        """The rows that head a group."""
        return [i for i, row in enumerate(self.rows()) if row.fulfilment_id is None]

    def row_of(self, fulfilment_id: int) -> int:
        """The row showing an order, or -1."""
        for i, row in enumerate(self.rows()):
            if row.fulfilment_id == fulfilment_id:
                return i
        return -1


Line = Column[PickupLineView]
ITEM = Line("Item", lambda r: _item_text(r))
SKU = Line("SKU", lambda r: r.sku)
ORDERED = Line("Ordered", lambda r: str(r.ordered), numeric=True)
COLLECTED = Line("Collected", lambda r: str(r.collected), numeric=True)
RECEIVED = Line("Received", lambda r: str(r.received), numeric=True, tip="Scanned in here")
# The columns of the step at hand: what is done shows, what is not yet begun does not
# (each column less leaves the item's name more room).
PICK_COLUMNS = (ITEM, SKU, ORDERED, Line("Picked", lambda r: str(r.picked), numeric=True))
HANDOVER_COLUMNS = (
    ITEM,
    SKU,
    ORDERED,
    Line("Ready", lambda r: str(r.ready), numeric=True),
    COLLECTED,
)
RESTOCK_COLUMNS = (  # a cancelled or no-show order, or what a customer left behind
    ITEM,
    SKU,
    COLLECTED,
    Line("To put back", lambda r: str(r.restock_due), numeric=True, tip="To the shelf"),
    Line("Put back", lambda r: str(r.restocked), numeric=True),
)
TRANSFER_COLUMNS = (  # ship-for-pickup, while units are coming from the warehouse
    ITEM,
    SKU,
    ORDERED,
    Line("Shipped", lambda r: str(r.shipped), numeric=True, tip="By the warehouse so far"),
    RECEIVED,
    Line(
        "In transit",
        lambda r: str(r.in_transit),
        numeric=True,
        tip="Shipped by the warehouse, not received here yet",
    ),
)
RECEIVED_COLUMNS = (ITEM, SKU, ORDERED, RECEIVED)  # all of it is here, not ready yet


def _columns_for(rows: Sequence[PickupLineView]) -> Sequence[Line]:
    if any(r.coming for r in rows):
        return TRANSFER_COLUMNS
    if any(r.restock_due or r.restocked for r in rows):
        return RESTOCK_COLUMNS
    if any(r.ready or r.collected for r in rows):
        return HANDOVER_COLUMNS
    return RECEIVED_COLUMNS if any(r.inbound for r in rows) else PICK_COLUMNS


class PickupLineModel(RowsModel[PickupLineView]):
    """The lines of the open order with the counters of the step at hand (picked; ready
    and collected; what goes back to the shelf); what is short or cancelled shows beside
    the item. A ship-for-pickup order shows per line what is shipped, received and in
    transit (once all is here: received instead of picked)."""

    columns: Sequence[Line] = PICK_COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(lambda r: r.sku, parent)

    def set_rows(self, rows: Sequence[PickupLineView]) -> None:
        """The next order's lines: as many rows as shown are changed in place (the view
        keeps its header and geometry, a scan repaints less), else the model is reset."""
        columns = _columns_for(rows)
        if not rows or len(rows) != self.rowCount() or columns is not self.columns:
            self.beginResetModel()
            self.columns = columns
            self._rows = list(rows)
            self.endResetModel()
            return
        self._rows = list(rows)
        last = self.index(len(rows) - 1, len(self.columns) - 1)
        self.dataChanged.emit(self.index(0, 0), last)


def _item_text(line: PickupLineView) -> str:
    notes = [f"{line.short} short" if line.short else ""]
    notes.append(f"{line.cancelled} cancelled" if line.cancelled else "")
    note = ", ".join(n for n in notes if n)
    return (line.name or line.sku) + (f"  ({note})" if note else "")


def pickup_by_text(summary: PickupSummary) -> str:
    """When the hold ends, in local time, or "" before the order is ready."""
    return f"Pick up by {local_time(summary.pickup_by)}" if summary.pickup_by else ""


def order_title(order: PickupDetail) -> str:
    """The order's number and customer, as the order panel heads it."""
    return f"{order.summary.order_number}  ·  {order.summary.customer_name}"


def order_meta(order: PickupDetail) -> str:
    """Two lines under the title: the state (cancelled: why, as it goes back to the
    shelf), bin and pickup-by time; the customer's phone, units and steps to sync."""
    s = order.summary
    why = next((x.cancel_reason for x in order.lines if x.cancel_reason), "")
    cancelled = s.state is FulfilmentState.CANCELLED and why
    state = f"{state_text(s.state)}: {why}" if cancelled else state_text(s.state)
    facts = [state, f"Bin {s.bin}" if s.bin else "", pickup_by_text(s)]
    who = [s.customer_phone or "No phone number", units_text(s.units)]
    if s.pending_ops:
        who.append(f"{s.pending_ops} step{'s' * (s.pending_ops != 1)} waiting to sync")
    return "\n".join("  ·  ".join(f for f in g if f) for g in (facts, who))
