"""The ``return.intake`` payload: units a customer (or a carrier) brought back, graded.

A return is a physical fact: the units are in the store, so the ledger records it
whatever the order says and holds the refund for a manager when it does not add up
(DESIGN.md §4 rules 1 and 4). The payload names the return by the station's own id
(``return_id``, a uuid, so it is recorded once however often it is sent), the order or
receipt it came from (none for a return without lookup), the parcel for one received
back from a carrier, each line as graded with where it goes and the refund due, and the
refund as a whole. A manager's approval travels in the operation (``PushOp.approval``),
not here. Sizes are bounded: a station never sends more than a counter can take in.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, TypeVar

from app.domain.gtin import validate_sscc
from app.domain.op_fields import text, whole
from app.domain.returns.grades import Disposition, Grade
from app.domain.returns.refund_rules import RefundMethod
from app.domain.shipping.op_parts import reason_code
from app.errors import BadInput

RETURN_INTAKE = "return.intake"
MAX_LINES = 200  # lines of one return
MAX_UNITS = 10_000  # units of one line
MAX_MINOR = 10**12  # ₹1,000 crore: no refund is bigger
MAX_TEXT = 40  # order, receipt and credit note numbers, SKUs
MAX_PHONE = 32
# A return without lookup refunds at most this without a further manager's look (paise;
# ₹5,000). A per-location setting may replace it; the ledger holds a bigger one.
NO_LOOKUP_LIMIT_MINOR = 500_000

E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True)
class ReturnLine:
    """Units of one SKU taken back, graded, with where they go and the refund due."""

    line_no: int | None  # the order's line (1, 2 …); None for a return without lookup
    sku: str
    quantity: int
    grade: Grade
    disposition: Disposition
    reason: str  # a code of the retailer's return reasons
    refund_minor: int  # refund due for the line, all its units

    @classmethod
    def parse(cls, raw: Any, n: int) -> ReturnLine:
        if not isinstance(raw, dict):
            raise BadInput(f"Line {n} of the return is not a line.")
        line_no = raw.get("line_no")
        if line_no is not None:
            line_no = whole(line_no, f"Line {n}'s order line", minimum=1)
        sku = text(raw, "sku", "")
        if not sku or len(sku) > MAX_TEXT:
            raise BadInput(f"Line {n} of the return needs the item's SKU.")
        return cls(
            line_no=line_no,
            sku=sku,
            quantity=whole(raw.get("quantity"), f"Line {n}'s quantity", minimum=1,
                           maximum=MAX_UNITS),
            grade=_choice(Grade, raw.get("grade"), f"line {n}'s grade", "A, B, C or defective"),
            disposition=_choice(
                Disposition, raw.get("disposition"), f"line {n}'s disposition",
                "sellable, open_box, damaged, rtv or scrap",
            ),
            reason=reason_code(text(raw, "reason", ""), "return reason"),
            refund_minor=whole(raw.get("refund_minor"), f"Line {n}'s refund", maximum=MAX_MINOR),
        )  # fmt: skip

    def to_payload(self) -> dict[str, Any]:
        return {
            "line_no": self.line_no,
            "sku": self.sku,
            "quantity": self.quantity,
            "grade": self.grade.value,
            "disposition": self.disposition.value,
            "reason": self.reason,
            "refund_minor": self.refund_minor,
        }


@dataclass(frozen=True)
class Refund:
    """The refund due as a whole: how it is paid, shipping refunded, the restocking fee
    kept and the total (Counterbench records it; it moves no money)."""

    method: RefundMethod
    shipping_minor: int
    restocking_fee_minor: int
    total_minor: int

    @classmethod
    def parse(cls, raw: Any) -> Refund:
        if not isinstance(raw, dict):
            raise BadInput("The return needs its refund: method and amounts.")
        return cls(
            method=_choice(RefundMethod, raw.get("method"), "refund method",
                           "original or store_credit"),
            shipping_minor=whole(raw.get("shipping_minor", 0), "The shipping refunded",
                                 maximum=MAX_MINOR),
            restocking_fee_minor=whole(raw.get("restocking_fee_minor", 0),
                                       "The restocking fee", maximum=MAX_MINOR),
            total_minor=whole(raw.get("total_minor"), "The refund total", maximum=MAX_MINOR),
        )  # fmt: skip

    def to_payload(self) -> dict[str, Any]:
        return {
            "method": self.method.value,
            "shipping_minor": self.shipping_minor,
            "restocking_fee_minor": self.restocking_fee_minor,
            "total_minor": self.total_minor,
        }


@dataclass(frozen=True)
class ReturnIntake:
    """Units taken back at a counter or a bench (see the module docstring)."""

    TYPE: ClassVar[str] = RETURN_INTAKE

    location: str
    return_id: str
    order: str | None
    lines: tuple[ReturnLine, ...]
    refund: Refund
    parcel: str | None = None
    credit_note: str | None = None
    customer_phone: str | None = None

    def __post_init__(self) -> None:
        if not self.location:
            raise BadInput("A return needs the location code of the station.")
        if not self.lines:
            raise BadInput("A return needs at least one returned item.")
        if self.order is None and any(line.line_no is not None for line in self.lines):
            raise BadInput("A return without an order cannot name the order's lines.")
        if self.order is not None and any(line.line_no is None for line in self.lines):
            raise BadInput(
                f"Each line of a return of {self.order} needs the order line it comes from."
            )

    @property
    def without_lookup(self) -> bool:
        """Taken back with no order found (offline, no receipt): a manager must approve."""
        return self.order is None

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> ReturnIntake:
        if not isinstance(payload, dict):
            raise BadInput("The return operation has no payload.")
        raw_lines = payload.get("lines")
        if not isinstance(raw_lines, list) or len(raw_lines) > MAX_LINES:
            raise BadInput(f"A return holds a list of 1 to {MAX_LINES} lines.")
        return cls(
            location=text(payload, "location", ""),
            return_id=_return_id(payload.get("return_id")),
            order=_optional(payload, "order", "order or receipt number", MAX_TEXT),
            lines=tuple(ReturnLine.parse(raw, n) for n, raw in enumerate(raw_lines, start=1)),
            refund=Refund.parse(payload.get("refund")),
            parcel=_parcel(payload),
            credit_note=_optional(payload, "credit_note", "credit note number", MAX_TEXT),
            customer_phone=_optional(payload, "customer_phone", "phone number", MAX_PHONE),
        )

    def to_payload(self) -> dict[str, Any]:
        return {
            "location": self.location,
            "return_id": self.return_id,
            "order": self.order,
            "parcel": self.parcel,
            "lines": [line.to_payload() for line in self.lines],
            "refund": self.refund.to_payload(),
            "credit_note": self.credit_note,
            "customer_phone": self.customer_phone,
        }


def _choice(kind: type[E], value: Any, what: str, allowed: str) -> E:
    try:
        return kind(value)
    except ValueError:
        raise BadInput(
            f"'{value}' is not a {what}.", next_step=f"Choose one of {allowed}."
        ) from None


def _return_id(value: Any) -> str:
    """The station's uuid of the return, as 32 hex digits."""
    try:
        return uuid.UUID(str(value)).hex
    except ValueError:
        raise BadInput("The return has no id of its own (a uuid made on the station).") from None


def _optional(payload: dict[str, Any], key: str, what: str, limit: int) -> str | None:
    if payload.get(key) is None:
        return None
    value = text(payload, key)
    if not value:
        return None
    if len(value) > limit:
        raise BadInput(f"The {what} is longer than {limit} characters.")
    return value


def _parcel(payload: dict[str, Any]) -> str | None:
    sscc = _optional(payload, "parcel", "parcel label", 20)
    if sscc is not None:
        validate_sscc(sscc)
    return sscc


def parse_return(payload: dict[str, Any]) -> ReturnIntake:
    """The validated payload of a ``return.intake``; ``BadInput`` with words when bad."""
    try:
        return ReturnIntake.from_payload(payload)
    except (TypeError, ValueError) as exc:
        raise BadInput(f"The return is incomplete or malformed ({exc}).") from exc
