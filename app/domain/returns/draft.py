"""The return being taken at the counter, unit by unit, and the refund it comes to. Pure.

Each scanned unit is checked before it is taken: it must be on the order, still inside
its window, not final sale and not more than can still come back. The draft then says
what the customer gets back, by the same refund rules the ledger and credit note use.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time

from app.domain.gtin import names_item, validate_sscc
from app.domain.returns.grades import Disposition, Grade
from app.domain.returns.lookup import LookFor, read_query
from app.domain.returns.quantities import check_returnable
from app.domain.returns.refund import RefundDue, ReturnedBefore, UnitsBack, refund_due
from app.domain.returns.refund_rules import DEFAULT_RULES, RefundMethod, RefundRules, refund_method
from app.domain.returns.sold import SoldLine, SoldOrder
from app.domain.returns.window import ReturnTerms, check_return_window
from app.domain.tax.invoice import Sale, SaleLine
from app.domain.tax.invoice_numbers import INDIA
from app.errors import BadInput, RuleRefused


@dataclass(frozen=True)
class TakenUnit:
    """One unit taken back: its order line, the grade given, where it goes, and why."""

    line_no: int
    grade: Grade
    disposition: Disposition
    reason: str  # a reason code of the retailer's list


@dataclass(frozen=True)
class ReturnDraft:
    """A return in progress against ``order``."""

    order: SoldOrder
    units: tuple[TakenUnit, ...] = ()
    method: RefundMethod | None = None  # None: the usual one for how the order was paid
    parcel: str | None = None  # the SSCC of a parcel received back from the carrier

    def taken(self, line_no: int) -> int:
        """Units of the line taken in this return so far."""
        return sum(1 for unit in self.units if unit.line_no == line_no)

    def with_unit(self, unit: TakenUnit) -> ReturnDraft:
        return replace(self, units=(*self.units, unit))

    def without_last(self) -> ReturnDraft:
        return replace(self, units=self.units[:-1])

    def with_parcel(self, scan: str) -> ReturnDraft:
        """The return of a parcel received back from the carrier, its label scanned at
        the bench: the ledger marks the parcel's order returned (``BadInput`` when the
        scan is not a parcel label)."""
        sscc = parcel_of_scan(scan)
        if not sscc:
            raise BadInput(
                f"{scan.strip()} is not a parcel label.",
                next_step="Scan the parcel's SSCC label (18 digits), or scan each item.",
            )
        return replace(self, parcel=sscc)


def parcel_of_scan(scan: str) -> str:
    """The SSCC a scanned or typed parcel label names, or "" when it names none (a carrier
    tracking number finds the order but is not the parcel's own label)."""
    if not scan.strip():
        return ""
    return next((look.value for look in read_query(scan) if look.way is LookFor.PARCEL
                 and _is_sscc(look.value)), "")  # fmt: skip


def _is_sscc(code: str) -> bool:
    try:
        validate_sscc(code)
    except BadInput:
        return False
    return True


def line_for_scan(draft: ReturnDraft, code: str, now: datetime) -> SoldLine:
    """The order line a scanned unit comes back on: the first line of that item with a unit
    still to come back. ``RuleRefused`` with the associate's words when it cannot."""
    lines = [x for x in draft.order.lines if names_item(code, x.sku, x.gtin)]
    if not lines:
        raise RuleRefused(
            f"{code.strip()} is not on order {draft.order.order_number}.",
            next_step="Scan an item of this order, or Esc to find another order.",
        )
    open_lines = [x for x in lines if x.left - draft.taken(x.line_no) > 0] or lines[-1:]
    line = open_lines[0]
    check_unit(draft, line, now)
    return line


def check_unit(draft: ReturnDraft, line: SoldLine, now: datetime) -> None:
    """Refuse one more unit of ``line`` when it is final sale, past its window, or more
    than can still come back."""
    terms = ReturnTerms(line.name, line.return_days, not line.final_sale, line.return_category)
    check_return_window(terms, _noon(draft.order.sold_on), _noon_or_none(draft.order), now)
    taken = draft.taken(line.line_no)
    if taken and taken >= line.left:
        verb = "is" if taken == 1 else "are"
        raise RuleRefused(
            f"This one cannot come back: {taken} {verb} in this return already, "
            f"and {line.left} of the {line.quantity} sold could come back.",
            next_step="Scan another item, or Enter to finish the return.",
        )
    check_returnable(line.quantity, line.earlier, 1)


def refund_of(draft: ReturnDraft, rules: RefundRules = DEFAULT_RULES) -> RefundDue:
    """What the units taken so far come to."""
    order = draft.order
    index = {line.line_no: i for i, line in enumerate(order.lines)}
    category = {line.line_no: line.return_category for line in order.lines}
    back = [
        UnitsBack(index[u.line_no], 1, u.grade, u.reason, category[u.line_no]) for u in draft.units
    ]
    before = ReturnedBefore(
        units={index[line.line_no]: line.returned for line in order.lines if line.returned},
        shipping_refunded=order.shipping_refunded,
    )
    return refund_due(sale_of(order), back, before=before, rules=rules)


def method_of(draft: ReturnDraft) -> RefundMethod:
    """How the refund is paid: as chosen, when the payment allows, else the usual way."""
    return refund_method(draft.order.payment, draft.method)


def sale_of(order: SoldOrder) -> Sale:
    """The order as its tax invoice read it."""
    lines = tuple(
        SaleLine(x.name, x.hsn_code, x.quantity, x.unit_paid_minor, x.sku, x.gst_rate_bp or None)
        for x in order.lines
    )
    return Sale(lines, order.discount_minor, order.shipping_minor)


def _noon(day: date) -> datetime:
    """A store day as a moment the window rules read (midday in India)."""
    return datetime.combine(day, time(12), tzinfo=INDIA)


def _noon_or_none(order: SoldOrder) -> datetime | None:
    return _noon(order.delivered_on) if order.delivered_on else None
