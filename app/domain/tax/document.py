"""The tax invoice as printed: who sells and who buys, its number and date, the place
of supply, and the amounts. Numbers are allocated elsewhere and given here."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.domain.labels import Address
from app.domain.master_fields import check_gstin
from app.domain.tax.invoice import InvoiceAmounts, Sale, invoice_amounts
from app.domain.tax.rates import GstRate
from app.domain.tax.states import State, state_by_code, state_of
from app.errors import BadInput

# CGST rule 46(b): up to 16 characters, letters, digits, '-' and '/'.
INVOICE_NUMBER = re.compile(r"^[A-Za-z0-9/-]{1,16}$")


@dataclass(frozen=True)
class Seller:
    """The shipping location as the seller: its name, address and GSTIN."""

    name: str
    address: Address
    gstin: str

    def __post_init__(self) -> None:
        check_gstin(self.gstin)

    @property
    def state(self) -> State:
        return state_by_code(self.gstin[:2])


@dataclass(frozen=True)
class TaxInvoice:
    """Everything a tax invoice prints."""

    number: str
    date: date
    order_number: str
    seller: Seller
    buyer: Address
    place_of_supply: State
    amounts: InvoiceAmounts

    def __post_init__(self) -> None:
        if not INVOICE_NUMBER.match(self.number):
            raise BadInput(
                f"'{self.number}' cannot be an invoice number.",
                next_step="Use up to 16 letters, digits, '-' or '/'.",
            )


def tax_invoice(
    sale: Sale,
    rates: Iterable[GstRate],
    *,
    number: str,
    on: date,
    order_number: str,
    seller: Seller,
    buyer: Address,
) -> TaxInvoice:
    """The invoice of ``sale`` by ``seller`` to ``buyer``: the place of supply is the
    delivery address's state; within the seller's state CGST + SGST, else IGST."""
    place = state_of(buyer.state)
    intra = place.code == seller.state.code
    amounts = invoice_amounts(sale, rates, on=on, intra_state=intra)
    return TaxInvoice(number, on, order_number, seller, buyer, place, amounts)
