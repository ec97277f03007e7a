"""Tax invoice numbers in the station cache: the blocks of this station's series the
ledger handed it, and the number each order was invoiced under (step 21). Credit notes
number from blocks of their own series in the same table (step 26; see
:mod:`app.storage.credit_notes`).

A number is taken inside the caller's transaction (the one that records the order's
first pack), so a crash between taking and using it loses nothing and reuses nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date

from app.domain.tax.invoice_numbers import NumberBlock, Series, invoice_number
from app.domain.tax.rates import GstRate


def keep_blocks(conn: sqlite3.Connection, blocks: Iterable[NumberBlock]) -> int:
    """Keep the blocks the ledger answered (one already held is left as it is)."""
    added = 0
    for b in blocks:
        added += conn.execute(
            "INSERT OR IGNORE INTO invoice_blocks (financial_year, prefix, first, last, "
            "next_serial, series) VALUES (?, ?, ?, ?, ?, ?)",
            (b.year, b.prefix, b.first, b.last, b.first, b.series.value),
        ).rowcount
    return added


def known_last(conn: sqlite3.Connection, year: int, prefix: str) -> int:
    """The highest serial of ``year`` this station holds in the series of ``prefix``."""
    row = conn.execute(
        "SELECT coalesce(max(last), 0) FROM invoice_blocks WHERE financial_year = ? AND prefix = ?",
        (year, prefix),
    ).fetchone()
    return int(row[0])


def numbers_left(conn: sqlite3.Connection, year: int, series: Series = Series.INVOICE) -> int:
    """How many numbers of ``year``'s ``series`` this station can still give."""
    row = conn.execute(
        "SELECT coalesce(sum(last - next_serial + 1), 0) FROM invoice_blocks "
        "WHERE financial_year = ? AND series = ? AND next_serial <= last",
        (year, series.value),
    ).fetchone()
    return int(row[0])


def next_number(conn: sqlite3.Connection, series: Series, year: int) -> str | None:
    """Use up the next number of ``year``'s ``series``: the lowest serial not given yet of
    the first block with any left. None when the station holds none."""
    row = conn.execute(
        "SELECT prefix, first, next_serial FROM invoice_blocks WHERE financial_year = ? "
        "AND series = ? AND next_serial <= last ORDER BY first, prefix LIMIT 1",
        (year, series.value),
    ).fetchone()
    if row is None:
        return None
    prefix, first, serial = str(row[0]), int(row[1]), int(row[2])
    conn.execute(
        "UPDATE invoice_blocks SET next_serial = next_serial + 1 WHERE financial_year = ? "
        "AND prefix = ? AND first = ?",
        (year, prefix, first),
    )
    return invoice_number(prefix, year, serial)


def order_invoice(conn: sqlite3.Connection, fulfilment_id: int) -> tuple[str, date] | None:
    """The number and date the order was invoiced under, if it was."""
    row = conn.execute(
        "SELECT number, issued_on FROM order_invoices WHERE fulfilment_id = ?",
        (fulfilment_id,),
    ).fetchone()
    return None if row is None else (str(row[0]), date.fromisoformat(str(row[1])))


def take_number(conn: sqlite3.Connection, fulfilment_id: int, year: int, on: date) -> str | None:
    """The next number of ``year``'s invoice series, kept as the order's; None when none
    is left."""
    number = next_number(conn, Series.INVOICE, year)
    if number is None:
        return None
    conn.execute(
        "INSERT INTO order_invoices (fulfilment_id, number, issued_on) VALUES (?, ?, ?)",
        (fulfilment_id, number, on.isoformat()),
    )
    return number


def gst_rate_table(conn: sqlite3.Connection) -> tuple[GstRate, ...]:
    """The GST rate table as the ledger sent it (shared scope ``gst_rates``)."""
    rows = conn.execute(
        "SELECT hsn_prefix, effective_from, rate_bp, band_limit_minor, rate_above_bp "
        "FROM gst_rates ORDER BY hsn_prefix, id"
    )
    return tuple(
        GstRate(
            str(prefix), int(rate), date.fromisoformat(str(since)[:10]),
            band_limit_minor=None if limit is None else int(limit),
            rate_above_bp=None if above is None else int(above),
        )
        for prefix, since, rate, limit, above in rows
    )  # fmt: skip


def item_tax_facts(
    conn: sqlite3.Connection, skus: list[str]
) -> dict[str, tuple[str, str, int | None]]:
    """SKU -> (name, HSN code, the item's own GST rate) from the catalogue."""
    if not skus:
        return {}
    marks = ", ".join("?" for _ in skus)
    rows = conn.execute(
        f"SELECT sku, name, coalesce(hsn_code, ''), gst_rate_bp FROM items WHERE sku IN ({marks})",
        skus,
    )
    return {str(s): (str(n), str(h), None if r is None else int(r)) for s, n, h, r in rows}


def seller_row(conn: sqlite3.Connection) -> dict[str, str]:
    """This station's location as the seller: code, name, city, pincode and GSTIN."""
    row = conn.execute(
        "SELECT d.location_code, coalesce(l.name, d.location_name), coalesce(l.city, ''), "
        "coalesce(l.pincode, ''), coalesce(l.gstin, '') FROM device AS d "
        "LEFT JOIN locations AS l ON l.code = d.location_code WHERE d.id = 1"
    ).fetchone()
    keys = ("code", "name", "city", "pincode", "gstin")
    return dict(zip(keys, map(str, row), strict=True)) if row else {}
