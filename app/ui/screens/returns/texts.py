"""The words the return screen shows: the order, its lines, the units taken and the refund
due. Qt-free, so each reads the same on screen, in a test and in a screenshot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from app.domain.money import Money
from app.domain.returns.draft import ReturnDraft, method_of, refund_of
from app.domain.returns.grades import Disposition, Grade
from app.domain.returns.refund_rules import RefundMethod, refund_choices
from app.domain.returns.sold import SoldLine, SoldOrder
from app.services.returns.results import ReturnTaken

GRADE_NAMES = {Grade.A: "A new", Grade.B: "B opened", Grade.C: "C damaged",
               Grade.DEFECTIVE: "D defective"}  # fmt: skip
REFUND_NAME_CHARS = 20
SHOWN_REFUND_LINES = 3  # rows of lines in the refund; past them, the rest summed in one
GOES_SHORT = {  # where a unit goes, as few words as the list of units has room for
    Disposition.SELLABLE: "shelf",
    Disposition.OPEN_BOX: "open box",
    Disposition.DAMAGED: "damaged",
    Disposition.RTV: "to vendor",
    Disposition.SCRAP: "scrap",
}
PAYMENT_WORDS = {
    "prepaid": "paid online",
    "cod": "cash on delivery",
    "cash": "cash",
    "card": "card",
    "upi": "UPI",
    "wallet": "wallet",
    "store_credit": "store credit",
}


def rupees(minor: int) -> str:
    """₹1,23,456.00: Indian grouping."""
    return Money(minor).format()


def day_text(day: date) -> str:
    """5 Dec 2026."""
    return f"{day.day} {day:%b %Y}"


def order_heading(order: SoldOrder) -> str:
    """Two lines: who and how paid, then when and where.

    WEB-1042 · web · Asha ••2345 · card
    Sold 20 Nov 2026 at BLR-01 · delivered 24 Nov 2026
    """
    first = [order.order_number, order.channel]
    if order.customer:
        first.append(order.customer)
    if order.payment:
        first.append(PAYMENT_WORDS.get(order.payment, order.payment))
    second = f"Sold {day_text(order.sold_on)} at {order.location}"
    if order.delivered_on:
        second += f" · delivered {day_text(order.delivered_on)}"
    return " · ".join(first) + "\n" + second


@dataclass(frozen=True)
class LineRow:
    """One order line as the return screen lists it."""

    line: SoldLine
    taken: int  # in this return so far
    last_day: date  # the window's last day


def line_rows(draft: ReturnDraft) -> list[LineRow]:
    order = draft.order
    return [
        LineRow(x, draft.taken(x.line_no), order.window_starts + timedelta(days=x.return_days))
        for x in order.lines
    ]


def before_text(line: SoldLine) -> str:
    """Units returned before and where: "1 at BLR-02"; "" when none."""
    return ", ".join(f"{b.quantity} at {b.location_code}" for b in line.earlier)


def last_day_text(row: LineRow) -> str:
    return "FINAL SALE" if row.line.final_sale else day_text(row.last_day)


def taken_lines(draft: ReturnDraft, reasons: dict[str, str]) -> list[str]:
    """The units in this return, newest last, grade and where it goes first (a long name
    is cut, not they): "1. B opened → open box · Cotton kurta M · Wrong size or fit"."""
    said = []
    for n, unit in enumerate(draft.units, start=1):
        line = draft.order.line(unit.line_no)
        name = line.name if line else f"line {unit.line_no}"
        why = reasons.get(unit.reason, unit.reason)
        goes = GOES_SHORT[unit.disposition]
        said.append(f"{n}. {GRADE_NAMES[unit.grade]} → {goes} · {name} · {why}")
    return said


def short(name: str, chars: int = REFUND_NAME_CHARS) -> str:
    """``name`` cut to ``chars`` with "…": the refund's column stays narrow."""
    return name if len(name) <= chars else name[: chars - 1].rstrip() + "…"


def method_text(draft: ReturnDraft) -> str:
    """How the refund is paid, and M when the other way is allowed."""
    method = method_of(draft)
    paid = PAYMENT_WORDS.get(draft.order.payment, draft.order.payment) or "the payment"
    words = (
        f"To the original payment ({paid})"
        if method is RefundMethod.ORIGINAL
        else "As store credit"
    )
    others = [m for m in refund_choices(draft.order.payment) if m is not method]
    if others:
        other = "store credit" if others[0] is RefundMethod.STORE_CREDIT else "the original payment"
        words += f"\nM: {other} instead"
    return words


def refund_html(draft: ReturnDraft) -> str:
    """The refund due as a small table: a row per order line coming back (before the
    order's discount), the discount's share off, the restocking fee, shipping, the total
    and how it is paid."""
    order = draft.order
    if not draft.units:
        return "<b>Refund due: ₹0.00</b><br>Scan an item to start."
    due = refund_of(draft)
    units: dict[int, int] = {}
    paid: dict[int, int] = {}
    for refund in due.lines:
        units[refund.line] = units.get(refund.line, 0) + refund.quantity
        paid[refund.line] = paid.get(refund.line, 0) + refund.paid_minor
    rows, discount, rest, rest_units = [], 0, 0, 0
    for n, (index, quantity) in enumerate(units.items()):
        line = order.lines[index]
        gross = line.unit_paid_minor * quantity
        discount += gross - paid[index]
        if len(units) <= SHOWN_REFUND_LINES or n < SHOWN_REFUND_LINES - 1:
            rows.append(_row(f"{escape(short(line.name))}&nbsp;×{quantity}", rupees(gross)))
        else:
            rest, rest_units = rest + gross, rest_units + quantity
    if rest_units:
        rows.append(
            _row(f"{len(units) - SHOWN_REFUND_LINES} more lines ×{rest_units}", rupees(rest))
        )
    if discount:
        rows.append(_row("Order discount, its share", "−" + rupees(discount)))
    if due.restocking_fee_minor:
        rows.append(_row("Restocking fee", "−" + rupees(due.restocking_fee_minor)))
    if due.shipping_minor:
        rows.append(_row("Shipping back", rupees(due.shipping_minor)))
    rows.append(_row("<b>Refund due</b>", f"<b>{rupees(due.total_minor)}</b>"))
    table = "<table width='100%' cellspacing='0' cellpadding='0'>" + "".join(rows) + "</table>"
    return table + escape(method_text(draft)).replace("\n", "<br>")


def _row(left: str, right: str) -> str:
    return f"<tr><td nowrap>{left}</td><td align='right' nowrap>{right}</td></tr>"


def last_return_text(taken: ReturnTaken) -> str:
    """The return just recorded, while the box waits for the next: what it came to and
    the numbers the customer and the put-away ask about."""
    s = "" if taken.units == 1 else "s"
    how = (
        "as store credit"
        if taken.method is RefundMethod.STORE_CREDIT
        else "to the original payment"
    )
    note = f"Credit note {taken.credit_note}" if taken.credit_note else "The refund waits"
    head = f"Last return: {taken.order_number or 'no receipt'} · {taken.units} unit{s} · "
    rmas = f" · RMA labels {', '.join(taken.rma_ids)}" if taken.rma_ids else ""
    swap = (
        f"\nExchange order {taken.exchange_order} · pickup code {taken.pickup_code}"
        if taken.exchange_order
        else ""
    )
    return head + f"{rupees(taken.refund_minor)} {how}\n{note}{rmas}{swap}"
