"""What a delivery (ship) order must carry before it is routed. Pure.

A ship order names where it goes (name, street line, city, state, a 6-digit pincode,
a phone for the courier), the price the customer actually paid for each line (per unit,
after offers), the order's discount and shipping charge, and how the customer pays:
prepaid, or cash on delivery with the amount the courier collects. That amount must be
exactly what the customer owes (Σ paid × quantity − discount + shipping) and no more than
a courier collects in cash (``labels.COD_CAP``). Anything missing or wrong is refused
with the field named as the web shop sends it (``ship_to.pincode``, ``lines[2].paid_minor``).

A ship order without a promised delivery date is promised STANDARD_PROMISE_DAYS after
the day it is placed (the web shop's standard delivery); one with a date earlier than
today is refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.labels import COD_CAP
from app.domain.money import Money
from app.errors import BadInput

STANDARD_PROMISE_DAYS = 4
PAYMENTS = ("prepaid", "cod")
ADDRESS_NEEDS = ("name", "line1", "city", "state", "pincode", "phone")
_PINCODE = re.compile(r"[1-9]\d{5}")
_FIX = "Correct the field named and send the order again."


@dataclass(frozen=True)
class ShipTerms:
    """A ship order's delivery and payment terms as received (any part may be missing)."""

    address: Mapping[str, str] | None
    lines: Sequence[tuple[int, int | None]]  # (quantity, paid per unit) of each line
    discount_minor: int
    shipping_minor: int
    payment: str | None
    cod_minor: int | None


def check_ship_terms(terms: ShipTerms) -> int:
    """Refuse terms a ship order cannot go out with; the amount the customer owes."""
    _check_address(terms.address)
    paid = 0
    for index, (quantity, unit) in enumerate(terms.lines):
        if unit is None:
            raise _missing(f"lines[{index}].paid_minor", "the price the customer paid per unit")
        _not_negative(f"lines[{index}].paid_minor", unit)
        paid += unit * quantity
    _not_negative("discount_minor", terms.discount_minor)
    _not_negative("shipping_minor", terms.shipping_minor)
    owed = paid - terms.discount_minor + terms.shipping_minor
    if owed < 0:
        raise BadInput(
            f"discount_minor: the discount {_money(terms.discount_minor)} is more than the "
            f"lines and shipping come to ({_money(paid + terms.shipping_minor)}).",
            next_step=_FIX,
        )
    _check_payment(terms, owed)
    return owed


def promise_date(today: date, promised_by: date | None) -> date:
    """The delivery date promised: the order's own, or the standard one from today."""
    if promised_by is None:
        return today + timedelta(days=STANDARD_PROMISE_DAYS)
    if promised_by < today:
        raise BadInput(
            f"promised_by: {promised_by:%d %b %Y} is already past.",
            next_step="Send today's or a later delivery date, or leave it out for the "
            f"standard {STANDARD_PROMISE_DAYS} days.",
        )
    return promised_by


def split_cod(values: Sequence[int], cod_minor: int) -> list[int]:
    """Each parcel's share of the COD amount, by the paid value of its lines (rounded
    down); what rounding leaves over is collected with the first parcel."""
    total = sum(values)
    if total <= 0:
        return [cod_minor] + [0] * (len(values) - 1)
    shares = [cod_minor * value // total for value in values]
    shares[0] += cod_minor - sum(shares)
    return shares


def _check_address(address: Mapping[str, str] | None) -> None:
    if address is None:
        raise _missing("ship_to", "the delivery address")
    for part in ADDRESS_NEEDS:
        if not str(address.get(part, "")).strip():
            raise _missing(f"ship_to.{part}", f"the address's {part}")
    pincode = str(address["pincode"]).strip()
    if not _PINCODE.fullmatch(pincode):
        raise BadInput(
            f"ship_to.pincode: '{pincode}' is not a pincode (6 digits, not starting with 0).",
            next_step=_FIX,
        )


def _check_payment(terms: ShipTerms, owed: int) -> None:
    if terms.payment is None:
        raise _missing("payment", "how the customer pays (prepaid or cod)")
    if terms.payment not in PAYMENTS:
        raise BadInput(f"payment: '{terms.payment}' is not prepaid or cod.", next_step=_FIX)
    if terms.payment == "prepaid":
        if terms.cod_minor:
            raise BadInput(
                f"cod_minor: a prepaid order collects nothing, but {_money(terms.cod_minor)} "
                "was sent.",
                next_step="Leave cod_minor out for a prepaid order, or send payment 'cod'.",
            )
        return
    if terms.cod_minor is None:
        raise _missing("cod_minor", "the amount the courier collects")
    if terms.cod_minor <= 0:
        raise BadInput(
            f"cod_minor: {_money(terms.cod_minor)} is nothing to collect.",
            next_step="Send the amount the customer owes, or mark the order prepaid.",
        )
    if terms.cod_minor > COD_CAP.minor:
        raise BadInput(
            f"cod_minor: {_money(terms.cod_minor)} is above the {COD_CAP.format()} a "
            "courier collects in cash.",
            next_step="Take the payment online and send the order as prepaid.",
        )
    if terms.cod_minor != owed:
        raise BadInput(
            f"cod_minor: the courier would collect {_money(terms.cod_minor)}, but the "
            f"customer owes {_money(owed)} (lines paid − discount + shipping).",
            next_step=_FIX,
        )


def _missing(field: str, what: str) -> BadInput:
    return BadInput(f"{field} is missing: a ship order needs {what}.", next_step=_FIX)


def _not_negative(field: str, value: int) -> None:
    if value < 0:
        raise BadInput(f"{field}: {value} is below zero.", next_step=_FIX)


def _money(minor: int) -> str:
    return Money(minor).format()
