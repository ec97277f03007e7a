"""The return receipt as the customer gets it: the GST credit note, with what each line
was paid and the restocking fee kept from it, and how the refund is paid. Pure.

The credit note's lines follow the refund's, in order, then shipping when it comes back
(``credit_note.credit_note`` builds it so); a receipt whose note and refund disagree is
refused rather than printed wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.labels import barcode_text
from app.domain.returns.credit_note import CreditNote
from app.domain.returns.refund import RefundDue
from app.domain.returns.refund_rules import RefundMethod
from app.errors import BadInput

METHOD_WORDS = {
    RefundMethod.ORIGINAL: "to the original payment",
    RefundMethod.STORE_CREDIT: "as store credit",
}


@dataclass(frozen=True)
class ReceiptLine:
    """A credit note line as the receipt prints it: what was paid for the units, the fee
    kept, and the refund (the note's taxable value and tax reversed add up to it)."""

    paid_minor: int
    restocking_fee_minor: int


@dataclass(frozen=True)
class ReturnReceipt:
    """The credit note of a return, the refund it records, and how that is paid."""

    note: CreditNote
    refund: RefundDue
    method: RefundMethod

    def __post_init__(self) -> None:
        barcode_text(self.note.number, "credit note number")
        barcode_text(self.note.invoice.order_number, "order number")
        lines = self.lines
        if len(lines) != len(self.note.lines) or any(
            printed.total_minor != line.paid_minor - line.restocking_fee_minor
            for printed, line in zip(self.note.lines, lines, strict=False)
        ):
            raise BadInput(
                f"Credit note {self.note.number} does not match the refund it is for.",
                next_step="Make the credit note again from this return's refund.",
            )

    @property
    def lines(self) -> tuple[ReceiptLine, ...]:
        """Per line of the note, in its order: paid and fee kept (shipping: no fee)."""
        goods = tuple(ReceiptLine(r.paid_minor, r.restocking_fee_minor) for r in self.refund.lines)
        shipping = (
            (ReceiptLine(self.refund.shipping_minor, 0),) if self.refund.shipping_minor else ()
        )
        return goods + shipping

    @property
    def paid_minor(self) -> int:
        """What the customer had paid for what comes back (shipping included)."""
        return sum(line.paid_minor for line in self.lines)
