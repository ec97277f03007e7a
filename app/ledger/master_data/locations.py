"""Locations: added or changed by code, with a locations change row for each one that
changed. A new store gets the hold-shelf bins H-01 … H-24, as a seeded one does."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from app.domain.master_records import LocationRecord
from app.domain.master_rows import MasterKind, RowProblem
from app.ledger.location_boxes import with_boxes
from app.ledger.master_data.importing import Counts, Rows
from app.ledger.models import DEFAULT_REMINDER_DAYS, Location, table_of
from app.ledger.scopes import id_column, row_data, scope_rows
from app.ledger.seed_data import hold_bins
from app.ledger.writes import WriteBatch
from app.sync.protocol import Scope

locations = table_of(Location)
_COLUMNS = (
    "name", "kind", "city", "address", "pincode", "latitude", "longitude", "gstin",
    "capabilities", "daily_capacity", "carriers", "pickup_hold_days",
    "eway_bill_threshold_minor",
)  # fmt: skip


def _values(loc: LocationRecord) -> dict[str, Any]:
    return {
        "name": loc.name,
        "kind": loc.kind,
        "city": loc.city,
        "address": loc.address,
        "pincode": loc.pincode,
        "latitude": loc.latitude,
        "longitude": loc.longitude,
        "gstin": loc.gstin,
        "capabilities": list(loc.capabilities),
        "daily_capacity": loc.daily_capacity,
        "carriers": list(loc.carriers),
        "pickup_hold_days": loc.pickup_hold_days,
        "eway_bill_threshold_minor": loc.eway_bill_threshold_minor,
    }


class LocationWriter:
    """The locations kind of the import (see :class:`~.importing.KindWriter`)."""

    kind = MasterKind.LOCATIONS

    def __init__(self) -> None:
        self._have: dict[str, tuple[int, dict[str, Any]]] = {}  # code -> (id, values)

    def check(self, conn: Connection, rows: Rows) -> list[RowProblem]:
        """A store's kind is kept: its bins, stock and orders were made for it."""
        cols = [locations.c[c] for c in _COLUMNS]
        for row in conn.execute(select(locations.c.id, locations.c.code, *cols)):
            values = dict(zip(_COLUMNS, row[2:], strict=True))
            values["capabilities"] = list(values["capabilities"] or [])
            values["carriers"] = list(values["carriers"] or [])
            self._have[row.code] = (row.id, values)
        problems = []
        for line, loc in rows:
            have = self._have.get(loc.code)
            if have is not None and have[1]["kind"] != loc.kind:
                problems.append(
                    RowProblem(
                        line,
                        f"{loc.code} is a {have[1]['kind']} on the ledger, not a {loc.kind}.",
                        "Keep its kind, or give the new place a new code.",
                    )
                )
        return problems

    def write(self, conn: Connection, batch: WriteBatch, rows: Rows, actor: str) -> Counts:
        counts = Counts()
        changed_ids: list[int] = []
        for _, loc in rows:
            values = _values(loc)
            have = self._have.get(loc.code)
            if have is None:
                new_id = conn.execute(
                    insert(locations)
                    .values(
                        code=loc.code,
                        timezone="Asia/Kolkata",
                        carrier_cutoff="16:00",
                        bins=hold_bins(loc.kind),
                        pickup_reminder_days=list(DEFAULT_REMINDER_DAYS)
                        if loc.kind == "store"
                        else [],
                        **values,
                    )
                    .returning(locations.c.id)
                ).scalar_one()
                changed_ids.append(int(new_id))
                counts.added += 1
            elif have[1] != values:
                conn.execute(update(locations).where(locations.c.id == have[0]).values(values))
                changed_ids.append(have[0])
                counts.changed += 1
            else:
                counts.unchanged += 1
        feed_locations(conn, batch, changed_ids)
        return counts


def feed_locations(conn: Connection, batch: WriteBatch, ids: list[int]) -> None:
    """A locations change row for each location, as a snapshot would show it."""
    if not ids:
        return
    key = id_column(Scope.LOCATIONS)
    stmt = scope_rows(Scope.LOCATIONS, None).where(key.in_(ids)).order_by(key)
    for row in with_boxes(conn, conn.execute(stmt).all()):
        batch.change(Scope.LOCATIONS, None, row[0], row_data(row, Scope.LOCATIONS))
