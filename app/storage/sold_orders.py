"""Orders a return may be taken against, cached at the station (step 24).

This location's recent sales arrive with sync; orders of other channels and locations
are kept as the ledger answered a lookup. Either way a return can find them offline: by
order or receipt number, the customer's phone or e-mail (kept only as search keys), an
item it contains (newest first, off the GTIN index) or a parcel it left in.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from app.domain.returns.quantities import EarlierReturn
from app.domain.returns.sold import SoldLine, SoldOrder

_ORDER_COLUMNS = (
    "order_number, channel, sold_on, delivered_on, location, location_state, payment, "
    "discount_minor, shipping_minor, customer, shipping_refunded"
)
_LINE_COLUMNS = (
    "line_no, sku, gtin, name, quantity, unit_paid_minor, hsn_code, gst_rate_bp, "
    "return_days, final_sale, return_category, invoice, invoiced_on"
)


def keep_order(
    conn: sqlite3.Connection,
    order: SoldOrder,
    *,
    source: str,
    phone_key: str | None = None,
    email_key: str | None = None,
) -> None:
    """Keep ``order`` as ``source`` (``here`` or ``ledger``) last told it, lines and all.
    Its earlier returns replace every one kept before, those taken here too: the ledger's
    answer counts them once they have synced (one still in the outbox is missed, and the
    ledger flags the over-return it may allow)."""
    conn.execute(
        f"INSERT OR REPLACE INTO sold_orders ({_ORDER_COLUMNS}, phone_key, email_key, source) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            order.order_number, order.channel, order.sold_on.isoformat(),
            order.delivered_on and order.delivered_on.isoformat(), order.location,
            order.location_state, order.payment, order.discount_minor, order.shipping_minor,
            order.customer, int(order.shipping_refunded), phone_key, email_key, source,
        ),
    )  # fmt: skip
    conn.execute("DELETE FROM sold_lines WHERE order_number = ?", (order.order_number,))
    conn.executemany(
        f"INSERT INTO sold_lines (order_number, sold_on, {_LINE_COLUMNS}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(order.order_number, order.sold_on.isoformat(), *_line_values(x)) for x in order.lines],
    )
    conn.execute("DELETE FROM sold_returns WHERE order_number = ?", (order.order_number,))
    for line in order.lines:
        for back in line.earlier:
            _add_return(conn, order.order_number, line.line_no, back, source)
    conn.execute("DELETE FROM sold_parcels WHERE order_number = ?", (order.order_number,))
    conn.executemany(
        "INSERT OR REPLACE INTO sold_parcels (code, order_number) VALUES (?, ?)",
        [(code, order.order_number) for code in order.parcels],
    )


def count_returned(
    conn: sqlite3.Connection, order_number: str, line_no: int, back: EarlierReturn
) -> None:
    """Count units of a line as returned here (before the ledger says so)."""
    _add_return(conn, order_number, line_no, back, "here")


def _add_return(
    conn: sqlite3.Connection, order_number: str, line_no: int, back: EarlierReturn, source: str
) -> None:
    conn.execute(
        "INSERT INTO sold_returns (order_number, line_no, quantity, location, returned_on, "
        "source) VALUES (?, ?, ?, ?, ?, ?)",
        (order_number, line_no, back.quantity, back.location_code, back.on.isoformat(), source),
    )


def by_number(conn: sqlite3.Connection, forms: Sequence[str]) -> list[SoldOrder]:
    """Orders whose number is one of ``forms`` (as typed, upper case …)."""
    marks = ", ".join("?" * len(forms))
    return _orders(conn, f"order_number IN ({marks})", tuple(forms))


def by_phone(conn: sqlite3.Connection, key: str, limit: int) -> list[SoldOrder]:
    return _orders(conn, "phone_key = ?", (key,), limit)


def by_email(conn: sqlite3.Connection, key: str, limit: int) -> list[SoldOrder]:
    return _orders(conn, "email_key = ?", (key,), limit)


def by_parcel(conn: sqlite3.Connection, code: str) -> list[SoldOrder]:
    return _orders(
        conn, "order_number IN (SELECT order_number FROM sold_parcels WHERE code = ?)", (code,)
    )


def numbers_with_item(conn: sqlite3.Connection, gtins: Sequence[str], limit: int) -> list[str]:
    """The newest orders holding an item stored as one of ``gtins`` (the forms of one
    GTIN), off the (gtin, sold_on) index."""
    marks = ", ".join("?" * len(gtins))
    rows = conn.execute(
        "SELECT order_number FROM sold_lines INDEXED BY ix_sold_lines_gtin "
        f"WHERE gtin IN ({marks}) GROUP BY order_number ORDER BY max(sold_on) DESC LIMIT ?",
        (*gtins, limit),
    )
    return [str(r[0]) for r in rows]


def by_item(conn: sqlite3.Connection, gtins: Sequence[str], limit: int) -> list[SoldOrder]:
    """The newest orders holding the item (stored as one of ``gtins``), newest first."""
    numbers = numbers_with_item(conn, gtins, limit)
    found = {o.order_number: o for o in by_number(conn, numbers)} if numbers else {}
    return [found[n] for n in numbers if n in found]


def _orders(
    conn: sqlite3.Connection, where: str, args: tuple[Any, ...], limit: int = 50
) -> list[SoldOrder]:
    rows = conn.execute(
        f"SELECT {_ORDER_COLUMNS} FROM sold_orders WHERE {where} ORDER BY sold_on DESC LIMIT ?",
        (*args, limit),
    ).fetchall()
    if not rows:
        return []
    numbers = [str(row[0]) for row in rows]
    lines, parcels = _lines_of(conn, numbers), _parcels_of(conn, numbers)
    return [_order(row, lines.get(str(row[0]), ()), parcels.get(str(row[0]), ())) for row in rows]


def _lines_of(conn: sqlite3.Connection, numbers: list[str]) -> dict[str, tuple[SoldLine, ...]]:
    marks = ", ".join("?" * len(numbers))
    found: dict[str, list[SoldLine]] = {}
    earlier = _earlier_of(conn, numbers)
    for row in conn.execute(
        f"SELECT order_number, {_LINE_COLUMNS} FROM sold_lines "
        f"WHERE order_number IN ({marks}) ORDER BY order_number, line_no",
        numbers,
    ):
        number = str(row[0])
        found.setdefault(number, []).append(_line(row[1:], earlier.get((number, int(row[1])), ())))
    return {number: tuple(lines) for number, lines in found.items()}


def _earlier_of(
    conn: sqlite3.Connection, numbers: list[str]
) -> dict[tuple[str, int], tuple[EarlierReturn, ...]]:
    marks = ", ".join("?" * len(numbers))
    found: dict[tuple[str, int], list[EarlierReturn]] = {}
    for number, line_no, quantity, location, on in conn.execute(
        "SELECT order_number, line_no, quantity, location, returned_on FROM sold_returns "
        f"WHERE order_number IN ({marks}) ORDER BY returned_on, rowid",
        numbers,
    ):
        back = EarlierReturn(int(quantity), str(location), date.fromisoformat(str(on)))
        found.setdefault((str(number), int(line_no)), []).append(back)
    return {key: tuple(backs) for key, backs in found.items()}


def _parcels_of(conn: sqlite3.Connection, numbers: list[str]) -> dict[str, tuple[str, ...]]:
    marks = ", ".join("?" * len(numbers))
    found: dict[str, list[str]] = {}
    for number, code in conn.execute(
        f"SELECT order_number, code FROM sold_parcels WHERE order_number IN ({marks}) "
        "ORDER BY code",
        numbers,
    ):
        found.setdefault(str(number), []).append(str(code))
    return {number: tuple(codes) for number, codes in found.items()}


def _order(row: Sequence[Any], lines: tuple[SoldLine, ...], parcels: tuple[str, ...]) -> SoldOrder:
    return SoldOrder(
        order_number=str(row[0]),
        channel=str(row[1]),
        sold_on=date.fromisoformat(str(row[2])),
        delivered_on=date.fromisoformat(str(row[3])) if row[3] else None,
        location=str(row[4]),
        location_state=str(row[5]),
        payment=str(row[6]),
        discount_minor=int(row[7]),
        shipping_minor=int(row[8]),
        customer=str(row[9]),
        shipping_refunded=bool(row[10]),
        lines=lines,
        parcels=parcels,
    )


def _line_values(line: SoldLine) -> tuple[Any, ...]:
    return (
        line.line_no, line.sku, line.gtin, line.name, line.quantity, line.unit_paid_minor,
        line.hsn_code, line.gst_rate_bp, line.return_days, int(line.final_sale),
        line.return_category, line.invoice, line.invoiced_on and line.invoiced_on.isoformat(),
    )  # fmt: skip


def _line(row: Sequence[Any], earlier: tuple[EarlierReturn, ...]) -> SoldLine:
    return SoldLine(
        line_no=int(row[0]),
        sku=str(row[1]),
        gtin=str(row[2]),
        name=str(row[3]),
        quantity=int(row[4]),
        unit_paid_minor=int(row[5]),
        hsn_code=str(row[6]),
        gst_rate_bp=int(row[7]),
        return_days=int(row[8]),
        final_sale=bool(row[9]),
        return_category=str(row[10]),
        earlier=earlier,
        invoice=str(row[11]),
        invoiced_on=date.fromisoformat(str(row[12])) if row[12] else None,
    )


def forget_before(conn: sqlite3.Connection, day: date, source: Iterable[str] = ("ledger",)) -> int:
    """Drop cached orders sold before ``day`` from ``source`` (lookups age out)."""
    kinds = tuple(source)
    marks = ", ".join("?" * len(kinds))
    numbers = f"SELECT order_number FROM sold_orders WHERE sold_on < ? AND source IN ({marks})"
    args = (day.isoformat(), *kinds)
    conn.execute(f"DELETE FROM sold_lines WHERE order_number IN ({numbers})", args)
    conn.execute(f"DELETE FROM sold_parcels WHERE order_number IN ({numbers})", args)
    conn.execute(f"DELETE FROM sold_returns WHERE order_number IN ({numbers})", args)
    return conn.execute(
        f"DELETE FROM sold_orders WHERE sold_on < ? AND source IN ({marks})", args
    ).rowcount


def forget_missing(conn: sqlite3.Connection, source: str, numbers: str) -> int:
    """Drop cached orders of ``source`` whose number the SELECT ``numbers`` does not give
    (a fresh snapshot of this location's sales no longer holds them)."""
    gone = (
        f"SELECT order_number FROM sold_orders WHERE source = ? AND order_number NOT IN ({numbers})"
    )
    for table in ("sold_lines", "sold_parcels", "sold_returns"):
        conn.execute(f"DELETE FROM {table} WHERE order_number IN ({gone})", (source,))
    return conn.execute(
        f"DELETE FROM sold_orders WHERE source = ? AND order_number NOT IN ({numbers})", (source,)
    ).rowcount
