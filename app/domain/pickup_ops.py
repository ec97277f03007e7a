"""Payloads of the BOPIS pickup operations, as they travel from a counter to the ledger.

Every payload names the fulfilment order (``fulfilment_id``, the ledger's id, as in the
fulfilment scope rows) and the store (``location``) the station belongs to. Quantities
are whole units per SKU. ``from_payload`` validates a wire dictionary, ``to_payload``
gives it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from app.domain.op_fields import OrderPayload, text, whole
from app.domain.pickup_proof import Proof, Verification
from app.errors import BadInput


class PickupOp(StrEnum):
    ACCEPT = "pickup.accept"
    PICK = "pickup.pick"
    STAGE = "pickup.stage"
    READY = "pickup.ready"
    HANDOVER = "pickup.handover"
    CANCEL = "pickup.cancel"
    RESTOCK = "pickup.restock"
    RECEIVE = "pickup.receive"  # ship-for-pickup: units of the transfer scanned in


class MessageChannel(StrEnum):
    SMS = "sms"
    EMAIL = "email"
    WHATSAPP = "whatsapp"


@dataclass(frozen=True)
class LineQty:
    """Units of one SKU; ``short`` only in a pick (units that could not be found)."""

    sku: str
    quantity: int
    short: int = 0

    def __post_init__(self) -> None:
        if not self.sku:
            raise BadInput("Each line needs a SKU.")
        whole(self.quantity, "A quantity")
        whole(self.short, "A short quantity")
        if self.quantity + self.short == 0:
            raise BadInput(f"The line for {self.sku} has no units.")

    @classmethod
    def parse(cls, raw: Any) -> LineQty:
        if not isinstance(raw, dict):
            raise BadInput("Each line is an object with a sku and a quantity.")
        return cls(sku=text(raw, "sku"), quantity=raw.get("quantity", 0), short=raw.get("short", 0))

    def to_payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {"sku": self.sku, "quantity": self.quantity}
        if self.short:
            data["short"] = self.short
        return data


def _lines(payload: dict[str, Any], *, required: bool = True) -> tuple[LineQty, ...]:
    raw = payload.get("lines")
    if raw is None and not required:
        return ()
    if not isinstance(raw, list) or (required and not raw):
        raise BadInput("The operation needs at least one line.")
    lines = tuple(LineQty.parse(r) for r in raw)
    if len({line.sku for line in lines}) != len(lines):
        raise BadInput("Each SKU may appear only once in an operation.")
    return lines


@dataclass(frozen=True)
class _PickupPayload(OrderPayload):
    TYPE: ClassVar[PickupOp]
    NO_LOCATION: ClassVar[str] = "A pickup operation needs the store's location code."


@dataclass(frozen=True)
class PickupAccept(_PickupPayload):
    """The store takes the order on (an intention)."""

    TYPE: ClassVar[PickupOp] = PickupOp.ACCEPT

    def __post_init__(self) -> None:
        self._check_target()

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> PickupAccept:
        return cls(**cls._target(payload))


@dataclass(frozen=True)
class PickupPick(_PickupPayload):
    """Units taken off the shelf per line, and units that could not be found (short)."""

    TYPE: ClassVar[PickupOp] = PickupOp.PICK
    lines: tuple[LineQty, ...] = ()
    reason: str = ""  # why the short units are short: a code of the retailer's reasons

    def __post_init__(self) -> None:
        self._check_target()
        if not self.lines:
            raise BadInput("A pick needs at least one line.")

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> PickupPick:
        return cls(
            **cls._target(payload), lines=_lines(payload), reason=text(payload, "reason", "")
        )

    def to_payload(self) -> dict[str, Any]:
        data = {**super().to_payload(), "lines": [line.to_payload() for line in self.lines]}
        if self.reason:
            data["reason"] = self.reason
        return data


@dataclass(frozen=True)
class PickupStage(_PickupPayload):
    """The picked units are put on a hold-shelf bin (an intention: the bin must exist)."""

    TYPE: ClassVar[PickupOp] = PickupOp.STAGE
    bin: str = ""

    def __post_init__(self) -> None:
        self._check_target()
        if not self.bin:
            raise BadInput("Scan the hold-shelf bin to stage the order.")

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> PickupStage:
        return cls(**cls._target(payload), bin=text(payload, "bin").upper())

    def to_payload(self) -> dict[str, Any]:
        return {**super().to_payload(), "bin": self.bin}


@dataclass(frozen=True)
class PickupReady(_PickupPayload):
    """Lines (or part of them) are ready; the customer's message went out on ``channel``."""

    TYPE: ClassVar[PickupOp] = PickupOp.READY
    lines: tuple[LineQty, ...] = ()
    channel: MessageChannel = MessageChannel.SMS
    message: str = ""

    def __post_init__(self) -> None:
        self._check_target()
        if not self.lines or any(line.short for line in self.lines):
            raise BadInput("Say which lines are ready, with their quantities.")

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> PickupReady:
        try:
            channel = MessageChannel(payload.get("channel", MessageChannel.SMS))
        except ValueError as exc:
            raise BadInput("The ready message goes by sms, email or whatsapp.") from exc
        return cls(
            **cls._target(payload),
            lines=_lines(payload),
            channel=channel,
            message=text(payload, "message", ""),
        )

    def to_payload(self) -> dict[str, Any]:
        return {
            **super().to_payload(),
            "lines": [line.to_payload() for line in self.lines],
            "channel": self.channel.value,
            "message": self.message,
        }


