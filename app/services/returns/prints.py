"""A return's prints, after its transaction commits: the credit note and the RMA labels.

The credit note (the customer's receipt, a PDF on the sheet printer) is made from the
recorded refund with this station as the seller, in its own numbering; a return without
an order gets a return receipt for its store credit instead (no invoice to reverse), under
the same number; one RMA label per unit says where it goes next. The return is saved
before any of this: what fails to print is said in words, with how to print it again,
and never undoes the return.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from app.domain.labels import Address, LabelKind, ReturnLabel
from app.domain.returns.credit_note import InvoiceRef, credit_note
from app.domain.returns.draft import sale_of
from app.domain.returns.receipt import ReturnReceipt
from app.domain.returns.rma import UnitsGraded, return_reference, rma_labels
from app.domain.returns.store_credit import CreditUnit, StoreCreditReceipt
from app.domain.tax.document import Seller
from app.errors import BadInput, KnownError
from app.services.printing import PrintService
from app.services.printing_sheets import SheetPrinted
from app.services.returns.no_order import RecordedWithoutOrder
from app.services.returns.take import Recorded
from app.storage import invoices, reasons
from app.storage.engine import Database, raw_connection

REPRINT = "F8 reprints"
RECEIPT_SHEET = "the return receipt"  # a return without an order's sheet (store credit)


@dataclass(frozen=True)
class ReturnPrints:
    """What a return prints: its credit note, or without an order its return receipt (None
    while the refund waits), and its labels."""

    receipt: ReturnReceipt | None
    labels: tuple[ReturnLabel, ...]
    problem: str = ""  # why the credit note could not be made (the labels still print)
    store_credit: StoreCreditReceipt | None = None  # a return without an order's receipt
    sheet: str = "the credit note"  # what the counter calls the sheet


def return_prints(db: Database, recorded: Recorded) -> ReturnPrints:
    """The credit note and RMA labels of a recorded return, from the cache (the seller,
    the GST rates, the reasons' words). A credit note that cannot be made (the store's
    GSTIN or an item's HSN code missing) is said in ``problem``; the labels still print."""
    with db.reading() as session:
        conn = raw_connection(session)
        words = _reason_words(conn, [unit.reason for unit in recorded.draft.units])
        labels = rma_labels(
            return_reference(recorded.credit_note, recorded.return_id),
            recorded.draft.order.order_number,
            _graded(recorded, words),
        )
        if not recorded.credit_note:
            return ReturnPrints(None, labels)
        try:
            seller = _seller(invoices.seller_row(conn))
        except KnownError as exc:
            return ReturnPrints(None, labels, exc.message)
        rates = invoices.gst_rate_table(conn)
    order = recorded.draft.order
    number, day = order.invoice_of(u.line_no for u in recorded.draft.units) or (
        order.order_number, order.sold_on,  # not invoiced (yet), or invoiced elsewhere
    )  # fmt: skip
    try:
        note = credit_note(
            sale_of(order), rates, recorded.refund, number=recorded.credit_note, on=recorded.on,
            invoice=InvoiceRef(number, day, order.order_number),
            seller=seller, buyer=None,
        )  # fmt: skip
    except KnownError as exc:
        return ReturnPrints(None, labels, exc.message)
    return ReturnPrints(ReturnReceipt(note, recorded.refund, recorded.method), labels)


def prints_without_order(db: Database, recorded: RecordedWithoutOrder) -> ReturnPrints:
    """The return receipt (store credit) and RMA labels of a return taken without an
    order. With no order there is no tax invoice to reverse, so its receipt is no GST
    credit note (:mod:`app.domain.returns.store_credit`); none prints while the refund
    waits with no number. A store with no GSTIN on record is said in ``problem``."""
    with db.reading() as session:
        conn = raw_connection(session)
        words = _reason_words(conn, [unit.reason for unit in recorded.units])
        place = invoices.seller_row(conn) if recorded.credit_note else {}
    graded = [
        UnitsGraded(u.name, u.sku, u.grade, u.disposition, words.get(u.reason, u.reason)[:60], 1)
        for u in recorded.units
    ]
    labels = rma_labels(return_reference(recorded.credit_note, recorded.return_id), "", graded)
    if not recorded.credit_note:
        return ReturnPrints(None, labels, sheet=RECEIPT_SHEET)
    try:
        receipt = StoreCreditReceipt(
            recorded.credit_note, recorded.on, _seller(place, "return receipt"),
            recorded.customer_phone,
            tuple(CreditUnit(u.name, u.sku, u.grade, words.get(u.reason, u.reason),
                             u.refund_minor) for u in recorded.units),
            recorded.approver,
        )  # fmt: skip
    except KnownError as exc:
        return ReturnPrints(None, labels, exc.message, sheet=RECEIPT_SHEET)
    return ReturnPrints(None, labels, store_credit=receipt, sheet=RECEIPT_SHEET)


def print_return(printing: PrintService | None, prints: ReturnPrints, staff_code: str) -> str:
    """Print the credit note (or the return receipt), then each RMA label; what happened,
    in words."""
    if printing is None:
        return f"Printing is off at this station (see Printers); {REPRINT} once it is on."
    said, failed = [], []
    if prints.problem:
        failed.append(f"{prints.sheet}: {prints.problem}")
    try:
        sheet = _print_sheet(printing, prints, staff_code)
    except KnownError as exc:
        failed.append(f"{prints.sheet}: {exc.message}")
    else:
        if sheet is not None:  # its number is said before
            said.append(f"{prints.sheet.capitalize()}: {sheet.said}")
    told, labels_failed = "", 0
    for label in prints.labels:
        try:
            told = printing.print_label(LabelKind.RETURN, label, staff_code=staff_code).said
        except KnownError as exc:
            labels_failed += 1
            if labels_failed == 1:
                failed.append(f"RMA label {label.rma_id}: {exc.message}")
    count = len(prints.labels)
    if labels_failed < count:
        said.append(f"{count - labels_failed} RMA {'label' if count == 1 else 'labels'}: {told}")
    if failed:
        more = f" ({labels_failed} of {count} RMA labels failed)" if labels_failed > 1 else ""
        said.append(f"Printing failed: {'; '.join(failed)}{more}. {REPRINT}.")
    return " ".join(said)


def _print_sheet(
    printing: PrintService, prints: ReturnPrints, staff_code: str
) -> SheetPrinted | None:
    """Print the credit note or the return receipt, if the return has one."""
    if prints.receipt is not None:
        return printing.print_credit_note(prints.receipt, staff_code=staff_code)
    if prints.store_credit is not None:
        return printing.print_store_credit(prints.store_credit, staff_code=staff_code)
    return None


def _reason_words(conn: sqlite3.Connection, codes: list[str]) -> dict[str, str]:
    """The retailer's words for each reason code (a code it no longer has reads as itself)."""
    found = (reasons.by_code(conn, code) for code in set(codes))
    return {r.code: r.label for r in found if r is not None}


def _graded(recorded: Recorded, words: dict[str, str]) -> list[UnitsGraded]:
    """The units as their labels print, one by one in the order they were taken."""
    graded = []
    for unit in recorded.draft.units:
        line = recorded.draft.order.line(unit.line_no)
        name, sku = (line.name, line.sku) if line is not None else ("", "")
        reason = words.get(unit.reason, unit.reason)[:60]
        graded.append(UnitsGraded(name, sku, unit.grade, unit.disposition, reason, 1))
    return graded


def _seller(place: dict[str, str], sheet: str = "credit note") -> Seller:
    """This store as the issuer of the credit note (or ``sheet``): its GSTIN and address
    from the cache."""
    if not place.get("gstin") or not place.get("pincode"):
        raise BadInput(
            f"This store has no GSTIN or pincode on record, so its {sheet} cannot print.",
            next_step=f"Ask HQ to fill in the store's GSTIN and address, sync, then {REPRINT}.",
        )
    address = Address(
        name=place["name"], lines=(f"Store {place['code']}",), city=place["city"] or "-",
        postcode=place["pincode"],
    )  # fmt: skip
    return Seller(place["name"], address, place["gstin"])
