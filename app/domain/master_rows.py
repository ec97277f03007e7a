"""Reading a master-data CSV: check the header, build every row, report each bad row by
its line number with what to fix. Pure: takes the file's text lines, does no I/O.

A file whose header is wrong (a misspelt or missing column) is refused as a whole; a bad
row is reported and the others are still checked, so one run lists every problem.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.domain import master_records as r
from app.domain import master_shipping as sh
from app.domain import till_sales as till
from app.domain.tax.rate_records import GST_RATE_COLUMNS, gst_rate_record
from app.errors import BadInput


class MasterKind(StrEnum):
    """What a master-data file holds."""

    ITEMS = "items"
    LOCATIONS = "locations"
    STAFF = "staff"
    STOCK = "stock"
    REASONS = "reasons"
    BINS = "bins"
    GST_RATES = "gst_rates"
    CARRIERS = "carriers"
    CARRIER_PINCODES = "carrier_pincodes"
    LOCATION_CARRIERS = "location_carriers"
    BOXES = "boxes"
    SALES = "sales"  # walk-in sales from the till system, one row per receipt line


COLUMNS: dict[MasterKind, r.Columns] = {
    MasterKind.ITEMS: r.ITEM_COLUMNS,
    MasterKind.LOCATIONS: r.LOCATION_COLUMNS,
    MasterKind.STAFF: r.STAFF_COLUMNS,
    MasterKind.STOCK: r.STOCK_COLUMNS,
    MasterKind.REASONS: r.REASON_COLUMNS,
    MasterKind.BINS: r.BIN_COLUMNS,
    MasterKind.GST_RATES: GST_RATE_COLUMNS,
    MasterKind.CARRIERS: sh.CARRIER_COLUMNS,
    MasterKind.CARRIER_PINCODES: sh.CARRIER_PINCODE_COLUMNS,
    MasterKind.LOCATION_CARRIERS: sh.LOCATION_CARRIER_COLUMNS,
    MasterKind.BOXES: sh.BOX_COLUMNS,
    MasterKind.SALES: till.SALE_COLUMNS,
}
BUILDERS: dict[MasterKind, Callable[[Mapping[str, str]], Any]] = {
    MasterKind.ITEMS: r.item_record,
    MasterKind.LOCATIONS: r.location_record,
    MasterKind.STAFF: r.staff_record,
    MasterKind.STOCK: r.stock_record,
    MasterKind.REASONS: r.reason_record,
    MasterKind.BINS: r.bin_record,
    MasterKind.GST_RATES: gst_rate_record,
    MasterKind.CARRIERS: sh.carrier_record,
    MasterKind.CARRIER_PINCODES: sh.carrier_pincode_record,
    MasterKind.LOCATION_CARRIERS: sh.location_carrier_record,
    MasterKind.BOXES: sh.box_record,
    MasterKind.SALES: till.sale_row_record,
}
SHIPPING_KINDS = frozenset(
    {
        MasterKind.CARRIERS,
        MasterKind.CARRIER_PINCODES,
        MasterKind.LOCATION_CARRIERS,
        MasterKind.BOXES,
    }
)
OWN_KEY_KINDS = SHIPPING_KINDS | {MasterKind.SALES}  # their records say their own key


def row_key(kind: MasterKind, record: Any) -> tuple[str, ...]:
    """What must be unique within one file (an item's SKU, a stock row's place …)."""
    if kind in OWN_KEY_KINDS:
        return tuple(record.key)
    if kind is MasterKind.STOCK:
        return (record.location, record.sku, record.bucket)
    if kind is MasterKind.ITEMS:
        return (record.sku,)
    if kind is MasterKind.BINS:
        return (record.location, record.sku, record.bin_code)
    if kind is MasterKind.GST_RATES:
        return (record.hsn_prefix, record.effective_from.isoformat())
    return (record.code,)


@dataclass(frozen=True)
class RowProblem:
    """A bad row: its line in the file and what to fix."""

    line: int
    message: str
    next_step: str = ""

    def __str__(self) -> str:
        return f"line {self.line}: {self.message} {self.next_step}".strip()


@dataclass(frozen=True)
class ParsedFile:
    """Good rows as (line, record) and the problems of the bad ones, in file order."""

    kind: MasterKind
    rows: tuple[tuple[int, Any], ...]
    problems: tuple[RowProblem, ...]


def check_header(kind: MasterKind, header: list[str]) -> list[str]:
    """The header's column names, lower-cased; ``BadInput`` for a misspelt, missing or
    repeated column (the whole file is refused then)."""
    columns = COLUMNS[kind]
    names = [h.strip().lstrip("\ufeff").strip().lower() for h in header]
    known = ", ".join(columns.all)
    for name in names:
        if name not in columns.all:
            raise BadInput(
                f"Line 1: '{name}' is not a column of a {kind} file.",
                next_step=f"Fix the header; the columns are: {known}.",
            )
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise BadInput(f"Line 1: column '{repeated[0]}' is named twice.")
    missing = [c for c in columns.required if c not in names]
    if missing:
        raise BadInput(
            f"Line 1: the {kind} file has no '{missing[0]}' column.",
            next_step=f"Add it; every {kind} file has: {', '.join(columns.required)}.",
        )
    return names


def read_rows(kind: MasterKind, lines: Iterable[str]) -> ParsedFile:
    """Check every row of a CSV file given as text lines (header first)."""
    reader = csv.reader(iter(lines))
    header = next(reader, None)
    if header is None or not any(h.strip() for h in header):
        raise BadInput(f"The {kind} file is empty.", next_step="Line 1 names the columns.")
    names = check_header(kind, header)
    build = BUILDERS[kind]
    rows: list[tuple[int, Any]] = []
    problems: list[RowProblem] = []
    seen: dict[tuple[str, ...], int] = {}
    line = reader.line_num
    for values in _rows_of(reader):
        start, line = line + 1, reader.line_num
        if not any(v.strip() for v in values):
            continue  # blank lines are allowed
        if len(values) != len(names):
            problems.append(
                RowProblem(
                    start,
                    f"It has {len(values)} fields; the header has {len(names)}.",
                    "Check for a missing comma or an unquoted comma inside a field.",
                )
            )
            continue
        try:
            record = build(dict(zip(names, values, strict=True)))
        except BadInput as exc:
            problems.append(RowProblem(start, exc.message, exc.next_step))
            continue
        key = row_key(kind, record)
        if key in seen:
            problems.append(
                RowProblem(start, f"{' '.join(key)} is also on line {seen[key]}.", "Keep one.")
            )
            continue
        seen[key] = start
        rows.append((start, record))
    return ParsedFile(kind, tuple(rows), tuple(problems))


def _rows_of(reader: Any) -> Iterator[list[str]]:
    """The reader's rows; a line the csv module cannot read refuses the whole file."""
    try:
        yield from reader
    except csv.Error as exc:
        raise BadInput(
            f"Line {reader.line_num} cannot be read as CSV ({exc}).",
            next_step="Save the file again as 'CSV UTF-8' and import it again.",
        ) from None


