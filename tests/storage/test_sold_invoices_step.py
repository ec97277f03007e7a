"""Step 30 of the station cache: the lines of orders kept before it have no invoice (a
credit note then names the order number, as before) and the cache snapshots again, so
the ledger's answer fills them in."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from app.storage import migrations, sold_orders


def test_lines_kept_before_step_30_have_no_invoice_until_a_fresh_snapshot(
    tmp_path: Path,
) -> None:
    conn = sqlite3.connect(tmp_path / "c.sqlite3", isolation_level=None)
    migrations.migrate(conn, target=29)
    conn.execute(
        "INSERT INTO sold_orders (order_number, channel, sold_on, location, source) "
        "VALUES ('W-9', 'web', '2026-11-02', 'BLR-01', 'here')"
    )
    conn.execute(
        "INSERT INTO sold_lines (order_number, line_no, sold_on, sku, gtin, name, quantity, "
        "unit_paid_minor) VALUES ('W-9', 1, '2026-11-02', 'MUG-1', '8901234000029', 'Mug', 1, "
        "39900)"
    )
    conn.execute("UPDATE sync_state SET snapshot_done = 1")

    assert migrations.migrate(conn) == migrations.HEAD

    (order,) = sold_orders.by_number(conn, ["W-9"])
    assert [(x.sku, x.invoice, x.invoiced_on) for x in order.lines] == [("MUG-1", "", None)]
    assert order.invoice_of([1]) is None
    assert order.sold_on == date(2026, 11, 2)
    assert conn.execute("SELECT snapshot_done FROM sync_state").fetchone() == (0,)
