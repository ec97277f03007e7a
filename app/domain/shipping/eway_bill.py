"""The e-way bill rule, one for the bench and the ledger. Pure.

The law (CGST rule 138) asks an e-way bill for goods worth more than ₹50,000 moved by
road; a retailer may set another threshold per location. An e-way bill number has 12
digits. The bench refuses to hand over a parcel of such an order without one
(:func:`app.domain.shipping.scan_out.check_scan`); for the ledger the hand-over is a
physical fact, so it records it and opens an exception for the store's manager.

What is measured against the threshold is what the order's invoice from this location
comes to: its goods at the prices the lines carry (tax included), for the units that
leave from here (ordered less refused), less its share of the order's discount, plus its
share of the shipping charge.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.domain.money import Money
from app.errors import BadInput

EWAY_BILL_THRESHOLD = Money(50_000_00)  # ₹50,000 of goods: the default threshold
EWAY_BILL_DIGITS = 12


def eway_bill_digits(text: str) -> str | None:
    """The 12 digits of an e-way bill number as typed or scanned (spaces and dashes
    dropped); None when the text is not one."""
    digits = "".join(c for c in text if c not in " -")
    if len(digits) != EWAY_BILL_DIGITS or not digits.isdigit():
        return None
    return digits


def eway_bill_number(text: str) -> str:
    """The 12 digits of an e-way bill number; ``BadInput`` in the packer's words when
    ``text`` is not one."""
    digits = eway_bill_digits(text)
    if digits is None:
        raise BadInput(
            f"'{text.strip()}' is not an e-way bill number: it has {EWAY_BILL_DIGITS} digits.",
            next_step="Scan the e-way bill's barcode, or type its 12 digits and press Enter.",
        )
    return digits


def threshold_of(set_minor: int | None) -> Money:
    """The location's threshold as its master data sets it (paise); the law's when None."""
    return EWAY_BILL_THRESHOLD if set_minor is None else Money(set_minor)


def invoice_value(
    lines: Iterable[Mapping[str, Any]], discount_minor: int = 0, shipping_minor: int = 0
) -> int:
    """What the invoice of a ship order comes to (paise), from its fulfilment lines as the
    wire carries them (``price_minor`` per unit, ``quantity`` ordered, ``short`` refused
    here) and its shares of the order's discount and shipping charge."""
    goods = sum(
        int(line.get("price_minor") or 0)
        * max(0, int(line.get("quantity") or 0) - int(line.get("short") or 0))
        for line in lines
    )
    return max(0, goods - discount_minor + shipping_minor)


def lacks_eway_bill(value_minor: int, threshold: Money, number: str) -> bool:
    """Whether goods worth ``value_minor`` leave without a valid e-way bill number when
    they need one (worth more than ``threshold``)."""
    return value_minor > threshold.minor and eway_bill_digits(number) is None
