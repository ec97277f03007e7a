"""What was bought, as a return reads it: an order's sold lines and what came back. Pure.

One shape serves the ledger's lookup answer, the station's cache of returnable orders and
the return screen, so an order found offline reads exactly like one the ledger answered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.domain.returns.quantities import EarlierReturn


@dataclass(frozen=True)
class SoldLine:
    """One line of a sold order: what a return of it needs to know."""

    line_no: int
    sku: str
    gtin: str
    name: str
    quantity: int  # sold
    unit_paid_minor: int  # per unit, after offers, before the order's discount
    hsn_code: str = ""
    gst_rate_bp: int = 0
    return_days: int = 30
    final_sale: bool = False
    return_category: str = "standard"
    earlier: tuple[EarlierReturn, ...] = ()  # returns of it so far, anywhere, as last known
    # The tax invoice (a bench's B-series number) or till receipt it was sold under; ""
    # when none is known (not invoiced yet, or invoiced elsewhere, as a marketplace does).
    # Units of one line sent under two invoices name both, comma-separated.
    invoice: str = ""
    invoiced_on: date | None = None  # the (first) invoice's date

    @property
    def returned(self) -> int:
        return sum(back.quantity for back in self.earlier)

    @property
    def left(self) -> int:
        """Units not yet returned."""
        return max(0, self.quantity - self.returned)


@dataclass(frozen=True)
class SoldOrder:
    """An order as a return reads it: who sold it, when, how it was paid, its lines."""

    order_number: str
    channel: str  # web, app, marketplace, store
    sold_on: date
    location: str  # the location that sold or shipped it
    lines: tuple[SoldLine, ...]
    delivered_on: date | None = None  # from the carrier's events, for shipped orders
    location_state: str = ""  # the GST state of that location
    payment: str = ""  # prepaid, cod, cash, card, upi, wallet, store_credit
    discount_minor: int = 0  # the order's discount, shared across its lines
    shipping_minor: int = 0  # the shipping charge the customer paid
    customer: str = ""  # masked: first name and the phone's last four digits
    parcels: tuple[str, ...] = ()  # SSCCs and carrier tracking numbers it left in
    shipping_refunded: bool = False  # an earlier return already gave the shipping back

    @property
    def window_starts(self) -> date:
        """The day the return window counts from: delivery, else the sale."""
        return self.delivered_on or self.sold_on

    def line(self, line_no: int) -> SoldLine | None:
        return next((x for x in self.lines if x.line_no == line_no), None)

    def invoice_of(self, line_nos: Iterable[int]) -> tuple[str, date] | None:
        """The invoice(s) the lines ``line_nos`` were sold under, comma-separated in line
        order, with the earliest one's date; None when none of them has one."""
        wanted = set(line_nos)
        numbers: list[str] = []
        days: list[date] = []
        for line in self.lines:
            if line.line_no not in wanted or not line.invoice:
                continue
            numbers.extend(n for n in line.invoice.split(", ") if n not in numbers)
            days.append(line.invoiced_on or self.sold_on)
        return (", ".join(numbers), min(days)) if numbers else None
