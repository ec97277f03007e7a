"""Booking at the bench (real ledger on loopback, real carrier simulator, real station):
a parcel packed for SWIFT waits for its booking, which the sync worker asks after pushing
the pack; its shipping label then prints with the carrier's tracking barcode (decoded).
Packed offline, it prints on reconnect; the carrier down, slow or refusing: nothing is
lost, nothing is booked twice, and the bench is told what to do."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.carrier_sim.faults import Fault
from app.domain.labels import LabelKind
from app.errors import BadInput, KnownError
from app.services.results import StaffSession
from app.services.station import Station, build_station
from app.storage import parcel_bookings
from app.storage.engine import raw_connection
from tests.labels.support import decode, pdf_pages, zpl_pages
from tests.ledger.ship_support import demo_ledger, ship_order
from tests.support.carrier_sim import CODE, RunningSim, serve_carrier_sim
from tests.support.ledger import RunningLedger
from tests.sync.stations import FAST


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningSim]:
    with serve_carrier_sim() as running:
        yield running


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory, sim: RunningSim) -> Iterator[RunningLedger]:
    for running in demo_ledger(
        "sqlite", tmp_path_factory.mktemp("ledger"), ("--carrier-timeout", "1")
    ):
        running.sql(
            "UPDATE carriers SET booking_url = :u WHERE code = :c", {"u": sim.url, "c": CODE}
        )
        yield running


@pytest.fixture
def bench(ledger: RunningLedger, tmp_path: Path, sim: RunningSim) -> Iterator[Station]:
    sim.clear()
    station = build_station(tmp_path / "bench", sync_settings=FAST)
    status = station.enrolment.enrol(ledger.url, ledger.enrol_code("BLR-01", "bench"), "B", "bench")
    assert status.enrolled and status.online, status
    yield station
    station.close()


def packed(ledger: RunningLedger, station: Station, number: str, *, offline: bool = False) -> str:
    """A SWIFT order of BLR-01 picked and packed at the bench in one parcel: its SSCC.
    ``offline``: packed while the ledger is down (it is started again after)."""
    sku = in_stock(ledger)
    ledger.place_order(ship_order(number, [(sku, 1)]))
    ledger.sql("UPDATE fulfilment_orders SET carrier = :c WHERE order_number = :n",
               {"c": CODE, "n": number})  # fmt: skip
    station.sync.sync_once()
    staff = station.auth.session_for("A100")
    fid = pick(station, staff, number)
    station.sync.sync_once()
    if offline:
        ledger.stop()
        with pytest.raises(KnownError):  # the bench learns it is offline
            station.sync.sync_once()
    try:
        for line in station.pack.open_order(number).lines:
            station.pack.scan_item(fid, line.sku)
        closed = station.pack.close_parcel(fid, f"{station.pack.order(fid).expected_g} g", staff)
    finally:
        if offline:
            ledger.start()
    assert closed.carrier == CODE
    said = (
        "waits for the network: it prints when the ledger is back"
        if offline
        else f"prints as soon as {CODE} has booked the parcel"
    )
    assert closed.printed == f"{CODE} label {said}."
    return closed.sscc


def in_stock(ledger: RunningLedger) -> str:
    """An item BLR-01 holds a free unit of (the demo's stock)."""
    rows = ledger.sql(
        "SELECT i.sku FROM stock_balances b JOIN items i ON i.id = b.item_id "
        "JOIN locations l ON l.id = b.location_id WHERE l.code = 'BLR-01' "
        "AND b.bucket = 'sellable' AND b.on_hand - b.reserved >= 2 ORDER BY i.id LIMIT 1"
    )
    return str(rows[0][0])


def pick(station: Station, staff: StaffSession, number: str) -> int:
    (fid,) = [
        o.fulfilment_id for o in station.ship_queue.queue().orders if o.order_number == number
    ]
    view = station.batch_pick.start(staff, marked=[fid], count=1)
    while not view.done:
        stop = view.current
        assert stop is not None
        if not stop.bin_verified:
            view = station.batch_pick.scan(staff, stop.bin_code)
        for _ in range(stop.quantity - stop.counted):
            view = station.batch_pick.scan(staff, stop.sku)
        view = station.batch_pick.scan(staff, f"{view.batch_id}-{stop.tote}")
    station.batch_pick.finish(staff)
    return fid


def shipping_labels(station: Station) -> list[set[str]]:
    """What the real decoder reads off each spooled shipping label."""
    assert station.printing is not None
    profile = station.printing.profile_for(LabelKind.SHIPPING)
    found = []
    spool = station.data_dir / "printed"
    for spooled in sorted(spool.iterdir() if spool.exists() else ()):
        body = spooled.read_bytes()
        pages = pdf_pages(body, profile.dpi) if spooled.suffix == ".pdf" else []
        if spooled.suffix == ".zpl":
            pages = zpl_pages(body, profile)
        found += [{text for _, text, _ in decode(page)} for page in pages]
    return [texts for texts in found if texts]


def spooled_texts(station: Station) -> set[str]:
    """The text fields of the spooled ZPL labels (``^FD…^FS``)."""
    spool = station.data_dir / "printed"
    zpl = " ".join(p.read_bytes().decode("utf-8", "replace") for p in spool.glob("*.zpl"))
    return set(re.findall(r"\^FD(.*?)\^FS", zpl))


def booked_at_sim(sim: RunningSim, sscc: str) -> list[str]:
    return [s.tracking for s in sim.carrier.shipments() if s.key == sscc]


def state(station: Station, sscc: str) -> tuple[str, str] | None:
    with station.db.reading() as session:
        return parcel_bookings.state_of(raw_connection(session), sscc)


def test_a_parcel_packed_online_books_once_and_its_label_carries_the_carriers_barcode(
    ledger: RunningLedger, bench: Station, sim: RunningSim
) -> None:
    sscc = packed(ledger, bench, "WEB-K01")

    bench.sync.sync_once()
    bench.sync.sync_once()

    (tracking,) = booked_at_sim(sim, sscc)
    labels = [texts for texts in shipping_labels(bench) if any(sscc in t for t in texts)]
    assert len(labels) == 1 and tracking in labels[0]
    assert state(bench, sscc) == ("booked", "")
    booked = sim.carrier.get(tracking)  # its routing and sort codes print as text of their own
    assert {booked.routing_code, booked.sort_code} <= spooled_texts(bench)


def test_a_parcel_packed_offline_prints_its_label_on_reconnect(
    ledger: RunningLedger, bench: Station, sim: RunningSim
) -> None:
    sscc = packed(ledger, bench, "WEB-K02", offline=True)
    before = shipping_labels(bench)

    bench.sync.sync_once()
    bench.sync.sync_once()

    (tracking,) = booked_at_sim(sim, sscc)
    assert not any(tracking in texts for texts in before)
    assert [t for t in shipping_labels(bench) if tracking in t] != []


def test_a_carrier_down_keeps_the_label_waiting_then_it_prints_booked_once(
    ledger: RunningLedger, bench: Station, sim: RunningSim
) -> None:
    sim.set_mode(Fault.DOWN)
    sscc = packed(ledger, bench, "WEB-K03")
    bench.sync.sync_once()
    waiting = state(bench, sscc)
    with pytest.raises(BadInput, match="waits"):
        bench.pack.reprint(sscc, bench.auth.session_for("A100"))

    sim.set_mode(Fault.SLOW, delay_ms=2500)
    bench.sync.sync_once()
    sim.clear()
    bench.sync.sync_once()
    bench.sync.sync_once()

    assert waiting is not None and waiting[0] == "waiting" and "cannot be reached" in waiting[1]
    (tracking,) = booked_at_sim(sim, sscc)
    assert len([t for t in shipping_labels(bench) if tracking in t]) == 1


def test_a_refused_parcel_is_told_with_what_to_do_and_no_label_prints(
    ledger: RunningLedger, bench: Station, sim: RunningSim
) -> None:
    sim.set_mode(Fault.REFUSE, reason="bookings are paused at your pickup point today.")
    sscc = packed(ledger, bench, "WEB-K04")

    bench.sync.sync_once()
    sim.clear()
    bench.sync.sync_once()

    refused = state(bench, sscc)
    assert refused is not None and refused[0] == "refused"
    assert "paused" in refused[1] and "repack it with LOCAL" in refused[1]
    assert booked_at_sim(sim, sscc) == []
    with pytest.raises(BadInput, match="paused"):
        bench.pack.reprint(sscc, bench.auth.session_for("A100"))


def void(station: Station, sscc: str) -> None:
    staff = station.auth.session_for("A100")
    with station.db.reading() as session:
        (fid,) = (
            raw_connection(session)
            .execute("SELECT fulfilment_id FROM parcel_bookings WHERE sscc = ?", (sscc,))
            .fetchone()
        )
    station.pack.void_label(int(fid), sscc, "Misprinted label", staff)


def test_voiding_a_booked_parcel_cancels_it_at_the_carrier(
    ledger: RunningLedger, bench: Station, sim: RunningSim
) -> None:
    sscc = packed(ledger, bench, "WEB-K05")
    bench.sync.sync_once()
    (tracking,) = booked_at_sim(sim, sscc)

    void(bench, sscc)
    bench.sync.sync_once()
    bench.sync.sync_once()

    assert sim.carrier.get(tracking).status == "cancelled"
    assert state(bench, sscc) == ("cancelled", f"{CODE} booking of parcel {sscc} cancelled.")


def test_a_parcel_the_carrier_collected_is_not_cancelled_and_the_bench_is_told(
    ledger: RunningLedger, bench: Station, sim: RunningSim
) -> None:
    sscc = packed(ledger, bench, "WEB-K06")
    bench.sync.sync_once()
    (tracking,) = booked_at_sim(sim, sscc)
    sim.post("/sim/advance", {"tracking": tracking})  # the driver collected it

    void(bench, sscc)
    bench.sync.sync_once()

    told = state(bench, sscc)
    assert told is not None and told[0] == "not_cancelled"
    assert "already collected" in told[1] and "stays booked" in told[1]
    assert sim.carrier.get(tracking).status == "shipped"
