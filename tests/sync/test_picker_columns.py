"""The fulfilment scope's picker_code and transit_days (ledger 0020) travel the tolerant
way the parcels did: a station reads them from change rows and snapshot pages, and a
ledger from before them (rows and pages without the columns) still fills the queue,
with nobody picking."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.services.station import Station, build_station
from app.storage.engine import raw_connection
from app.sync import mirror
from app.sync.protocol import SCOPE_COLUMNS, Scope
from tests.storage.seed import T0, seed
from tests.support.ship_rows import ship_row

NEW = ("picker_code", "transit_days")


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    """A bench's cache with no ledger behind it: only what the test stores syncs in."""
    built = build_station(tmp_path / "station", clock=lambda: T0)
    seed(built.db)
    yield built
    built.close()


def page(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    """A fulfilment snapshot page as the ledger sends it, with ``columns``."""
    return json.dumps(
        {
            "scope": "fulfilment",
            "columns": list(columns),
            "rows": [[row.get(c) for c in columns] for row in rows],
            "next_after": None,
            "as_of_seq": 1,
        }
    )


def snapshot(station: Station, text: str) -> None:
    with station.db.writing() as session:
        conn = raw_connection(session)
        indexes = mirror.clear_scope(conn, Scope.FULFILMENT)
        mirror.insert_snapshot_page(conn, mirror.read_page(conn, text))
        mirror.finish_snapshot(conn, Scope.FULFILMENT, indexes)


def test_the_picker_and_days_come_by_snapshot_and_by_change(station: Station) -> None:
    full = SCOPE_COLUMNS[Scope.FULFILMENT]
    snapshot(
        station, page([ship_row(1, "WEB-1", ship_by=T0, created_at=T0, picker_code="M300")], full)
    )
    shot = station.ship_queue.queue().orders[0].picker_name
    change = ship_row(1, "WEB-1", ship_by=T0, created_at=T0, picker_code="A100")
    with station.db.writing() as session:
        mirror.apply_changes(raw_connection(session), [(Scope.FULFILMENT, "1", change)])

    assert shot == "Mohan Das"
    assert station.ship_queue.queue().orders[0].picker_name == "Asha Rao"


def test_rows_of_a_ledger_from_before_the_columns_still_fill_the_queue(
    station: Station,
) -> None:
    older = tuple(c for c in SCOPE_COLUMNS[Scope.FULFILMENT] if c not in NEW)
    row = ship_row(1, "WEB-1", ship_by=T0, created_at=T0)
    snapshot(station, page([row], older))
    by_snapshot = station.ship_queue.queue().orders
    changed = ship_row(2, "WEB-2", ship_by=T0, created_at=T0)
    with station.db.writing() as session:
        mirror.apply_changes(raw_connection(session), [(Scope.FULFILMENT, "2", changed)])

    orders = station.ship_queue.queue().orders
    assert [o.order_number for o in by_snapshot] == ["WEB-1"]
    assert [(o.order_number, o.picker_code) for o in orders] == [("WEB-1", ""), ("WEB-2", "")]
