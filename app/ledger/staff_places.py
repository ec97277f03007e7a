"""Where each staff member may work: their home store and the stores assigned to them.

A station receives only these staff (``scopes.scope_rows``), so whatever writes a staff
row records one STAFF change per place from :func:`staff_places`, never one for "every
store".
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, insert, select

from app.ledger.models import Staff, StaffStore, table_of

_staff = table_of(Staff)
_assigned = table_of(StaffStore)


def staff_places(conn: Connection, staff_ids: Iterable[int]) -> dict[int, list[int]]:
    """Location ids each of ``staff_ids`` may work at (home first), by staff id."""
    ids = list(staff_ids)
    places: dict[int, list[int]] = {i: [] for i in ids}
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        homes = conn.execute(
            select(_staff.c.id, _staff.c.home_location_id).where(_staff.c.id.in_(chunk))
        )
        for staff_id, home in homes:
            if home is not None:
                places[staff_id].append(home)
        rows = conn.execute(
            select(_assigned.c.staff_id, _assigned.c.location_id)
            .where(_assigned.c.staff_id.in_(chunk))
            .order_by(_assigned.c.staff_id, _assigned.c.location_id)
        )
        for staff_id, location_id in rows:
            if location_id not in places[staff_id]:
                places[staff_id].append(location_id)
    return places


def assign_stores(conn: Connection, staff_id: int, location_ids: Iterable[int]) -> None:
    """Let ``staff_id`` work at ``location_ids`` too (those already assigned are kept)."""
    have = set(
        conn.execute(
            select(_assigned.c.location_id).where(_assigned.c.staff_id == staff_id)
        ).scalars()
    )
    rows = [{"staff_id": staff_id, "location_id": loc} for loc in location_ids if loc not in have]
    if rows:
        conn.execute(insert(_assigned), rows)
