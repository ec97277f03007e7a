"""Which carriers collect at each location, with the cut-off there (local time of the
location; empty: the carrier's own). A row adds or changes one pair; ``collects`` no
removes it, so routing no longer sends that location's parcels by that carrier. Pairs a
file leaves out are kept as they are.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select, update

from app.domain.master_rows import MasterKind, RowProblem
from app.domain.master_shipping import LocationCarrierRecord
from app.ledger.master_data.carriers import carrier_ids, no_carrier
from app.ledger.master_data.importing import Counts, Rows
from app.ledger.models import Location, LocationCarrier, table_of
from app.ledger.writes import WriteBatch

locations = table_of(Location)
location_carriers = table_of(LocationCarrier)


def location_ids(conn: Connection) -> dict[str, int]:
    """Location code -> id, for every location on the ledger."""
    return {code: int(i) for code, i in conn.execute(select(locations.c.code, locations.c.id))}


def no_location(code: str) -> tuple[str, str]:
    return f"There is no location {code}.", "Import the locations first, or fix the code."


class LocationCarrierWriter:
    """The location carriers kind of the import (see :class:`~.importing.KindWriter`)."""

    kind = MasterKind.LOCATION_CARRIERS

    def __init__(self) -> None:
        self._locations: dict[str, int] = {}
        self._carriers: dict[str, int] = {}
        self._have: dict[tuple[int, int], tuple[int, str | None]] = {}  # -> (id, cut-off)

    def check(self, conn: Connection, rows: Rows) -> list[RowProblem]:
        self._locations = location_ids(conn)
        self._carriers = carrier_ids(conn)
        c = location_carriers.c
        for row_id, loc, carrier, cutoff in conn.execute(
            select(c.id, c.location_id, c.carrier_id, c.cutoff)
        ):
            self._have[(int(loc), int(carrier))] = (int(row_id), cutoff)
        problems = []
        for line, rec in rows:
            if rec.location not in self._locations:
                problems.append(RowProblem(line, *no_location(rec.location)))
            elif rec.carrier not in self._carriers:
                problems.append(RowProblem(line, *no_carrier(rec.carrier)))
        return problems

    def write(self, conn: Connection, batch: WriteBatch, rows: Rows, actor: str) -> Counts:
        counts = Counts()
        for _, rec in rows:
            pair = (self._locations[rec.location], self._carriers[rec.carrier])
            have = self._have.get(pair)
            if have is None and rec.collects:
                conn.execute(insert(location_carriers).values(_values(pair, rec)))
                counts.added += 1
            elif have is not None and not rec.collects:
                conn.execute(delete(location_carriers).where(location_carriers.c.id == have[0]))
                counts.changed += 1
            elif have is not None and have[1] != (rec.cutoff or None):
                conn.execute(
                    update(location_carriers)
                    .where(location_carriers.c.id == have[0])
                    .values(cutoff=rec.cutoff or None)
                )
                counts.changed += 1
            else:
                counts.unchanged += 1
        return counts


def _values(pair: tuple[int, int], rec: LocationCarrierRecord) -> dict[str, object]:
    return {"location_id": pair[0], "carrier_id": pair[1], "cutoff": rec.cutoff or None}
