"""The sync engine against a real ledger: push, pull, rebase, repair, offline, background."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select, text, update

from app.config import SyncSettings
from app.errors import Offline
from app.services.station import Station, build_station
from app.storage import migrations, outbox
from app.storage.engine import raw_connection
from app.storage.models import OutboxOp, PendingStock, SyncState
from app.sync import mirror
from app.sync.client import ReEnrolNeeded
from app.sync.engine import SyncEngine
from app.sync.protocol import Scope
from tests.support.counting import count_settled
from tests.support.ledger import RunningLedger, free_port
from tests.sync.stations import FAST, enrolled_station, ledger_on_hand, sku


def wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


def _local_rows(station: Station, table: str) -> int:
    with station.db.reading() as session:
        return int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_initial_sync_takes_every_scope_and_checksums_agree(
    station: Station, shared_ledger: RunningLedger
) -> None:
    assert _local_rows(station, "items") == shared_ledger.sql("SELECT count(*) FROM items")[0][0]
    assert _local_rows(station, "stock_base") == 50
    assert _local_rows(station, "staff") == 3
    assert _local_rows(station, "locations") == 3
    report = station.sync.sync_once()
    assert report.snapshots == []  # nothing to repair: every checksum matched
    status = station.status.status()
    assert status.online and status.last_error == ""
    assert status.cursor == report.cursor > 0
    assert status.location_code == "BLR-01"
    # snapshots drop and rebuild indexes: the schema is still exactly the migrated one
    fresh = sqlite3.connect(":memory:", isolation_level=None)
    migrations.migrate(fresh)
    schema = "SELECT type, name, sql FROM sqlite_master ORDER BY name"
    with station.db.reading() as session:
        synced = [tuple(r) for r in session.execute(text(schema))]
    assert synced == fresh.execute(schema).fetchall()
    fresh.close()


def test_a_count_reaches_the_ledger_and_the_pulled_base_replaces_the_pending_effect(
    station: Station, shared_ledger: RunningLedger
) -> None:
    before = ledger_on_hand(shared_ledger, sku(shared_ledger, 2))
    recorded = count_settled(station.stock, None, sku(shared_ledger, 2), before + 4)
    assert (
        station.stock.item_stock(recorded_item(station, sku(shared_ledger, 2)))
        .buckets[0]
        .pending_change
        == 4
    )
    report = station.sync.sync_once()
    assert (report.pushed, report.applied) == (1, 1)
    assert ledger_on_hand(shared_ledger, sku(shared_ledger, 2)) == before + 4
    assert shared_ledger.sql(
        "SELECT count(*) FROM ops_received WHERE op_id = :op", {"op": recorded.op_id}
    ) == [(1,)]
    sellable = station.stock.item_stock(recorded_item(station, sku(shared_ledger, 2))).buckets[0]
    assert (sellable.on_hand, sellable.pending_change) == (before + 4, 0)
    with station.db.reading() as session:
        op = session.get(OutboxOp, recorded.op_id)
        assert op is not None and op.status == "applied" and op.ledger_seq is not None
        assert session.scalar(select(func.count()).select_from(PendingStock)) == 0
    assert station.status.status().pending_ops == 0


def recorded_item(station: Station, sku: str) -> int:
    return station.stock.lookup(sku)[0].item_id


def test_a_count_synced_later_supersedes_another_stations_count(
    station: Station, shared_ledger: RunningLedger, tmp_path: Path
) -> None:
    other = enrolled_station(shared_ledger, tmp_path / "other", name="Counter 2")
    try:
        book = ledger_on_hand(shared_ledger, sku(shared_ledger, 3))
        mine = count_settled(station.stock, None, sku(shared_ledger, 3), book + 5)  # pending here
        count_settled(
            other.stock, None, sku(shared_ledger, 3), book - 2
        )  # someone else, synced first
        other.sync.sync_once()
        station.sync.sync_once()
        # rule 3: the other count is another look at the shelf, not a sale to keep; mine
        # reached the ledger later and supersedes it (sales survive: tests/ledger/test_counts)
        assert ledger_on_hand(shared_ledger, sku(shared_ledger, 3)) == book + 5
        shown = station.stock.item_stock(recorded_item(station, sku(shared_ledger, 3))).buckets[0]
        assert (shown.on_hand, shown.pending_change) == (book + 5, 0)
        assert mine.difference == 5
    finally:
        other.close()


def test_a_rejected_op_is_kept_as_an_exception_and_does_not_block_the_queue(
    station: Station, shared_ledger: RunningLedger
) -> None:
    with station.db.writing() as session:
        outbox.append(
            session,
            op_type="stock.count",
            payload={
                "location": "MUM-01",
                "sku": sku(shared_ledger, 4),
                "bucket": "sellable",
                "observed": 1,
            },
            actor="A100",
            base_ledger_seq=0,
            now=station.sync._clock(),
        )
    after = count_settled(station.stock, None, sku(shared_ledger, 5), 9)
    report = station.sync.sync_once()
    assert (report.applied, report.rejected) == (1, 1)
    (row,) = station.exceptions.open_exceptions()
    assert row.key.startswith("op:") and "MUM-01" in row.detail
    assert row.next_step
    assert ledger_on_hand(shared_ledger, sku(shared_ledger, 5)) == 9
    assert station.status.status().open_exceptions == 1
    assert after.device_seq == 2


def test_a_checksum_mismatch_retakes_the_scope(
    station: Station, shared_ledger: RunningLedger
) -> None:
    item = recorded_item(station, sku(shared_ledger, 6))
    true_on_hand = station.stock.item_stock(item).buckets[0].on_hand
    with station.db.writing() as session:
        session.execute(
            text("UPDATE stock_base SET on_hand = on_hand + 100 WHERE item_id = :i"), {"i": item}
        )
        session.execute(text("DELETE FROM staff WHERE code = 'L200'"))
    assert station.stock.item_stock(item).buckets[0].on_hand == true_on_hand + 100
    report = station.sync.sync_once()
    assert sorted(report.snapshots) == ["staff", "stock"]
    assert station.stock.item_stock(item).buckets[0].on_hand == true_on_hand
    assert ("L200", "Lakshmi Nair") in station.auth.staff_codes()
    assert station.sync.sync_once().snapshots == []


def test_pulled_catalog_changes_keep_name_search_right(
    station: Station, shared_ledger: RunningLedger
) -> None:
    (item,) = station.stock.lookup(sku(shared_ledger, 7))
    renamed = {
        "id": item.item_id, "sku": item.sku, "gtin": item.gtin, "name": "Zanzibar clove tin",
        "price_minor": 100, "currency": "INR", "category": "x", "weight_g": 1, "return_days": 0,
        "returnable": False,
    }  # fmt: skip
    with station.db.writing() as session:
        mirror.apply_changes(raw_connection(session), [(Scope.CATALOG, str(item.item_id), renamed)])
    assert [i.item_id for i in station.stock.lookup("zanzi")] == [item.item_id]
    assert item.item_id not in [i.item_id for i in station.stock.lookup(item.name)]
    with station.db.writing() as session:
        mirror.apply_changes(raw_connection(session), [(Scope.CATALOG, str(item.item_id), None)])
    assert station.stock.lookup("zanzi") == []


def test_offline_then_back(shared_ledger: RunningLedger, tmp_path: Path) -> None:
    station = enrolled_station(shared_ledger, tmp_path / "s")
    try:
        with station.db.writing() as session:
            session.execute(
                text("UPDATE device SET ledger_url = :u"), {"u": f"http://127.0.0.1:{free_port()}"}
            )
        recorded = count_settled(station.stock, None, sku(shared_ledger, 8), 3)
        with pytest.raises(Offline):
            station.sync.sync_once()
        status = station.status.status()
        assert not status.online and "cannot be reached" in status.last_error
        assert status.pending_ops == 1
        with station.db.writing() as session:
            session.execute(text("UPDATE device SET ledger_url = :u"), {"u": shared_ledger.url})
        station.sync.sync_once()
        status = station.status.status()
        assert status.online and status.pending_ops == 0 and status.last_error == ""
        assert shared_ledger.sql(
            "SELECT status FROM ops_received WHERE op_id = :op", {"op": recorded.op_id}
        ) == [("applied",)]
    finally:
        station.close()


def test_background_sync_sends_soon_after_a_count(
    station: Station, shared_ledger: RunningLedger
) -> None:
    station.sync.start()
    try:
        assert station.sync.running
        recorded = count_settled(station.stock, None, sku(shared_ledger, 9), 17)
        wait_for(lambda: station.status.status().pending_ops == 0)
        assert ledger_on_hand(shared_ledger, sku(shared_ledger, 9)) == 17
        assert shared_ledger.sql(
            "SELECT count(*) FROM ops_received WHERE op_id = :op", {"op": recorded.op_id}
        ) == [(1,)]
    finally:
        station.sync.stop()
    assert not station.sync.running


def test_a_revoked_station_is_told_to_re_enrol(
    shared_ledger: RunningLedger, tmp_path: Path
) -> None:
    from app.ledger.devices import revoke_device

    station = enrolled_station(shared_ledger, tmp_path / "s")
    try:
        with station.db.reading() as session:
            device_id = session.execute(text("SELECT device_id FROM device")).scalar_one()
        revoke_device(shared_ledger.engine, device_id)
        with pytest.raises(ReEnrolNeeded):
            station.sync.sync_once()
        status = station.status.status()
        assert not status.online and "enrol" in status.last_error.lower()
    finally:
        station.close()


def test_a_reused_op_stops_pushing_and_shows_in_status(
    station: Station, shared_ledger: RunningLedger
) -> None:
    first = count_settled(station.stock, None, sku(shared_ledger, 10), 4)
    station.sync.sync_once()
    with station.db.writing() as session:  # corrupt the outbox: same op, other content
        op = session.get(OutboxOp, first.op_id)
        assert op is not None
        op.payload = {**op.payload, "observed": 5}
        op.status = "pending"
    later = count_settled(station.stock, None, sku(shared_ledger, 10), 6)
    report = station.sync.sync_once()
    assert report.push_blocked and report.pushed == 0
    status = station.status.status()
    assert "IT" in status.last_error and status.pending_ops == 2
    assert station.sync.sync_once().pushed == 0  # stays stopped
    with station.db.reading() as session:
        op = session.get(OutboxOp, later.op_id)
        assert op is not None and op.status == "pending"


def test_backoff_is_full_jitter_and_capped(tmp_path: Path) -> None:
    settings = SyncSettings(backoff_base_s=0.5, backoff_cap_s=4.0)
    station = build_station(tmp_path / "s", sync_settings=settings)
    try:
        delays = [station.sync.backoff_delay(n) for n in range(1, 12) for _ in range(50)]
        assert all(0 <= d <= 4.0 for d in delays)
        assert max(station.sync.backoff_delay(1) for _ in range(200)) <= 1.0
        assert max(delays) > 2.0  # the cap is reached, not just the base
    finally:
        station.close()


def test_sync_engine_needs_an_enrolment(tmp_path: Path) -> None:
    from app.errors import NotEnrolled

    station = build_station(tmp_path / "s", sync_settings=FAST)
    try:
        with pytest.raises(NotEnrolled):
            station.sync.sync_once()
        assert isinstance(station.sync, SyncEngine)
    finally:
        station.close()


def test_cursor_only_moves_with_ledger_seq(station: Station, shared_ledger: RunningLedger) -> None:
    with station.db.reading() as session:
        before = session.execute(select(SyncState.cursor)).scalar_one()
    count_settled(station.stock, None, sku(shared_ledger, 11), 2)
    report = station.sync.sync_once()
    assert report.cursor > before
    with station.db.writing() as session:
        session.execute(update(SyncState).values(last_sync_at=None))
    assert station.status.status().cursor == report.cursor


def test_enrolment_refusals(shared_ledger: RunningLedger, tmp_path: Path) -> None:
    from app.errors import KnownError

    fresh = build_station(tmp_path / "fresh", sync_settings=FAST)
    try:
        code = shared_ledger.enrol_code("BLR-01")
        fresh.enrolment.enrol(shared_ledger.url, code, "Counter 5")
        again = build_station(tmp_path / "again", sync_settings=FAST)
        with pytest.raises(KnownError):  # a one-time code does not work twice
            again.enrolment.enrol(shared_ledger.url, code, "Counter 6")
        assert not again.enrolment.is_enrolled()
        again.close()
        count_settled(fresh.stock, None, sku(shared_ledger, 12), 5)
        status = fresh.enrolment.enrol(
            shared_ledger.url, shared_ledger.enrol_code("MUM-01"), "Moved", discard_pending=True
        )
        assert (status.location_code, status.pending_ops) == ("MUM-01", 0)
        assert fresh.stock.lookup(sku(shared_ledger, 12))[0].sellable_available == 20
    finally:
        fresh.close()


def test_the_default_push_batch_is_one_the_ledger_takes() -> None:
    from annotated_types import MaxLen

    from app.sync.protocol import PushRequest

    (limit,) = [
        m.max_length for m in PushRequest.model_fields["ops"].metadata if isinstance(m, MaxLen)
    ]
    assert 0 < SyncSettings().push_batch <= limit
