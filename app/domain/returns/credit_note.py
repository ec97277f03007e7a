"""The GST credit note for a return: the invoice's tax reversed on what comes back. Pure.

Each line reverses the tax inside what the customer gets back for it (after any
restocking fee, which the retailer keeps as part of the sale), at the rate the invoice
charged: the rate by HSN code and the unit price after the order discount, as
``invoice_amounts`` judged it on the day of the sale. Shipping refunded is a line of its
own at the invoice's shipping rate. Within the seller's state CGST + SGST (an odd paisa
to CGST), across states IGST, as on the invoice. The number is allocated elsewhere (the
credit note series, C0001/2627/00001) and given here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.domain.labels import Address
from app.domain.returns.refund import RefundDue
from app.domain.tax.document import INVOICE_NUMBER, Seller
from app.domain.tax.invoice import SHIPPING_SAC, SHIPPING_TEXT, Sale, invoice_amounts, tax_in
from app.domain.tax.rates import GstRate
from app.domain.tax.states import State, state_of
from app.errors import BadInput


@dataclass(frozen=True)
class InvoiceRef:
    """The tax invoice (or till receipt) the credit note corrects."""

    number: str
    date: date
    order_number: str


@dataclass(frozen=True)
class CreditNoteLine:
    """One line of the credit note: the value and tax reversed, in paise."""

    description: str
    hsn: str
    quantity: int
    rate_bp: int
    taxable_minor: int
    cgst_minor: int
    sgst_minor: int
    igst_minor: int
    sku: str = ""

    @property
    def total_minor(self) -> int:
        return self.taxable_minor + self.cgst_minor + self.sgst_minor + self.igst_minor


@dataclass(frozen=True)
class CreditNote:
    """Everything a credit note prints."""

    number: str
    date: date
    invoice: InvoiceRef
    seller: Seller
    buyer: Address | None  # None: a walk-in customer with no address
    place_of_supply: State
    intra_state: bool
    lines: tuple[CreditNoteLine, ...]

    def __post_init__(self) -> None:
        if not INVOICE_NUMBER.match(self.number):
            raise BadInput(
                f"'{self.number}' cannot be a credit note number.",
                next_step="Use up to 16 letters, digits, '-' or '/'.",
            )

    @property
    def taxable_minor(self) -> int:
        return sum(line.taxable_minor for line in self.lines)

    @property
    def cgst_minor(self) -> int:
        return sum(line.cgst_minor for line in self.lines)

    @property
    def sgst_minor(self) -> int:
        return sum(line.sgst_minor for line in self.lines)

    @property
    def igst_minor(self) -> int:
        return sum(line.igst_minor for line in self.lines)

    @property
    def total_minor(self) -> int:
        """What the credit note gives back: the refund due."""
        return sum(line.total_minor for line in self.lines)


def credit_note(
    sale: Sale,
    rates: Iterable[GstRate],
    refund: RefundDue,
    *,
    number: str,
    on: date,
    invoice: InvoiceRef,
    seller: Seller,
    buyer: Address | None,
) -> CreditNote:
    """The credit note numbered ``number`` for ``refund`` of ``sale``: the place of supply
    is the buyer's state as on the invoice (the seller's for a walk-in sale)."""
    place = state_of(buyer.state) if buyer is not None else seller.state
    intra = place.code == seller.state.code
    charged = invoice_amounts(sale, rates, on=invoice.date, intra_state=intra).lines
    lines = []
    for back in refund.lines:
        sold = sale.lines[back.line]
        rate = charged[back.line].rate_bp  # as the invoice charged it
        line = _reversed(sold.description, sold.hsn, back.quantity, back.refund_minor, rate, intra)
        lines.append(dataclasses.replace(line, sku=sold.sku))
    if refund.shipping_minor:
        rate = charged[-1].rate_bp  # the invoice's shipping line
        lines.append(_reversed(SHIPPING_TEXT, SHIPPING_SAC, 1, refund.shipping_minor, rate, intra))
    return CreditNote(number, on, invoice, seller, buyer, place, intra, tuple(lines))


def _reversed(
    description: str, hsn: str, quantity: int, value: int, rate_bp: int, intra: bool
) -> CreditNoteLine:
    tax = tax_in(value, rate_bp)
    cgst, sgst, igst = ((tax + 1) // 2, tax // 2, 0) if intra else (0, 0, tax)
    return CreditNoteLine(description, hsn, quantity, rate_bp, value - tax, cgst, sgst, igst)
