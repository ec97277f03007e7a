"""A price change imported on the ledger reaches a real station, which queues the item's
shelf label to reprint; printing the list prints each label at the new price and empties
it. A price put back to what the shelf shows takes the item off the list."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.labels import LabelKind
from app.services.printing import PrintService, station_printing
from app.services.station import Station
from app.storage.engine import raw_connection
from tests.labels.support import decode, zpl_pages
from tests.ledger.master_support import ITEM_HEADER, run_import, write_csv
from tests.support.ledger import RunningLedger
from tests.sync.stations import enrolled_station


def _catalog_csv(ledger: RunningLedger, path: Path, prices: dict[str, str]) -> Path:
    """The first three tiny items as an items file, with ``prices`` (SKU -> rupees)."""
    rows = ledger.sql("SELECT sku, gtin, name, price_minor FROM items ORDER BY id LIMIT 3")
    lines = []
    for sku, gtin, name, price_minor in rows:
        price = prices.get(sku, f"{price_minor / 100:.2f}")
        fields = [sku, gtin, f'"{name}"', price, "Grocery", "1006", "5", "1000", "0", "0", "0",
                  "grocery", "0", "yes"]  # fmt: skip
        lines.append(",".join(fields))
    return write_csv(path, ITEM_HEADER, lines)


def _shelf_printer(station: Station, target: Path) -> PrintService:
    profile = {"name": "shelf", "base": "shelf-50x30-203", "target": str(target)}
    setup = {"profiles": [profile], "by_kind": {"shelf": "shelf"}}
    (station.data_dir / "printers.json").write_text(json.dumps(setup), encoding="utf-8")
    return station_printing(station.data_dir, station.db)


@pytest.fixture
def station(ledger: RunningLedger, tmp_path: Path) -> Iterator[Station]:
    built = enrolled_station(ledger, tmp_path / "station")
    yield built
    built.close()


def test_an_imported_price_change_queues_the_shelf_label_at_the_station(
    ledger: RunningLedger, station: Station, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    skus = [str(r[0]) for r in ledger.sql("SELECT sku FROM items ORDER BY id LIMIT 3")]
    out = tmp_path / "labels"
    printing = _shelf_printer(station, out)
    first = _catalog_csv(ledger, tmp_path / "items.csv", {})
    assert run_import(ledger, capsys, "items", first)[0] == 0  # tax fields, same prices
    station.sync.sync_once()
    assert printing.shelf_reprints_count() == 0  # no price changed

    changed = _catalog_csv(ledger, tmp_path / "items.csv", {skus[0]: "123.45", skus[2]: "9.00"})
    assert "2 price change(s)" in run_import(ledger, capsys, "items", changed)[1]
    station.sync.sync_once()

    listed = printing.shelf_reprints()
    assert sorted(c.sku for c in listed.changes) == sorted([skus[0], skus[2]])
    first_change = next(c for c in listed.changes if c.sku == skus[0])
    assert first_change.now.minor == 12345 and first_change.was.minor != 12345

    back = next(c for c in listed.changes if c.sku == skus[2]).was
    _catalog_csv(
        ledger, tmp_path / "items.csv", {skus[0]: "123.45", skus[2]: f"{back.minor / 100:.2f}"}
    )
    run_import(ledger, capsys, "items", tmp_path / "items.csv")
    station.sync.sync_once()
    assert [c.sku for c in printing.shelf_reprints().changes] == [skus[0]]  # put back

    lead = station.auth.login_pin("L200", "2222")
    done = printing.print_shelf_reprints(lead)

    assert done.skus == (skus[0],) and done.left == 0
    assert printing.shelf_reprints_count() == 0
    (job,) = sorted(out.iterdir())
    profile = printing.profile_for(LabelKind.SHELF)
    decoded = [text for page in zpl_pages(job.read_bytes(), profile) for _, text, _ in decode(page)]
    gtin = ledger.sql("SELECT gtin FROM items WHERE sku = :s", {"s": skus[0]})[0][0]
    assert any(gtin in text for text in decoded)
    assert "123.45" in job.read_text(errors="replace")


def test_the_stations_cache_holds_the_master_data_columns(
    ledger: RunningLedger, station: Station
) -> None:
    with station.db.reading() as session:
        conn = raw_connection(session)
        item = conn.execute(
            "SELECT hsn_code, gst_rate_bp, return_category, length_mm FROM items ORDER BY id"
        ).fetchone()
        place = conn.execute(
            "SELECT pincode, gstin, carriers, daily_capacity FROM locations WHERE code = 'BLR-01'"
        ).fetchone()
    assert item == ("2106", 500, "grocery", 200)  # the seed's tax data for groceries
    assert place[:2] == ("560034", "29AABCK1234K1ZK")
    assert json.loads(place[2]) == ["LOCAL", "SWIFT", "INDPOST"] and place[3] > 0


def test_a_price_change_learnt_from_a_snapshot_is_queued_too(
    ledger: RunningLedger, station: Station, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sku = str(ledger.sql("SELECT sku FROM items ORDER BY id LIMIT 1")[0][0])
    printing = _shelf_printer(station, tmp_path / "labels")
    path = _catalog_csv(ledger, tmp_path / "items.csv", {sku: "77.00"})
    assert "1 price change(s)" in run_import(ledger, capsys, "items", path)[1]
    with station.db.writing() as session:  # as after a cache upgrade or a checksum mismatch
        raw_connection(session).execute("UPDATE sync_state SET snapshot_done = 0")

    station.sync.sync_once()

    (change,) = printing.shelf_reprints().changes
    assert change.sku == sku and change.now.minor == 7700 and change.was.minor != 7700
