"""A till export's rows gathered into receipts, for the ``sales`` import: a receipt is
taken in whole or not at all, so none ever lands with a line missing. Pure."""

from __future__ import annotations

from collections.abc import Iterable

from app.domain.master_rows import RowProblem
from app.domain.till_sales import SaleRow, TillSale

Receipt = tuple[tuple[int, ...], TillSale]  # the file lines of a receipt, and its sale


def receipts_of(rows: Iterable[tuple[int, SaleRow]]) -> tuple[list[Receipt], list[RowProblem]]:
    """The file's rows gathered by receipt (lines in file order), and a problem for each
    row that disagrees with its receipt's first row on store, time, payment or customer."""
    gathered: dict[str, list[tuple[int, SaleRow]]] = {}
    for line, row in rows:
        gathered.setdefault(row.receipt, []).append((line, row))
    receipts: list[Receipt] = []
    problems: list[RowProblem] = []
    for receipt, lines in gathered.items():
        problems.extend(RowProblem(n, *row.problem) for n, row in lines if row.problem)
        readable = [(n, row) for n, row in lines if not row.problem]
        if not readable:
            continue
        first_line, first = readable[0]
        problems.extend(
            RowProblem(
                n,
                f"Receipt {receipt} says another store, time, payment or customer on "
                f"line {first_line}.",
                "Every line of a receipt says the same; correct the till export.",
            )
            for n, row in readable
            if row.header != first.header
        )
        sale = TillSale(
            receipt=receipt,
            location=first.location,
            sold_at=first.sold_at,
            payment=first.payment,
            lines=tuple(row.line for _, row in readable),
            phone=first.phone,
            email=first.email,
            name=first.name,
        )
        receipts.append((tuple(n for n, _ in lines), sale))
    return receipts, problems


def whole_receipts(receipts: Iterable[Receipt], bad: set[int]) -> list[RowProblem]:
    """A problem for each good line of a receipt with a bad line: a sale is taken in
    complete or not at all (so a receipt never lands with a line missing)."""
    problems: list[RowProblem] = []
    for lines, sale in receipts:
        if bad.intersection(lines):
            problems.extend(
                RowProblem(
                    n,
                    f"Receipt {sale.receipt} has a bad line, so none of it is taken in.",
                    "Fix the receipt's other lines and import it again.",
                )
                for n in lines
                if n not in bad
            )
    return problems
