"""The ledger's tables (SQLAlchemy 2 declarative). Alembic migrations mirror these.

Stock is the sum of append-only ``stock_movements``; ``stock_balances`` is kept in the
same transaction as each movement. Every change a station may pull gets a row in
``change_log`` under a ``ledger_seq`` allocated from the one-row ``ledger_head``.
"""

from __future__ import annotations

from app.ledger.models.base import (
    DEFAULT_REMINDER_DAYS,
    Base,
    LedgerHead,
    SeqBlock,
    SeqType,
    table_of,
)
from app.ledger.models.bins import ShelfBin
from app.ledger.models.devices import (
    ApprovalUse,
    AuditEntry,
    ChangeLog,
    Device,
    EnrolCode,
    LedgerException,
    OpReceived,
    QuarantinedOp,
    RejectionReason,
    Staff,
    StaffStore,
)
from app.ledger.models.invoices import InvoiceBlock, OrderInvoice
from app.ledger.models.orders import (
    CustomerMessage,
    FulfilmentEvent,
    FulfilmentLine,
    FulfilmentOrder,
    Order,
    OrderLine,
    Reservation,
    TillReceipt,
    Transfer,
    TransferLine,
)
from app.ledger.models.returns import Return, ReturnLine, ReturnPutAway
from app.ledger.models.shipping import (
    BoxType,
    Carrier,
    CarrierCursor,
    CarrierPincode,
    LocationCarrier,
    OrderRefusal,
    Parcel,
    ParcelLine,
    RouteDecision,
    ShipmentEvent,
)
from app.ledger.models.stock import (
    Item,
    Location,
    StockBalance,
    StockMovement,
)
from app.ledger.models.tax import GstRateRow

__all__ = [
    "DEFAULT_REMINDER_DAYS",
    "ApprovalUse",
    "AuditEntry",
    "Base",
    "BoxType",
    "Carrier",
    "CarrierCursor",
    "CarrierPincode",
    "ChangeLog",
    "CustomerMessage",
    "Device",
    "EnrolCode",
    "FulfilmentEvent",
    "FulfilmentLine",
    "FulfilmentOrder",
    "GstRateRow",
    "InvoiceBlock",
    "Item",
    "LedgerException",
    "LedgerHead",
    "Location",
    "LocationCarrier",
    "OpReceived",
    "Order",
    "OrderInvoice",
    "OrderLine",
    "OrderRefusal",
    "Parcel",
    "ParcelLine",
    "QuarantinedOp",
    "RejectionReason",
    "Reservation",
    "Return",
    "ReturnLine",
    "ReturnPutAway",
    "RouteDecision",
    "SeqBlock",
    "SeqType",
    "ShelfBin",
    "ShipmentEvent",
    "Staff",
    "StaffStore",
    "StockBalance",
    "StockMovement",
    "TillReceipt",
    "Transfer",
    "TransferLine",
    "table_of",
]
