"""Step 18 of the station cache: a cache enrolled and synced before it takes a fresh
snapshot (for the locations' boxes) and has no station number from the ledger, so the
pack step keeps the built-in boxes and the number from its device id until then."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.services.shipping import pack_view
from app.storage import migrations, packing


def test_a_cache_from_before_step_18_snapshots_again_and_has_no_station_number(
    tmp_path: Path,
) -> None:
    conn = sqlite3.connect(tmp_path / "c.sqlite3", isolation_level=None)
    migrations.migrate(conn, target=17)
    conn.execute(
        "INSERT INTO device (id, ledger_url, device_id, location_code, location_name, "
        "station_name, station_kind, enrolled_at, next_device_seq) VALUES (1, 'https://l', "
        "'dev-0a', 'BLR-01', 'Indiranagar', 'Bench 1', 'bench', '2026-01-01T00:00:00+00:00', 1)"
    )
    conn.execute("INSERT INTO locations (id, code, name) VALUES (1, 'BLR-01', 'Indiranagar')")
    conn.execute("UPDATE sync_state SET snapshot_done = 1")
    migrations.migrate(conn)
    assert conn.execute("SELECT snapshot_done FROM sync_state").fetchone() == (0,)
    place = packing.location_row(conn)
    assert place is not None and place["station_number"] is None
    assert packing.location_boxes(conn) == []
    assert pack_view.location_boxes(conn) == pack_view.DEFAULT_BOXES