def same_gtins(rows: Iterable[tuple[int, Any]]) -> list[RowProblem]:
    """Items of one file that share a GTIN (each GTIN names one item)."""
    first: dict[str, tuple[int, str]] = {}
    problems = []
    for line, item in rows:
        if item.gtin in first:
            other_line, other_sku = first[item.gtin]
            problems.append(
                RowProblem(
                    line,
                    f"GTIN {item.gtin} is also {other_sku}'s, on line {other_line}.",
                    "Each item has its own GTIN.",
                )
            )
        else:
            first[item.gtin] = (line, item.sku)
    return problems


def same_ranks(rows: Iterable[tuple[int, Any]]) -> list[RowProblem]:
    """Bins of one item at one location that share a rank (each rank names one bin)."""
    first: dict[tuple[str, str, int], tuple[int, str]] = {}
    problems = []
    for line, rec in rows:
        key = (rec.location, rec.sku, rec.rank)
        if key in first:
            other_line, other_bin = first[key]
            problems.append(
                RowProblem(
                    line,
                    f"{rec.sku} at {rec.location} has rank {rec.rank} in bin {other_bin} too, "
                    f"on line {other_line}.",
                    "Give each bin of an item its own rank: 1 for the home bin, 2, 3 … after.",
                )
            )
        else:
            first[key] = (line, rec.bin_code)
    return problems
