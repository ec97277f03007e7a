"""The parts the ship operations' payloads are made of (:mod:`.ops`): lines with or without
a bin, the parcel of a pack and a lead's weight override, and the checks on plain fields.
Each part validates on creation (``BadInput`` naming the field), ``parse`` reads it from
the wire and ``to_payload`` gives it back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from app.domain.gtin import validate_sscc
from app.domain.op_fields import text, whole
from app.domain.shipping.parcels import LOCAL_COURIER
from app.domain.shipping.weights import (
    MAX_PARCEL_G,
    MIN_REASON_CHARS,
    OVERRIDE_REASONS,
    WeightCheck,
    check_weight,
)
from app.errors import BadInput

_CODE = re.compile(r"^[A-Za-z0-9_-]+$")


def reason_code(code: str, what: str = "reason") -> str:
    """A code of the retailer's reason table: letters, digits, - and _."""
    if not _CODE.match(code):
        raise BadInput(
            f"'{code}' is not a {what} code." if code else f"Give a {what}.",
            next_step="Choose one from the list of reasons.",
        )
    return code


def _object(raw: Any, what: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise BadInput(f"{what} is an object.")
    return raw


@dataclass(frozen=True)
class ShipLine:
    """Units of one SKU."""

    sku: str
    quantity: int

    def __post_init__(self) -> None:
        if not self.sku:
            raise BadInput("Each line needs a SKU.")
        whole(self.quantity, f"The quantity of {self.sku}", minimum=1)

    @classmethod
    def parse(cls, raw: Any) -> ShipLine:
        line = _object(raw, "Each line")
        return cls(text(line, "sku", ""), line.get("quantity", 0))

    def to_payload(self) -> dict[str, Any]:
        return {"sku": self.sku, "quantity": self.quantity}


@dataclass(frozen=True)
class BinLine:
    """Units of one SKU taken from (a pick) or put back in (an unpick) one bin."""

    sku: str
    quantity: int
    bin: str

    def __post_init__(self) -> None:
        ShipLine(self.sku, self.quantity)
        if not self.bin:
            raise BadInput(f"Say which bin the {self.sku} units came from or went back to.")

    @classmethod
    def parse(cls, raw: Any) -> BinLine:
        line = _object(raw, "Each line")
        return cls(text(line, "sku", ""), line.get("quantity", 0), text(line, "bin", "").upper())

    def to_payload(self) -> dict[str, Any]:
        return {"sku": self.sku, "quantity": self.quantity, "bin": self.bin}


def ship_lines(payload: dict[str, Any], *, required: bool = True) -> tuple[ShipLine, ...]:
    """The ``lines`` of a payload, each SKU once; none allowed when not ``required``."""
    raw = payload.get("lines")
    if raw is None and not required:
        return ()
    if not isinstance(raw, list) or (required and not raw):
        raise BadInput("The operation needs at least one line.")
    lines = tuple(ShipLine.parse(r) for r in raw)
    if len({line.sku for line in lines}) != len(lines):
        raise BadInput("Each SKU may appear only once in an operation.")
    return lines


def bin_lines(payload: dict[str, Any]) -> tuple[BinLine, ...]:
    """The ``lines`` of a pick or an unpick, each SKU and bin once."""
    raw = payload.get("lines")
    if not isinstance(raw, list) or not raw:
        raise BadInput("The operation needs at least one line.")
    lines = tuple(BinLine.parse(r) for r in raw)
    if len({(line.sku, line.bin) for line in lines}) != len(lines):
        raise BadInput("Each SKU may appear only once per bin in an operation.")
    return lines


@dataclass(frozen=True)
class OverrideClaim:
    """A lead's acceptance of the parcel's weight, as the bench recorded it."""

    lead: str  # staff code; the ledger checks the role (app.domain.approvals)
    reason: str

    def __post_init__(self) -> None:
        if not self.lead:
            raise BadInput("A weight override names the lead who accepted it.")
        if self.reason not in OVERRIDE_REASONS and len(self.reason) < MIN_REASON_CHARS:
            raise BadInput("A weight override needs the lead's reason.")

    @classmethod
    def parse(cls, raw: Any) -> OverrideClaim | None:
        if raw is None:
            return None
        claim = _object(raw, "The weight override")
        return cls(text(claim, "lead", ""), text(claim, "reason", ""))

    def to_payload(self) -> dict[str, Any]:
        return {"lead": self.lead, "reason": self.reason}


@dataclass(frozen=True)
class PackedParcel:
    """One parcel of a pack: its SSCC, box, weights, contents, carrier and tracking."""

    sscc: str
    box: str
    weight_g: int
    expected_g: int
    lines: tuple[ShipLine, ...]
    carrier: str
    tracking: str
    override: OverrideClaim | None = None

    def __post_init__(self) -> None:
        validate_sscc(self.sscc)
        if not self.box:
            raise BadInput("Say which box the parcel is packed in.")
        whole(self.weight_g, "The parcel weight (g)", minimum=1, maximum=MAX_PARCEL_G)
        whole(self.expected_g, "The expected parcel weight (g)")
        if not self.lines:
            raise BadInput("A parcel holds at least one line.")
        if not self.carrier:
            raise BadInput("Say which carrier takes the parcel.")
        if not self.tracking:
            raise BadInput(f"Parcel {self.sscc} has no tracking number.")
        if self.carrier == LOCAL_COURIER and self.tracking != self.sscc:
            raise BadInput(f"Our own riders track parcel {self.sscc} by its SSCC.")

    @property
    def weight_check(self) -> WeightCheck:
        """The parcel's weight against what it should weigh (outside and no override: flag)."""
        return check_weight(self.weight_g, self.expected_g)

    @classmethod
    def parse(cls, raw: Any) -> PackedParcel:
        parcel = _object(raw, "The parcel")
        return cls(
            sscc=text(parcel, "sscc", ""),
            box=text(parcel, "box", ""),
            weight_g=parcel.get("weight_g", 0),
            expected_g=parcel.get("expected_g", -1),
            lines=ship_lines(parcel),
            carrier=text(parcel, "carrier", ""),
            tracking=text(parcel, "tracking", ""),
            override=OverrideClaim.parse(parcel.get("override")),
        )

    def to_payload(self) -> dict[str, Any]:
        return {
            "sscc": self.sscc,
            "box": self.box,
            "weight_g": self.weight_g,
            "expected_g": self.expected_g,
            "lines": [line.to_payload() for line in self.lines],
            "carrier": self.carrier,
            "tracking": self.tracking,
            "override": self.override.to_payload() if self.override else None,
        }
