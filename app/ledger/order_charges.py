"""Each ship fulfilment order's share of its order's discount and shipping charge, as the
fulfilment scope's ``discount_minor`` and ``shipping_minor``.

The order holds one discount and one shipping charge; each location that ships part of
it invoices its part, so the two are shared over the order's live parts by their goods
(:func:`app.domain.tax.invoice.part_charges`): the invoices add up to what the customer
paid. A part's goods are its units still to leave from there (ordered less refused)
at the prices its lines carry; a cancelled part has none. A part's share is worked out
whenever its row is sent, so a part created by a reroute takes its share then.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, func, select

from app.domain.tax.invoice import part_charges
from app.ledger.fulfilment_lines import fulfilment_lines
from app.ledger.models import FulfilmentOrder, Order, table_of

fulfilments = table_of(FulfilmentOrder)
orders = table_of(Order)

IN_CHUNK = 5000  # ids per IN list


def charges_of(conn: Connection, fo_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """(discount, shipping) in paise of each ship fulfilment order in ``fo_ids``; (0, 0)
    for a pickup order or an order with neither."""
    ids = sorted(set(fo_ids))
    found = dict.fromkeys(ids, (0, 0))
    f, o = fulfilments.c, orders.c
    for start in range(0, len(ids), IN_CHUNK):
        order_ids = select(f.order_id).where(f.id.in_(ids[start : start + IN_CHUNK]))
        charged = conn.execute(
            select(o.id, o.discount_minor, o.shipping_minor).where(
                o.id.in_(order_ids), (o.discount_minor > 0) | (o.shipping_minor > 0)
            )
        ).all()
        if not charged:
            continue
        parts = _parts(conn, [int(r.id) for r in charged])
        for order_id, discount, shipping in charged:
            fos = parts.get(int(order_id), [])
            shares = part_charges(int(discount), int(shipping), [value for _, value in fos])
            for (fo_id, _), share in zip(fos, shares, strict=True):
                if fo_id in found:
                    found[fo_id] = share
    return found


def _parts(conn: Connection, order_ids: Sequence[int]) -> dict[int, list[tuple[int, int]]]:
    """Each order's ship fulfilment orders (oldest first) with their goods to leave."""
    f, fl = fulfilments.c, fulfilment_lines.c
    goods = func.coalesce(func.sum(fl.price_minor * (fl.quantity - fl.short)), 0)
    rows = conn.execute(
        select(f.order_id, f.id, f.state, goods)
        .outerjoin(fulfilment_lines, fl.fulfilment_order_id == f.id)
        .where(f.order_id.in_(order_ids), f.method == "ship")
        .group_by(f.order_id, f.id, f.state)
        .order_by(f.order_id, f.id)
    ).all()
    found: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for order_id, fo_id, state, value in rows:
        found[int(order_id)].append((int(fo_id), 0 if state == "cancelled" else int(value)))
    return found


def with_charges(
    conn: Connection, rows: Sequence[Sequence[Any]], discount_at: int, shipping_at: int
) -> list[tuple[Any, ...]]:
    """Fulfilment scope rows (id first) with their shares put in at ``discount_at`` and
    ``shipping_at``."""
    found = charges_of(conn, (int(r[0]) for r in rows))
    out = []
    for row in rows:
        values = list(row)
        values[discount_at], values[shipping_at] = found[int(row[0])]
        out.append(tuple(values))
    return out
