"""Operations: the mutations a station makes, as they travel to the ledger.

Each operation type has a frozen payload dataclass that validates itself from the
wire dictionary. The station builds one, the outbox stores it, the ledger applies it.
Every type is registered, with whether it is a physical fact or an intention, in
:mod:`app.domain.op_types`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any, ClassVar

from app.domain.exception_ops import RESOLVE_EXCEPTION, ResolveException
from app.domain.pickup_ops import PickupOp, PickupPayload
from app.domain.returns.exchange import ExchangeOrder
from app.domain.returns.intake_op import ReturnIntake
from app.domain.returns.put_away import ReturnPutAway
from app.domain.shipping.assign import ShipAssign
from app.domain.shipping.ops import ShipPayload
from app.domain.stock import Bucket
from app.errors import BadInput


class OperationType(StrEnum):
    STOCK_COUNT = "stock.count"
    EXCEPTION_RESOLVE = RESOLVE_EXCEPTION
    PICKUP_ACCEPT = PickupOp.ACCEPT.value
    PICKUP_PICK = PickupOp.PICK.value
    PICKUP_STAGE = PickupOp.STAGE.value
    PICKUP_READY = PickupOp.READY.value
    PICKUP_HANDOVER = PickupOp.HANDOVER.value
    PICKUP_CANCEL = PickupOp.CANCEL.value
    PICKUP_RESTOCK = PickupOp.RESTOCK.value
    PICKUP_RECEIVE = PickupOp.RECEIVE.value


# The most units of one item a person can count in one bucket at one location. Beyond it
# the number is a typing slip (an extra zero, a scanned barcode in the quantity field).
MAX_COUNTED = 1_000_000


class OperationStatus(StrEnum):
    """Where an operation stands, as the station sees it."""

    PENDING = "pending"  # in the outbox, not yet confirmed by the ledger
    APPLIED = "applied"  # the ledger applied it
    REJECTED = "rejected"  # the ledger refused it; a person resolves it in Exceptions


@dataclass(frozen=True)
class StockCount:
    """ "Observed N of this item in this bucket here", as counted by a person."""

    TYPE: ClassVar[OperationType] = OperationType.STOCK_COUNT

    location: str
    sku: str
    bucket: Bucket
    observed: int
    # A count far from the book was counted twice: the first count, and why they differ
    # (a reason code of the retailer's table, ReasonUse.COUNT). Both for the audit only.
    first_count: int | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        if not self.location or not self.sku:
            raise BadInput("A count needs a location and an item.")
        if self.first_count is not None and (
            isinstance(self.first_count, bool) or not isinstance(self.first_count, int)
        ):
            raise BadInput("The first count is a whole number.")
        if isinstance(self.observed, bool) or not isinstance(self.observed, int):
            raise BadInput("A counted quantity is a whole number.")
        if self.observed < 0:
            raise BadInput(
                "A counted quantity cannot be negative.",
                next_step="Count again and type what is on the shelf (0 if none).",
            )
        if self.observed > MAX_COUNTED:
            raise BadInput(
                f"{self.observed:,} is more than one shelf can hold ({MAX_COUNTED:,} at most).",
                next_step="Check the number: a scanned barcode may have landed in the quantity.",
            )

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> StockCount:
        try:
            return cls(
                location=str(payload["location"]),
                sku=str(payload["sku"]),
                bucket=Bucket(payload.get("bucket", Bucket.SELLABLE)),
                observed=payload["observed"],
                first_count=payload.get("first_count"),
                reason=str(payload.get("reason") or ""),
            )
        except (KeyError, ValueError) as exc:
            raise BadInput(f"The count is incomplete or malformed ({exc}).") from exc

    def to_payload(self) -> dict[str, Any]:
        data = asdict(self)
        data["bucket"] = self.bucket.value
        if self.first_count is None:  # a plain count travels as before
            del data["first_count"]
        if not self.reason:
            del data["reason"]
        return data


Payload = (
    StockCount | ResolveException | PickupPayload | ShipPayload | ShipAssign | ReturnIntake
    | ReturnPutAway | ExchangeOrder
)  # fmt: skip
