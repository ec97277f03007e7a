"""Each location's box catalogue. A file replaces the catalogue of every location it
names: its boxes are added or changed by code, and a box of that location the file
leaves out is retired (``active`` false: stations stop suggesting it; listed again, it
comes back). Locations the file does not name keep theirs.

Stations get boxes inside their location's row, so each location whose catalogue
changed gets a locations change row (:func:`~.locations.feed_locations`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, insert, select, update

from app.domain.master_rows import MasterKind, RowProblem
from app.domain.master_shipping import BoxRecord
from app.ledger.master_data.collecting import location_ids, no_location
from app.ledger.master_data.importing import Counts, Rows
from app.ledger.master_data.locations import feed_locations
from app.ledger.models import BoxType, table_of
from app.ledger.writes import WriteBatch

box_types = table_of(BoxType)
_COLUMNS = ("name", "length_mm", "width_mm", "height_mm", "tare_g", "max_weight_g", "active")


def _values(box: BoxRecord) -> dict[str, Any]:
    return {
        "name": box.name,
        "length_mm": box.length_mm,
        "width_mm": box.width_mm,
        "height_mm": box.height_mm,
        "tare_g": box.tare_g,
        "max_weight_g": box.max_weight_g,
        "active": True,
    }


class BoxWriter:
    """The boxes kind of the import (see module doc and :class:`~.importing.KindWriter`)."""

    kind = MasterKind.BOXES

    def __init__(self) -> None:
        self._locations: dict[str, int] = {}
        self.removed = 0  # boxes the last write retired

    def check(self, conn: Connection, rows: Rows) -> list[RowProblem]:
        self._locations = location_ids(conn)
        return [
            RowProblem(line, *no_location(rec.location))
            for line, rec in rows
            if rec.location not in self._locations
        ]

    def write(self, conn: Connection, batch: WriteBatch, rows: Rows, actor: str) -> Counts:
        counts = Counts()
        by_location: dict[str, list[BoxRecord]] = defaultdict(list)
        for _, rec in rows:
            by_location[rec.location].append(rec)
        changed: list[int] = []
        for code, boxes in by_location.items():
            location_id = self._locations[code]
            written = counts.added + counts.changed
            retired = self._replace(conn, location_id, boxes, counts)
            if retired:
                counts.notes.append(f"{code}: {retired} box(es) retired (not in the file)")
            if retired or counts.added + counts.changed != written:
                changed.append(location_id)
        feed_locations(conn, batch, sorted(changed))
        return counts

    def _replace(
        self, conn: Connection, location_id: int, boxes: list[BoxRecord], counts: Counts
    ) -> int:
        """Write the location's boxes, counting each; the number retired."""
        c = box_types.c
        have = {
            row.code: (int(row.id), dict(zip(_COLUMNS, row[2:], strict=True)))
            for row in conn.execute(
                select(c.id, c.code, *(c[n] for n in _COLUMNS)).where(c.location_id == location_id)
            )
        }
        for box in boxes:
            values = _values(box)
            found = have.pop(box.code, None)
            if found is None:
                conn.execute(
                    insert(box_types).values(location_id=location_id, code=box.code, **values)
                )
                counts.added += 1
            elif {**found[1], "active": bool(found[1]["active"])} != values:
                conn.execute(update(box_types).where(c.id == found[0]).values(values))
                counts.changed += 1
            else:
                counts.unchanged += 1
        retire = [row_id for row_id, values in have.values() if values["active"]]
        if retire:
            conn.execute(update(box_types).where(c.id.in_(retire)).values(active=False))
            self.removed += len(retire)
        return len(retire)
