"""Each location's box catalogue as the ``boxes`` of its locations scope row.

Boxes are rows of ``box_types``; stations get them inside the location's row (a list of
dicts, smallest first), like fulfilment rows get their lines. scope_rows gives NULL at
:data:`BOXES_AT`; :func:`with_boxes` puts the active boxes in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, select

from app.ledger.models import BoxType, table_of
from app.sync.protocol import SCOPE_COLUMNS, Scope

BOXES_AT = SCOPE_COLUMNS[Scope.LOCATIONS].index("boxes")
BOX_FIELDS = ("code", "name", "length_mm", "width_mm", "height_mm", "tare_g", "max_weight_g")

box_types = table_of(BoxType)


def boxes_of(conn: Connection, location_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """The active boxes of each location in ``location_ids`` (an empty list for none)."""
    ids = sorted(set(location_ids))
    found: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    if not ids:
        return found
    c = box_types.c
    volume = c.length_mm * c.width_mm * c.height_mm
    stmt = (
        select(c.location_id, *(c[f] for f in BOX_FIELDS))
        .where(c.location_id.in_(ids), c.active.is_(True))
        .order_by(c.location_id, volume, c.code)
    )
    for row in conn.execute(stmt):
        found[int(row[0])].append(dict(zip(BOX_FIELDS, row[1:], strict=True)))
    return found


def with_boxes(conn: Connection, rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """Locations scope rows (id first) with their ``boxes`` put in."""
    found = boxes_of(conn, (int(r[0]) for r in rows))
    return [(*r[:BOXES_AT], found[int(r[0])], *r[BOXES_AT + 1 :]) for r in rows]
