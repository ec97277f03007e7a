"""Staff: added or changed by code, with their home store and the further stores they
work at, and PINs set or reset by a manager.

PINs and badges are hashed as the ledger always does (:mod:`app.ledger.credentials`);
a row without a PIN or badge keeps the one the person has (someone new has none until a
manager sets it). A station holds only the staff who may work there, so each change is
one STAFF change row per place the person works at now, and a delete for each place
they no longer do (:mod:`app.ledger.staff_places`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update

from app.domain.master_fields import check_pin
from app.domain.master_records import StaffRecord
from app.domain.master_rows import MasterKind, RowProblem
from app.errors import NotFound, RuleRefused
from app.ledger.credentials import hash_badge, hash_pin, pin_hasher
from app.ledger.master_data.importing import Counts, Rows
from app.ledger.models import Location, Staff, StaffStore, table_of
from app.ledger.scopes import row_data, scope_rows
from app.ledger.staff_places import staff_places
from app.ledger.writes import WriteBatch
from app.sync.protocol import Scope

staff_table = table_of(Staff)
assigned = table_of(StaffStore)
locations = table_of(Location)


class StaffWriter:
    """The staff kind of the import (see :class:`~.importing.KindWriter`)."""

    kind = MasterKind.STAFF

    def __init__(self) -> None:
        self._places: dict[str, int] = {}  # location code -> id
        self._have: dict[str, tuple[int, dict[str, Any]]] = {}  # code -> (id, values)

    def check(self, conn: Connection, rows: Rows) -> list[RowProblem]:
        """Stores that are not on the ledger."""
        self._places = dict(conn.execute(select(locations.c.code, locations.c.id)).all())
        cols = staff_table.c
        found = conn.execute(select(cols.id, cols.code, cols.name, cols.role, cols.active,
                                    cols.home_location_id))  # fmt: skip
        for staff_id, code, name, role, active, home in found:
            values = {"name": name, "role": role, "active": bool(active), "home": home}
            self._have[code] = (staff_id, values)
        problems = []
        for line, person in rows:
            unknown = [c for c in (person.store, *person.stores) if c and c not in self._places]
            if unknown:
                problems.append(
                    RowProblem(
                        line, f"There is no location {unknown[0]}.", "Import the locations first."
                    )
                )
            elif not person.store and not person.stores:
                problems.append(
                    RowProblem(
                        line,
                        f"{person.code} works nowhere: give a store or stores.",
                        "A station only holds the staff of its own store.",
                    )
                )
        return problems

    def write(self, conn: Connection, batch: WriteBatch, rows: Rows, actor: str) -> Counts:
        counts = Counts()
        hasher = pin_hasher()
        for _, person in rows:
            outcome = self._save(conn, batch, person, hasher)
            setattr(counts, outcome, getattr(counts, outcome) + 1)
            if person.pin:
                batch.audit(actor=actor, approver=None, action="staff.pin_set",
                            subject={"staff": person.code, "by": "import"})  # fmt: skip
        return counts

    def _save(self, conn: Connection, batch: WriteBatch, person: StaffRecord, hasher: Any) -> str:
        home = self._places.get(person.store)
        values: dict[str, Any] = {
            "name": person.name,
            "role": person.role,
            "active": person.active,
            "home_location_id": home,
        }
        if person.pin:
            values["pin_hash"] = hash_pin(person.pin, hasher)
        if person.badge:
            values["badge_hash"] = hash_badge(person.badge)
        stores = [self._places[s] for s in person.stores]
        have = self._have.get(person.code)
        if have is None:
            staff_id = conn.execute(
                insert(staff_table)
                .values({"code": person.code, "pin_hash": "", "badge_hash": "", **values})
                .returning(staff_table.c.id)
            ).scalar_one()
            _set_stores(conn, staff_id, stores)
            feed_staff(conn, batch, staff_id, before=[])
            return "added"
        staff_id, old = have
        before = staff_places(conn, [staff_id])[staff_id]
        same = {**old, "home_location_id": old["home"]}
        del same["home"]
        kept = before[1:] if old["home"] is not None else before
        unchanged = (
            not person.pin
            and not person.badge
            and same == values
            and sorted(kept) == sorted(stores)
        )
        if unchanged:
            return "unchanged"
        conn.execute(update(staff_table).where(staff_table.c.id == staff_id).values(values))
        _set_stores(conn, staff_id, stores)
        feed_staff(conn, batch, staff_id, before=before)
        return "changed"


def _set_stores(conn: Connection, staff_id: int, location_ids: list[int]) -> None:
    """The further stores of ``staff_id`` become exactly ``location_ids``."""
    conn.execute(delete(assigned).where(assigned.c.staff_id == staff_id))
    if location_ids:
        rows = [{"staff_id": staff_id, "location_id": loc} for loc in dict.fromkeys(location_ids)]
        conn.execute(insert(assigned), rows)


def feed_staff(conn: Connection, batch: WriteBatch, staff_id: int, *, before: list[int]) -> None:
    """The person's row to each place they work at now; a delete to each they left."""
    now = staff_places(conn, [staff_id])[staff_id]
    row = conn.execute(scope_rows(Scope.STAFF, None).where(staff_table.c.id == staff_id)).one()
    data = row_data(row, Scope.STAFF)
    for location_id in before:
        if location_id not in now:
            batch.change(Scope.STAFF, location_id, staff_id, None)
    for location_id in now:
        batch.change(Scope.STAFF, location_id, staff_id, data)


def set_pin(engine: Engine, staff_code: str, pin: str, *, by: str) -> None:
    """A manager sets or resets ``staff_code``'s PIN; stations get it with their next pull.

    The manager must be active and work at a store the person works at. The PIN itself
    is never logged; the audit log records who set whose PIN.
    """
    check_pin(pin)
    code, by = staff_code.strip().upper(), by.strip().upper()
    with engine.begin() as conn:
        people = dict(
            (row.code, row)
            for row in conn.execute(
                select(staff_table.c.id, staff_table.c.code, staff_table.c.role,
                       staff_table.c.active).where(staff_table.c.code.in_([code, by]))
            )
        )  # fmt: skip
        person, manager = people.get(code), people.get(by)
        if person is None:
            raise NotFound(f"There is no staff member {code}.", next_step="Check the code.")
        if manager is None or manager.role != "manager" or not manager.active:
            raise RuleRefused(
                f"{by} is not an active manager; only a manager sets a PIN.",
                next_step="Ask the store's manager to set it.",
            )
        places = staff_places(conn, [person.id, manager.id])
        if not set(places[person.id]) & set(places[manager.id]) and person.id != manager.id:
            raise RuleRefused(
                f"{by} does not work at any store {code} works at.",
                next_step=f"Ask a manager of {code}'s store to set the PIN.",
            )
        batch = WriteBatch(conn)
        new_hash = hash_pin(pin)
        conn.execute(
            update(staff_table).where(staff_table.c.id == person.id).values(pin_hash=new_hash)
        )
        feed_staff(conn, batch, person.id, before=places[person.id])
        batch.audit(actor=by, approver=None, action="staff.pin_set", subject={"staff": code})
        batch.flush()
