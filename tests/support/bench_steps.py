"""A real bench station at work on a real ledger, for the end-to-end tests: enrolled at
a location, batch-picking orders into totes by scans, packing each tote into one parcel
weighed at what it should weigh, and what it recorded in its outbox."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.services.results import StaffSession
from app.services.shipping.batch_results import BatchView
from app.services.shipping.pack_results import ParcelClosed
from app.services.station import Station, build_station
from app.storage.engine import raw_connection
from tests.support.ledger import RunningLedger
from tests.sync.stations import FAST


def bench_station(ledger: RunningLedger, data_dir: Path, location: str) -> Station:
    """A bench station enrolled at ``location`` that has taken its first sync."""
    station = build_station(data_dir, sync_settings=FAST)
    code = ledger.enrol_code(location, "bench")
    status = station.enrolment.enrol(ledger.url, code, f"Bench {location}", "bench")
    assert status.enrolled and status.online, status
    return station


def walk(station: Station, staff: StaffSession, fids: list[int]) -> BatchView:
    """Batch-pick ``fids`` into totes by scans: the bin, each unit, the tote."""
    view = station.batch_pick.start(staff, marked=fids, count=len(fids))
    assert sorted(t.fulfilment_id for t in view.totes) == sorted(fids)
    while not view.done:
        stop = view.current
        assert stop is not None
        if not stop.bin_verified:
            view = station.batch_pick.scan(staff, stop.bin_code)
        for _ in range(stop.quantity - stop.counted):
            view = station.batch_pick.scan(staff, stop.sku)
        view = station.batch_pick.scan(staff, f"{view.batch_id}-{stop.tote}")
        assert not view.refused, view.said
    return view


def pack(station: Station, staff: StaffSession, tote_code: str) -> list[str]:
    """Open the order by its tote, scan every unit into one parcel, weigh it at what it
    should weigh and close it; the SSCCs of its parcels."""
    closed = pack_parcel(station, staff, tote_code)
    done = station.pack.order(closed.view.fulfilment_id)
    return [p.sscc for p in done.parcels]


def pack_parcel(station: Station, staff: StaffSession, tote_code: str) -> ParcelClosed:
    """``pack``: the parcel closed, with what the bench was told."""
    view = station.pack.open_order(tote_code)
    for line in view.lines:
        for _ in range(line.to_pack):
            station.pack.scan_item(view.fulfilment_id, line.sku)
    expected = station.pack.order(view.fulfilment_id).expected_g
    closed = station.pack.close_parcel(view.fulfilment_id, f"{expected} g", staff)
    done = station.pack.order(view.fulfilment_id)
    assert done.all_packed and done.state == "packed", done
    return closed


def outbox(station: Station) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(op_id, type, status, payload) of every operation the station recorded."""
    with station.db.reading() as session:
        rows = raw_connection(session).execute(
            "SELECT op_id, type, status, payload FROM outbox ORDER BY device_seq"
        )
        return [(str(i), str(t), str(s), json.loads(p)) for i, t, s, p in rows]
