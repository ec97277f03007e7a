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


class Verification(StrEnum):
    """How the person collecting was verified at the counter."""

    PICKUP_CODE = "pickup_code"  # the customer's code matched (checked at the station)
    ID_CHECK = "id_check"  # an ID document, recorded by type and its last 4 characters
    THIRD_PARTY = "third_party"  # someone the customer authorised, recorded by name


def _int(value: Any, what: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise BadInput(f"{what} must be a whole number of at least {minimum}.")
    return value


# Control characters other than tab and newline (NUL, a scanner's group separator …) are
# invisible, and PostgreSQL cannot store NUL in text. They are dropped rather than refused:
# a handover or a restock happened, and a stray character must not throw it away.
_CONTROL = dict.fromkeys([*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)])


def _text(payload: dict[str, Any], key: str, default: str | None = None) -> str:
    value = payload.get(key, default)
    if value is None:
        raise BadInput(f"The operation is missing '{key}'.")
    return str(value).translate(_CONTROL).strip()


@dataclass(frozen=True)
class LineQty:
    """Units of one SKU; ``short`` only in a pick (units that could not be found)."""

    sku: str
    quantity: int
    short: int = 0

    def __post_init__(self) -> None:
        if not self.sku:
            raise BadInput("Each line needs a SKU.")
        _int(self.quantity, "A quantity")
        _int(self.short, "A short quantity")
        if self.quantity + self.short == 0:
            raise BadInput(f"The line for {self.sku} has no units.")

    @classmethod
    def parse(cls, raw: Any) -> LineQty:
        if not isinstance(raw, dict):
            raise BadInput("Each line is an object with a sku and a quantity.")
        return cls(
            sku=_text(raw, "sku"), quantity=raw.get("quantity", 0), short=raw.get("short", 0)
        )

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
class _PickupPayload:
    TYPE: ClassVar[PickupOp]
    location: str
    fulfilment_id: int

    def _check_target(self) -> None:
        if not self.location:
            raise BadInput("A pickup operation needs the store's location code.")
        _int(self.fulfilment_id, "The fulfilment order id", minimum=1)

    @staticmethod
    def _target(payload: dict[str, Any]) -> dict[str, Any]:
        return {
            "location": _text(payload, "location"),
            "fulfilment_id": payload.get("fulfilment_id"),
        }

    def to_payload(self) -> dict[str, Any]:
        return {"location": self.location, "fulfilment_id": self.fulfilment_id}


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
            **cls._target(payload), lines=_lines(payload), reason=_text(payload, "reason", "")
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
        return cls(**cls._target(payload), bin=_text(payload, "bin").upper())

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
            message=_text(payload, "message", ""),
        )

    def to_payload(self) -> dict[str, Any]:
        return {
            **super().to_payload(),
            "lines": [line.to_payload() for line in self.lines],
            "channel": self.channel.value,
            "message": self.message,
        }


@dataclass(frozen=True)
class Proof:
    """How the person collecting was verified (no pickup code travels, only the method)."""

    method: Verification
    collected_by: str  # the name of the person who took the goods
    id_type: str = ""  # for ID_CHECK, e.g. "aadhaar", "driving_licence"
    id_last4: str = ""  # for ID_CHECK: the last 4 characters of the ID number
    third_party_name: str = ""  # for THIRD_PARTY: the authorised person's name

    def __post_init__(self) -> None:
        if not self.collected_by:
            raise BadInput("Record the name of the person collecting.")
        if self.method is Verification.ID_CHECK and (
            not self.id_type or len(self.id_last4) != 4 or not self.id_last4.isalnum()
        ):
            raise BadInput("An ID check needs the ID type and the last 4 characters of its number.")
        if self.method is Verification.THIRD_PARTY and not self.third_party_name:
            raise BadInput("Record the name of the authorised person collecting.")

    @classmethod
    def parse(cls, raw: Any) -> Proof:
        if not isinstance(raw, dict):
            raise BadInput("The handover needs its verification.")
        try:
            method = Verification(raw.get("method", ""))
        except ValueError as exc:
            raise BadInput("Verify by pickup code, ID check or authorised third party.") from exc
        return cls(
            method=method,
            collected_by=_text(raw, "collected_by", ""),
            id_type=_text(raw, "id_type", ""),
            id_last4=_text(raw, "id_last4", "").upper(),
            third_party_name=_text(raw, "third_party_name", ""),
        )

    def to_payload(self) -> dict[str, Any]:
        return {
            "method": self.method.value,
            "collected_by": self.collected_by,
            "id_type": self.id_type,
            "id_last4": self.id_last4,
            "third_party_name": self.third_party_name,
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
            cancel_reason=_text(payload, "cancel_reason", ""),
            reason=_text(payload, "reason", ""),
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
            reason=_text(payload, "reason", ""),
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
