"""The invoice a return reverses: the invoice(s) of the lines coming back, comma-separated
when an order went out from two benches, dated by the earliest; none when no line has one."""

from __future__ import annotations

from datetime import date

from app.domain.returns.sold import SoldLine, SoldOrder

SOLD_ON = date(2026, 11, 2)


def line(line_no: int, invoice: str = "", on: date | None = None) -> SoldLine:
    return SoldLine(line_no, f"SKU-{line_no}", "", "Item", 1, 10_000, invoice=invoice,
                    invoiced_on=on)  # fmt: skip


ORDER = SoldOrder(
    "WEB-1", "web", SOLD_ON, "BLR-01",
    (line(1, "B0001/2627/00010", date(2026, 11, 4)), line(2, "B0002/2627/00003", date(2026, 11, 3)),
     line(3, "B0001/2627/00010", date(2026, 11, 4)), line(4)),
)  # fmt: skip


def test_a_return_names_the_invoice_of_the_lines_coming_back() -> None:
    assert ORDER.invoice_of([1]) == ("B0001/2627/00010", date(2026, 11, 4))
    assert ORDER.invoice_of([3, 1]) == ("B0001/2627/00010", date(2026, 11, 4))  # once


def test_lines_from_two_benches_name_both_invoices_dated_by_the_earliest() -> None:
    assert ORDER.invoice_of([1, 2, 4]) == (
        "B0001/2627/00010, B0002/2627/00003", date(2026, 11, 3),
    )  # fmt: skip


def test_lines_with_no_invoice_name_none() -> None:
    assert ORDER.invoice_of([4]) is None
    assert ORDER.invoice_of([]) is None


def test_an_invoice_with_no_date_reads_as_the_day_of_sale() -> None:
    order = SoldOrder("R-1", "store", SOLD_ON, "BLR-01", (line(1, "R-1"),))
    assert order.invoice_of([1]) == ("R-1", SOLD_ON)
