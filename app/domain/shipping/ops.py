"""Payloads of the ship-from-store operations, as they travel from a bench to the ledger.

Every payload names the fulfilment order (``fulfilment_id``, the ledger's id) and the
location (``location``) the bench belongs to, as the pickup payloads do. Quantities are
whole units per SKU. A pick says which bin each unit came from and which tote it went
into; an unpick which bin it went back to. A rejection with no lines rejects everything
still to ship. ``from_payload`` validates a wire dictionary, ``to_payload`` gives it back.

What each operation is (a physical fact or an intention) and its appliers are named where
the operation types are registered, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar

from app.domain.gtin import validate_sscc
from app.domain.op_fields import OrderPayload, text
from app.domain.shipping.op_parts import (
    BinLine,
    PackedParcel,
    ShipLine,
    bin_lines,
    reason_code,
    ship_lines,
)
from app.domain.tax.document import INVOICE_NUMBER
from app.errors import BadInput


class ShipOp(StrEnum):
    PICK = "ship.pick"
    UNPICK = "ship.unpick"
    REJECT = "ship.reject"
    PACK = "ship.pack"
    LABEL_VOID = "ship.label_void"
    HANDOVER = "ship.handover"


@dataclass(frozen=True)
class _ShipPayload(OrderPayload):
    TYPE: ClassVar[ShipOp]
    NO_LOCATION: ClassVar[str] = "A ship operation needs the location code of the bench."


@dataclass(frozen=True)
class ShipPick(_ShipPayload):
    """Units taken from bins into the order's tote, on a batch walk or alone."""

    TYPE: ClassVar[ShipOp] = ShipOp.PICK
    lines: tuple[BinLine, ...] = ()
    tote: str = ""  # the tote's barcode (PB-7-T03)
    batch: str = ""  # the batch walk it was picked on; "" for an order picked alone

    def __post_init__(self) -> None:
        self._check_target()
        if not self.lines:
            raise BadInput("A pick needs at least one line.")
        if not self.tote:
            raise BadInput("Say which tote the picked units went into.")

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> ShipPick:
        return cls(
            **cls._target(payload),
            lines=bin_lines(payload),
            tote=text(payload, "tote", "").upper(),
            batch=text(payload, "batch", "").upper(),
        )

    def to_payload(self) -> dict[str, Any]:
        return {
            **super().to_payload(),
            "lines": [line.to_payload() for line in self.lines],
            "tote": self.tote,
            "batch": self.batch,
        }


@dataclass(frozen=True)
class ShipUnpick(_ShipPayload):
    """Picked units put back on the shelf, each into the bin scanned."""

    TYPE: ClassVar[ShipOp] = ShipOp.UNPICK
    lines: tuple[BinLine, ...] = ()

    def __post_init__(self) -> None:
        self._check_target()
        if not self.lines:
            raise BadInput("An unpick needs at least one line.")

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> ShipUnpick:
        return cls(**cls._target(payload), lines=bin_lines(payload))

    def to_payload(self) -> dict[str, Any]:
        return {**super().to_payload(), "lines": [line.to_payload() for line in self.lines]}


@dataclass(frozen=True)
class ShipReject(_ShipPayload):
    """The location cannot ship these units (or, with no lines, the whole order): why."""

    TYPE: ClassVar[ShipOp] = ShipOp.REJECT
    reason: str = ""  # a code of the retailer's reasons (use ship_reject)
    lines: tuple[ShipLine, ...] = ()  # empty: everything still to ship

    def __post_init__(self) -> None:
        self._check_target()
        reason_code(self.reason, "rejection reason")

    @property
    def whole_order(self) -> bool:
        return not self.lines

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> ShipReject:
        return cls(
            **cls._target(payload),
            reason=text(payload, "reason", ""),
            lines=ship_lines(payload, required=False),
        )

    def to_payload(self) -> dict[str, Any]:
        return {
            **super().to_payload(),
            "reason": self.reason,
            "lines": [line.to_payload() for line in self.lines],
        }


