"""The tax invoice's amounts from what the customer paid. Pure.

Prices are tax inclusive (MRP-style, as Indian retail prices are), so the tax is taken
out of what was paid, never added on top:

1. The order's discount is shared over the goods lines by their paid value (price per
   unit × quantity), largest remainder first, so the shares add up to the paisa. A
   discount larger than the goods comes off the shipping charge.
2. Each line's rate comes from the rate table by its HSN code, judged on the unit price
   after its share of the discount (the apparel band); an HSN code no row covers takes
   the item's own rate, if it has one.
3. Tax = value × rate / (100 % + rate), rounded half up to the paisa; taxable value =
   value − tax, so each line adds up exactly to what was paid for it.
4. Within a state the tax is CGST + SGST, half each; an odd paisa goes to CGST. Across
   states it is all IGST.
5. Shipping is a line of its own (SAC 996812, courier services). Delivering the goods
   is part of one composite supply whose principal supply is the goods, so the charge
   is taxed at the highest goods rate on the invoice (the same choice for every order,
   never lower than any item it carries).

Σ (taxable + taxes) over the lines = Σ paid − discount + shipping: the grand total is
what the customer paid.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from app.domain.tax.rates import GstRate, rate_row
from app.errors import BadInput

SHIPPING_SAC = "996812"  # courier services, the charge for delivering the parcel
SHIPPING_TEXT = "Shipping and handling"
FULL_BP = 10_000  # 100 % in basis points


@dataclass(frozen=True)
class SaleLine:
    """One line as the customer bought it: the price paid per unit, tax included."""

    description: str
    hsn: str
    quantity: int
    paid_minor: int
    sku: str = ""
    item_rate_bp: int | None = None  # the item's own rate, for an HSN no row covers


@dataclass(frozen=True)
class Sale:
    """What the customer bought and paid: lines, the order's discount, shipping."""

    lines: tuple[SaleLine, ...]
    discount_minor: int = 0
    shipping_minor: int = 0

    def __post_init__(self) -> None:
        if not self.lines:
            raise BadInput("An invoice needs at least one line of goods.")
        for line in self.lines:
            if line.quantity <= 0 or line.paid_minor < 0:
                raise BadInput(
                    f"{line.description}: {line.quantity} at {line.paid_minor} paise cannot "
                    "be invoiced."
                )
        if self.discount_minor < 0 or self.shipping_minor < 0 or self.paid_minor < 0:
            raise BadInput(
                "The discount is more than the order comes to, or an amount is below zero."
            )

    @property
    def paid_minor(self) -> int:
        """What the customer paid: Σ paid × quantity − discount + shipping."""
        goods = sum(line.paid_minor * line.quantity for line in self.lines)
        return goods - self.discount_minor + self.shipping_minor


@dataclass(frozen=True)
class InvoiceLine:
    """One line of the invoice, in paise."""

    description: str
    hsn: str
    quantity: int
    unit_price_minor: int  # paid per unit, tax included, before the order discount
    discount_minor: int  # the line's share of the order discount
    rate_bp: int
    taxable_minor: int
    cgst_minor: int
    sgst_minor: int
    igst_minor: int
    sku: str = ""

    @property
    def tax_minor(self) -> int:
        return self.cgst_minor + self.sgst_minor + self.igst_minor

    @property
    def total_minor(self) -> int:
        """What the customer paid for the line: taxable value + tax."""
        return self.taxable_minor + self.tax_minor


@dataclass(frozen=True)
class InvoiceAmounts:
    """The invoice's lines (goods, then shipping) and totals."""

    lines: tuple[InvoiceLine, ...]
    intra_state: bool

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
    def discount_minor(self) -> int:
        return sum(line.discount_minor for line in self.lines)

    @property
    def total_minor(self) -> int:
        """The grand total: what the customer paid."""
        return sum(line.total_minor for line in self.lines)


def share_out(amount: int, weights: Sequence[int]) -> list[int]:
    """``amount`` shared in proportion to ``weights`` (largest remainder: the shares
    add up exactly; a tie goes to the earlier weight). Needs 0 ≤ amount ≤ Σ weights."""
    total = sum(weights)
    if total == 0:
        return [0] * len(weights)
    shares = [amount * weight // total for weight in weights]
    remainders = [amount * weight % total for weight in weights]
    left = amount - sum(shares)
    for index in sorted(range(len(weights)), key=lambda i: -remainders[i])[:left]:
        shares[index] += 1
    return shares


def part_charges(
    discount_minor: int, shipping_minor: int, values: Sequence[int]
) -> list[tuple[int, int]]:
    """Each part's (discount, shipping) of an order shipped in parts from several
    locations, each under its own invoice: both shared by the parts' goods ``values``
    (largest remainder, so the invoices add up to the order to the paisa). With no goods
    left anywhere the first part carries them."""
    if not values:
        return []
    if sum(values) == 0:
        return [(discount_minor, shipping_minor)] + [(0, 0)] * (len(values) - 1)
    return list(
        zip(share_out(discount_minor, values), share_out(shipping_minor, values), strict=True)
    )


def tax_in(value_minor: int, rate_bp: int) -> int:
    """The tax inside a tax-inclusive ``value_minor`` at ``rate_bp``, rounded half up."""
    numerator, denominator = value_minor * rate_bp, FULL_BP + rate_bp
    return (2 * numerator + denominator) // (2 * denominator)


def invoice_amounts(
    sale: Sale, rates: Iterable[GstRate], *, on: date, intra_state: bool
) -> InvoiceAmounts:
    """The invoice lines of ``sale`` under the rate table ``rates`` in force ``on``."""
    table = tuple(rates)
    values = [line.paid_minor * line.quantity for line in sale.lines]
    goods_discount = min(sale.discount_minor, sum(values))
    shares = share_out(goods_discount, values)
    lines = [
        _line(line, share, _rate(line, value - share, table, on), intra_state)
        for line, value, share in zip(sale.lines, values, shares, strict=True)
    ]
    if sale.shipping_minor:
        highest = max((line.rate_bp for line in lines), default=0)
        shipping = SaleLine(SHIPPING_TEXT, SHIPPING_SAC, 1, sale.shipping_minor)
        lines.append(_line(shipping, sale.discount_minor - goods_discount, highest, intra_state))
    return InvoiceAmounts(tuple(lines), intra_state)


def _rate(line: SaleLine, value_minor: int, rates: Sequence[GstRate], on: date) -> int:
    row = rate_row(rates, line.hsn, on=on)
    if row is not None:
        return row.rate_on(value_minor, line.quantity)
    if line.item_rate_bp is not None:
        return line.item_rate_bp
    raise BadInput(
        f"No GST rate is on record for HSN {line.hsn} ({line.description}).",
        next_step="Ask HQ to add the rate for this HSN code to the GST rates, then sync.",
    )


def _line(line: SaleLine, discount: int, rate_bp: int, intra_state: bool) -> InvoiceLine:
    value = line.paid_minor * line.quantity - discount
    tax = tax_in(value, rate_bp)
    cgst, sgst, igst = ((tax + 1) // 2, tax // 2, 0) if intra_state else (0, 0, tax)
    return InvoiceLine(
        description=line.description,
        hsn=line.hsn,
        quantity=line.quantity,
        unit_price_minor=line.paid_minor,
        discount_minor=discount,
        rate_bp=rate_bp,
        taxable_minor=value - tax,
        cgst_minor=cgst,
        sgst_minor=sgst,
        igst_minor=igst,
        sku=line.sku,
    )
