"""Stations enrolled with a real ledger, for sync, end-to-end and fault tests."""

from __future__ import annotations

from pathlib import Path

from app.config import SyncSettings
from app.services.station import Station, build_station
from app.sync.engine import ClientFactory, default_client
from tests.support.ledger import RunningLedger

FAST = SyncSettings(
    push_batch=200,
    pull_page=500,
    snapshot_page=40,
    interval_s=0.2,
    backoff_base_s=0.05,
    backoff_cap_s=0.5,
    connect_timeout_s=1.0,
    read_timeout_s=15.0,
)


def enrolled_station(
    ledger: RunningLedger,
    data_dir: Path,
    *,
    location: str = "BLR-01",
    name: str = "Counter 1",
    settings: SyncSettings = FAST,
    client_factory: ClientFactory = default_client,
) -> Station:
    """A station enrolled at ``location`` that has taken its first sync."""
    station = build_station(data_dir, sync_settings=settings, client_factory=client_factory)
    status = station.enrolment.enrol(ledger.url, ledger.enrol_code(location), name, "counter")
    assert status.enrolled and status.online, status
    return station


def ledger_on_hand(ledger: RunningLedger, sku: str, location: str = "BLR-01") -> int:
    rows = ledger.sql(
        "SELECT b.on_hand FROM stock_balances b JOIN items i ON i.id = b.item_id "
        "JOIN locations l ON l.id = b.location_id "
        "WHERE i.sku = :sku AND l.code = :loc AND b.bucket = 'sellable'",
        {"sku": sku, "loc": location},
    )
    return int(rows[0][0]) if rows else 0


def sku(ledger: RunningLedger, item_id: int) -> str:
    """The SKU of the ledger's item ``item_id`` (tiny items are 1..50)."""
    return str(ledger.sql("SELECT sku FROM items WHERE id = :i", {"i": item_id})[0][0])


def station_shows(station: Station, sku: str) -> tuple[int, int]:
    """(on hand, pending change) of ``sku``'s sellable bucket as the station shows it."""
    item = station.stock.lookup(sku)[0]
    bucket = station.stock.item_stock(item.item_id).buckets[0]
    return bucket.on_hand, bucket.pending_change