@dataclass(frozen=True)
class ShipPack(_ShipPayload):
    """Units packed into one labelled parcel of the order."""

    TYPE: ClassVar[ShipOp] = ShipOp.PACK
    parcel: PackedParcel
    # The order's tax invoice number, on its first parcel only. Optional and sent only
    # when given: a ledger from before invoices ignores a key it does not read.
    invoice: str = ""

    def __post_init__(self) -> None:
        self._check_target()
        if self.invoice and not INVOICE_NUMBER.match(self.invoice):
            raise BadInput(f"'{self.invoice}' cannot be an invoice number.")

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> ShipPack:
        return cls(
            **cls._target(payload),
            parcel=PackedParcel.parse(payload.get("parcel")),
            invoice=text(payload, "invoice", ""),
        )

    def to_payload(self) -> dict[str, Any]:
        invoice = {"invoice": self.invoice} if self.invoice else {}
        return {**super().to_payload(), "parcel": self.parcel.to_payload(), **invoice}


@dataclass(frozen=True)
class ShipLabelVoid(_ShipPayload):
    """A parcel's shipping label is void (misprinted, parcel repacked): why."""

    TYPE: ClassVar[ShipOp] = ShipOp.LABEL_VOID
    sscc: str = ""
    reason: str = ""

    def __post_init__(self) -> None:
        self._check_target()
        validate_sscc(self.sscc)
        if not self.reason:
            raise BadInput("Give a reason for voiding the label.")

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> ShipLabelVoid:
        return cls(
            **cls._target(payload),
            sscc=text(payload, "sscc", ""),
            reason=text(payload, "reason", ""),
        )

    def to_payload(self) -> dict[str, Any]:
        return {**super().to_payload(), "sscc": self.sscc, "reason": self.reason}


@dataclass(frozen=True)
class ShipHandover(_ShipPayload):
    """A parcel left with the carrier's driver (scanned out at the bench), with the order's
    e-way bill number when its goods need one."""

    TYPE: ClassVar[ShipOp] = ShipOp.HANDOVER
    sscc: str = ""
    carrier: str = ""
    # 12 digits, or "" when the order needs none. Not refused when it is neither: the
    # parcel has left all the same, so the ledger records it and flags the order
    # (app.domain.shipping.eway_bill).
    eway_bill: str = ""

    def __post_init__(self) -> None:
        self._check_target()
        validate_sscc(self.sscc)
        if not self.carrier:
            raise BadInput("Say which carrier the parcel was handed to.")

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> ShipHandover:
        return cls(
            **cls._target(payload),
            sscc=text(payload, "sscc", ""),
            carrier=text(payload, "carrier", "").upper(),
            eway_bill=text(payload, "eway_bill", ""),
        )

    def to_payload(self) -> dict[str, Any]:
        return {
            **super().to_payload(),
            "sscc": self.sscc,
            "carrier": self.carrier,
            "eway_bill": self.eway_bill,
        }


ShipPayload = ShipPick | ShipUnpick | ShipReject | ShipPack | ShipLabelVoid | ShipHandover

SHIP_PAYLOADS: dict[ShipOp, Any] = {
    ShipOp.PICK: ShipPick,
    ShipOp.UNPICK: ShipUnpick,
    ShipOp.REJECT: ShipReject,
    ShipOp.PACK: ShipPack,
    ShipOp.LABEL_VOID: ShipLabelVoid,
    ShipOp.HANDOVER: ShipHandover,
}


def parse_ship(op_type: ShipOp | str, payload: dict[str, Any]) -> ShipPayload:
    """The validated payload of a ship operation; ``BadInput`` when malformed."""
    try:
        kind = ShipOp(op_type)
    except ValueError as exc:
        raise BadInput(f"'{op_type}' is not a ship operation.") from exc
    if not isinstance(payload, dict):
        raise BadInput(f"The {kind.value} operation has no payload.")
    try:
        result: ShipPayload = SHIP_PAYLOADS[kind].from_payload(payload)
    except (TypeError, ValueError) as exc:
        raise BadInput(f"The {kind.value} operation is incomplete or malformed ({exc}).") from exc
    return result
