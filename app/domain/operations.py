"""Operations: the mutations a station makes, as they travel to the ledger.

Each operation type has a frozen payload dataclass that validates itself from the
wire dictionary. The station builds one, the outbox stores it, the ledger applies it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any, ClassVar

from app.domain.stock import Bucket
from app.errors import BadInput


class OperationType(StrEnum):
    STOCK_COUNT = "stock.count"


class OperationStatus(StrEnum):
    """Where an operation stands, as the station sees it."""

    PENDING = "pending"  # in the outbox, not yet confirmed by the ledger
    APPLIED = "applied"  # the ledger applied it
    REJECTED = "rejected"  # the ledger refused it; a person resolves it in Exceptions


@dataclass(frozen=True)
class StockCount:
    """"Observed N of this item in this bucket here", as counted by a person."""

    TYPE: ClassVar[OperationType] = OperationType.STOCK_COUNT

    location: str
    sku: str
    bucket: Bucket
    observed: int

    def __post_init__(self) -> None:
        if not self.location or not self.sku:
            raise BadInput("A count needs a location and an item.")
        if isinstance(self.observed, bool) or not isinstance(self.observed, int):
            raise BadInput("A counted quantity is a whole number.")
        if self.observed < 0:
            raise BadInput(
                "A counted quantity cannot be negative.",
                next_step="Count again and type what is on the shelf (0 if none).",
            )

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> StockCount:
        try:
            return cls(
                location=str(payload["location"]),
                sku=str(payload["sku"]),
                bucket=Bucket(payload.get("bucket", Bucket.SELLABLE)),
                observed=payload["observed"],
            )
        except (KeyError, ValueError) as exc:
            raise BadInput(f"The count is incomplete or malformed ({exc}).") from exc

    def to_payload(self) -> dict[str, Any]:
        data = asdict(self)
        data["bucket"] = self.bucket.value
        return data


PAYLOADS: dict[OperationType, Any] = {OperationType.STOCK_COUNT: StockCount}


def parse_payload(op_type: str, payload: dict[str, Any]) -> StockCount:
    """The validated payload object for a wire operation; ``BadInput`` if unknown or bad."""
    try:
        kind = OperationType(op_type)
    except ValueError as exc:
        raise BadInput(f"Unknown operation type '{op_type}'.") from exc
    result: StockCount = PAYLOADS[kind].from_payload(payload)
    return result