@dataclass(frozen=True)
class PickupHandover(_PickupPayload):
    """Units handed to the customer (a physical fact); lines left behind stay or cancel."""

    TYPE: ClassVar[PickupOp] = PickupOp.HANDOVER
    lines: tuple[LineQty, ...] = ()
    proof: Proof = field(default_factory=lambda: Proof(Verification.PICKUP_CODE, "-"))
    cancel_left: tuple[str, ...] = ()  # SKUs whose units left behind are cancelled
    cancel_reason: str = ""
    reason: str = ""  # why units were left behind: a code of the retailer's reasons

    def __post_init__(self) -> None:
        self._check_target()
        if not self.lines or any(line.short for line in self.lines):
            raise BadInput("Say which lines were handed over, with their quantities.")
        if self.cancel_left and not self.cancel_reason:
            raise BadInput("Give a reason for cancelling the lines left behind.")

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> PickupHandover:
        left = payload.get("cancel_left") or []
        if not isinstance(left, list):
            raise BadInput("cancel_left is a list of SKUs.")
        return cls(
            **cls._target(payload),
            lines=_lines(payload),
            proof=Proof.parse(payload.get("proof")),
            cancel_left=tuple(str(s) for s in left),
            cancel_reason=text(payload, "cancel_reason", ""),
            reason=text(payload, "reason", ""),
        )

    def to_payload(self) -> dict[str, Any]:
        return {
            **super().to_payload(),
            "lines": [line.to_payload() for line in self.lines],
            "proof": self.proof.to_payload(),
            "cancel_left": list(self.cancel_left),
            "cancel_reason": self.cancel_reason,
            **({"reason": self.reason} if self.reason else {}),
        }


@dataclass(frozen=True)
class PickupCancel(_PickupPayload):
    """The store cancels the order, or some units of it (an intention), with a reason."""

    TYPE: ClassVar[PickupOp] = PickupOp.CANCEL
    reason: str = ""
    lines: tuple[LineQty, ...] = ()  # empty: everything not yet collected

    def __post_init__(self) -> None:
        self._check_target()
        if not self.reason:
            raise BadInput("Give a reason for the cancellation.")

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> PickupCancel:
        return cls(
            **cls._target(payload),
            reason=text(payload, "reason", ""),
            lines=_lines(payload, required=False),
        )

    def to_payload(self) -> dict[str, Any]:
        return {
            **super().to_payload(),
            "reason": self.reason,
            "lines": [line.to_payload() for line in self.lines],
        }


@dataclass(frozen=True)
class PickupRestock(_PickupPayload):
    """Units of a cancelled or no-show order scanned back to the shelf (a physical fact)."""

    TYPE: ClassVar[PickupOp] = PickupOp.RESTOCK
    lines: tuple[LineQty, ...] = ()

    def __post_init__(self) -> None:
        self._check_target()
        if not self.lines or any(line.short for line in self.lines):
            raise BadInput("Say which items went back to the shelf, with their quantities.")

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> PickupRestock:
        return cls(**cls._target(payload), lines=_lines(payload))

    def to_payload(self) -> dict[str, Any]:
        return {**super().to_payload(), "lines": [line.to_payload() for line in self.lines]}


@dataclass(frozen=True)
class PickupReceive(_PickupPayload):
    """Units of the warehouse's transfer for the order received at the store by scan."""

    TYPE: ClassVar[PickupOp] = PickupOp.RECEIVE
    lines: tuple[LineQty, ...] = ()

    def __post_init__(self) -> None:
        self._check_target()
        if not self.lines or any(line.short or not line.quantity for line in self.lines):
            raise BadInput("Say which items were received, with their quantities.")

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> PickupReceive:
        return cls(**cls._target(payload), lines=_lines(payload))

    def to_payload(self) -> dict[str, Any]:
        return {**super().to_payload(), "lines": [line.to_payload() for line in self.lines]}


PickupPayload = (
    PickupAccept | PickupPick | PickupStage | PickupReady | PickupHandover | PickupCancel
    | PickupRestock | PickupReceive
)  # fmt: skip

PICKUP_PAYLOADS: dict[PickupOp, Any] = {
    PickupOp.ACCEPT: PickupAccept,
    PickupOp.PICK: PickupPick,
    PickupOp.STAGE: PickupStage,
    PickupOp.READY: PickupReady,
    PickupOp.HANDOVER: PickupHandover,
    PickupOp.CANCEL: PickupCancel,
    PickupOp.RESTOCK: PickupRestock,
    PickupOp.RECEIVE: PickupReceive,
}


def parse_pickup(op_type: PickupOp, payload: dict[str, Any]) -> PickupPayload:
    """The validated payload of a pickup operation; ``BadInput`` when malformed."""
    try:
        result: PickupPayload = PICKUP_PAYLOADS[op_type].from_payload(payload)
    except (TypeError, ValueError) as exc:
        raise BadInput(f"The pickup operation is incomplete or malformed ({exc}).") from exc
    return result
