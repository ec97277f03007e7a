"""The return receipt of a return taken without an order (no receipt): store credit. Pure.

A GST credit note corrects a tax invoice, and with no order there is no invoice to
correct, so this is no credit note: it is the customer's receipt for the store credit,
under the number the return took from the station's credit note series (the number the
ledger and a later scan know it by). It names the store, the day, the customer by the
last four digits of their phone, each unit with its grade and reason, the manager who
approved it, and the store credit in all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.labels import barcode_text
from app.domain.returns.grades import GRADE_WORDS, Grade
from app.domain.tax.document import INVOICE_NUMBER, Seller
from app.errors import BadInput

SHOWN_DIGITS = 4  # of the customer's phone; the rest is masked


@dataclass(frozen=True)
class CreditUnit:
    """One unit taken back, as the receipt prints it (the reason in the retailer's words)."""

    name: str
    sku: str
    grade: Grade
    reason: str
    credit_minor: int

    @property
    def grade_text(self) -> str:
        """The grade in words, e.g. "B Opened, like new"."""
        return " ".join(GRADE_WORDS[self.grade].split(":")[0].split())


@dataclass(frozen=True)
class StoreCreditReceipt:
    """Everything the return receipt of a return without an order prints."""

    number: str  # from the credit note series
    date: date
    seller: Seller
    customer_phone: str  # the phone key: its last digits print
    units: tuple[CreditUnit, ...]
    approver: str  # the approving manager's staff code

    def __post_init__(self) -> None:
        if not INVOICE_NUMBER.match(self.number):
            raise BadInput(
                f"'{self.number}' cannot be a credit note number.",
                next_step="Use up to 16 letters, digits, '-' or '/'.",
            )
        barcode_text(self.number, "credit note number")
        if not self.units:
            raise BadInput(f"Return receipt {self.number} has no units to print.")

    @property
    def total_minor(self) -> int:
        """The store credit the customer gets."""
        return sum(unit.credit_minor for unit in self.units)

    @property
    def masked_phone(self) -> str:
        """The customer's phone as printed: "••2345" (its last four digits)."""
        digits = "".join(c for c in self.customer_phone if c.isdigit())
        return f"••{digits[-SHOWN_DIGITS:]}" if digits else "not given"
