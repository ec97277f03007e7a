"""Carriers and the pincodes they deliver to, as ship routing reads them.

A carrier is added or changed by code; one left out of a file is kept as it is
(``active`` no stops routing to it; carriers are never deleted, parcels name them).
Stations hold no carriers, so these writes feed no change rows: routing reads them
afresh for every order.

A pincodes file replaces the list of each carrier it names, as a carrier's
serviceability export is meant: a prefix of that carrier not in the file is removed;
carriers the file does not name keep theirs.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from app.domain.master_rows import MasterKind, RowProblem
from app.domain.master_shipping import CarrierRecord
from app.ledger.master_data.importing import Counts, Rows
from app.ledger.models import Carrier, CarrierPincode, table_of
from app.ledger.writes import WriteBatch

carriers = table_of(Carrier)
carrier_pincodes = table_of(CarrierPincode)
CHUNK = 500
_COLUMNS = (
    "name", "service", "kind", "cutoff", "rate_local", "rate_regional", "rate_national",
    "days_local", "days_regional", "days_national", "active", "booking_url",
)  # fmt: skip


def carrier_values(rec: CarrierRecord) -> dict[str, Any]:
    """A carrier's columns (all but its code) as the import and the demo seed write them."""
    local, regional, national = rec.rates
    days_local, days_regional, days_national = rec.days
    return {
        "name": rec.name,
        "service": rec.service,
        "kind": rec.kind,
        "cutoff": rec.cutoff,
        "rate_local": local,
        "rate_regional": regional,
        "rate_national": national,
        "days_local": days_local,
        "days_regional": days_regional,
        "days_national": days_national,
        "active": rec.active,
        "booking_url": rec.booking_url,
    }


def carrier_ids(conn: Connection) -> dict[str, int]:
    """Carrier code -> id, for every carrier on the ledger."""
    return {code: int(i) for code, i in conn.execute(select(carriers.c.code, carriers.c.id))}


def no_carrier(code: str) -> tuple[str, str]:
    return f"There is no carrier {code}.", "Import the carriers first, or fix the code."


class CarrierWriter:
    """The carriers kind of the import (see :class:`~.importing.KindWriter`)."""

    kind = MasterKind.CARRIERS

    def __init__(self) -> None:
        self._have: dict[str, tuple[int, dict[str, Any]]] = {}

    def check(self, conn: Connection, rows: Rows) -> list[RowProblem]:
        cols = [carriers.c[c] for c in _COLUMNS]
        for row in conn.execute(select(carriers.c.id, carriers.c.code, *cols)):
            values = dict(zip(_COLUMNS, row[2:], strict=True))
            values["active"] = bool(values["active"])
            self._have[row.code] = (int(row.id), values)
        return []

    def write(self, conn: Connection, batch: WriteBatch, rows: Rows, actor: str) -> Counts:
        counts = Counts()
        for _, rec in rows:
            values = carrier_values(rec)
            have = self._have.get(rec.code)
            if not rec.booking_url:  # a file without the address keeps the one set
                values["booking_url"] = have[1]["booking_url"] if have else ""
            if have is None:
                conn.execute(insert(carriers).values(code=rec.code, **values))
                counts.added += 1
            elif have[1] != values:
                conn.execute(update(carriers).where(carriers.c.id == have[0]).values(values))
                counts.changed += 1
            else:
                counts.unchanged += 1
        return counts


class CarrierPincodeWriter:
    """The carrier pincodes kind: each named carrier's list replaced (see module doc)."""

    kind = MasterKind.CARRIER_PINCODES

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self.removed = 0  # prefixes the last write took away

    def check(self, conn: Connection, rows: Rows) -> list[RowProblem]:
        self._ids = carrier_ids(conn)
        return [
            RowProblem(line, *no_carrier(rec.carrier))
            for line, rec in rows
            if rec.carrier not in self._ids
        ]

    def write(self, conn: Connection, batch: WriteBatch, rows: Rows, actor: str) -> Counts:
        counts = Counts()
        wanted: dict[str, set[str]] = defaultdict(set)
        for _, rec in rows:
            wanted[rec.carrier].add(rec.prefix)
        for code, prefixes in wanted.items():
            carrier_id = self._ids[code]
            c = carrier_pincodes.c
            have = set(conn.execute(select(c.prefix).where(c.carrier_id == carrier_id)).scalars())
            new = sorted(prefixes - have)
            gone = sorted(have - prefixes)
            if new:
                conn.execute(
                    insert(carrier_pincodes), [{"carrier_id": carrier_id, "prefix": p} for p in new]
                )
            for start in range(0, len(gone), CHUNK):
                chunk = gone[start : start + CHUNK]
                conn.execute(
                    delete(carrier_pincodes).where(c.carrier_id == carrier_id, c.prefix.in_(chunk))
                )
            if gone:
                counts.notes.append(f"{code}: {len(gone)} pincode(s) removed (not in the file)")
            counts.added += len(new)
            counts.unchanged += len(prefixes) - len(new)
            self.removed += len(gone)
        return counts
