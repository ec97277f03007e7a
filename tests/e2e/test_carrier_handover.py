"""Handing parcels to carriers end to end on a real ledger (SQLite and PostgreSQL), a real
bench station at BLR-01 and the carrier simulator as SWIFT: 50 web ship orders routed to
BLR-01 are picked and packed into 50 parcels, 40 for SWIFT (booked) and 10 for LOCAL (our
riders, tracked by SSCC). 12 SWIFT parcels are packed while the ledger is stopped: the
bench is told their labels wait, and after reconnecting they are booked once each and
their labels print with the carrier's barcode. Every order takes a tax invoice number, one
after another across the offline stretch. Each carrier's parcels are scanned out by the
barcodes read off their labels, the ledger records the hand-over, and each manifest
decodes to its parcels. The simulator then delivers most SWIFT parcels, fails some and
returns some to origin: the ledger's orders, exceptions and timelines say so, the bench
sees it after a pull, and delivered dates feed the return window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium
import pytest

from app.domain.labels import LabelKind
from app.errors import KnownError, RuleRefused
from app.labels.profiles import BUILT_IN
from app.ledger.seed_ship_orders import KORAMANGALA
from app.ledger.tracking.delivered import delivered_lines
from app.services.results import StaffSession
from app.services.station import Station
from tests.labels.support import decode, pdf_pages, zpl_pages
from tests.ledger.pickup_support import timeline
from tests.ledger.ship_support import ship_order
from tests.ledger.tracking_support import eventually
from tests.support.bench_steps import bench_station, outbox, pack_parcel, walk
from tests.support.carrier_ledger import carrier_ledger
from tests.support.carrier_sim import CODE, RunningSim
from tests.support.ledger import RunningLedger, backend_params

ORDERS, OFFLINE = 50, 15  # the last 15 packed while the ledger is stopped
DELIVERED, FAILED = 30, 6  # of the 40 SWIFT parcels; the other 4 return to origin
IST = ZoneInfo("Asia/Kolkata")


@pytest.fixture(params=backend_params())
def wired(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[RunningLedger, RunningSim]]:
    with carrier_ledger(request.param, tmp_path / "ledger", "tiny") as both:
        yield both


@pytest.fixture
def bench(wired: tuple[RunningLedger, RunningSim], tmp_path: Path) -> Iterator[Station]:
    station = bench_station(wired[0], tmp_path / "bench", "BLR-01")
    yield station
    station.close()


def place_fifty(ledger: RunningLedger) -> dict[int, tuple[str, str]]:
    """50 web ship orders near BLR-01, one or two lines; every fifth goes with our own
    riders (LOCAL), the others with SWIFT, as HQ chose; fulfilment id -> (order, carrier)."""
    skus = [str(r[0]) for r in ledger.sql("SELECT sku FROM items ORDER BY id")][9:49]
    carriers = {}
    for n in range(ORDERS):
        lines = [(skus[n % 40], 1 + n % 2)] + ([(skus[(n + 7) % 40], 1)] if n % 3 == 0 else [])
        number = f"WEB-55{n:02d}"
        ledger.place_order(ship_order(number, lines, KORAMANGALA))
        carriers[number] = "LOCAL" if n % 5 == 4 else CODE
    ledger.sql(
        "UPDATE fulfilment_orders SET carrier = CASE WHEN order_number LIKE '%4' OR "
        "order_number LIKE '%9' THEN 'LOCAL' ELSE :c END WHERE order_number LIKE 'WEB-55%'",
        {"c": CODE},
    )  # the numbers of every fifth order end in 4 or 9
    rows = ledger.sql(
        "SELECT f.id, f.order_number, l.code FROM fulfilment_orders f "
        "JOIN locations l ON l.id = f.location_id WHERE f.order_number LIKE 'WEB-55%'"
    )
    assert sorted((str(n), str(c)) for _, n, c in rows) == [(n, "BLR-01") for n in sorted(carriers)]
    return {int(f): (str(n), carriers[str(n)]) for f, n, _ in rows}


def label_scans(station: Station, read: dict[Path, set[str]]) -> dict[str, list[set[str]]]:
    """What the real decoder reads off each spooled shipping label, by the label's SSCC
    (its GS1-128 reads "00" and the SSCC): the texts on each label of that parcel.
    ``read``: the texts of each label file decoded before, kept for the next call."""
    assert station.printing is not None
    profile = station.printing.profile_for(LabelKind.SHIPPING)
    found: dict[str, list[set[str]]] = {}
    for spooled in sorted((station.data_dir / "printed").iterdir()):
        if spooled.suffix != f".{profile.language.value}":
            continue  # a packing slip
        if spooled not in read:
            body = spooled.read_bytes()
            pages = zpl_pages(body, profile) if spooled.suffix == ".zpl" else []
            pages = pages or pdf_pages(body, profile.dpi)
            read[spooled] = {text for page in pages for _, text, _ in decode(page)}
        for text in read[spooled]:
            if len(text) == 20 and text.startswith("00"):
                found.setdefault(text[2:], []).append(read[spooled])
    return found


def pdf_text(body: bytes) -> str:
    doc = pdfium.PdfDocument(body)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()


def slip_texts(station: Station) -> str:
    """The text of every spooled PDF (packing slips print on A4 as PDF)."""
    spool = sorted((station.data_dir / "printed").iterdir())
    return "\n".join(pdf_text(p.read_bytes()) for p in spool if p.suffix == ".pdf")


def packs(station: Station) -> list[dict[str, Any]]:
    """The payloads of the bench's ``ship.pack`` operations, in the order packed."""
    return [payload for _, kind, _, payload in outbox(station) if kind == "ship.pack"]


@pytest.mark.slow
def test_fifty_parcels_booked_invoiced_manifested_scanned_out_and_tracked(
    wired: tuple[RunningLedger, RunningSim], bench: Station
) -> None:
    ledger, sim = wired
    orders = place_fifty(ledger)
    bench.sync.sync_once()
    staff = bench.auth.session_for("A100")
    picked = walk(bench, staff, sorted(orders))
    bench.batch_pick.finish(staff)
    bench.sync.sync_once()
    totes = list(picked.totes)
    read: dict[Path, set[str]] = {}
    online = [pack_parcel(bench, staff, t.code) for t in totes[: ORDERS - OFFLINE]]
    bench.sync.sync_once()
    bench.sync.sync_once()

    ledger.stop()
    try:
        with pytest.raises(KnownError):  # the bench learns it is offline
            bench.sync.sync_once()
        offline = [pack_parcel(bench, staff, t.code) for t in totes[ORDERS - OFFLINE :]]
        labels_offline = label_scans(bench, read)
    finally:
        ledger.start()
    bench.sync.sync_once()
    bench.sync.sync_once()
    labels = label_scans(bench, read)

    closed = online + offline
    carrier_of = {c.sscc: orders[c.view.fulfilment_id][1] for c in closed}
    assert [c.carrier for c in closed] == [orders[t.fulfilment_id][1] for t in totes]
    swift = [c.sscc for c in closed if c.carrier == CODE]
    late = [c for c in offline if c.carrier == CODE]
    assert len(swift) == 40 and len(late) == 12
    assert {c.printed for c in online if c.carrier == CODE} == {
        f"{CODE} label prints as soon as {CODE} has booked the parcel."
    }
    assert {c.printed for c in late} == {
        f"{CODE} label waits for the network: it prints when the ledger is back."
    }
    booked_once(sim, swift)
    tracking = {s.key: s.tracking for s in sim.carrier.shipments()}
    riders_offline = {c.sscc for c in offline if c.carrier == "LOCAL"}
    assert set(labels_offline) == set(carrier_of) - {c.sscc for c in late}
    assert riders_offline and riders_offline <= set(labels_offline)  # ours print offline
    tracked_as = {s: tracking.get(s, s) for s in carrier_of}  # LOCAL: the SSCC
    assert labels == {s: [{f"00{s}", t}] for s, t in tracked_as.items()}  # one label each
    kept = ledger.sql("SELECT sscc, tracking, booking_state FROM parcels")
    assert sorted((str(s), str(t), b) for s, t, b in kept) == sorted(
        (s, t, "booked" if carrier_of[s] == CODE else None) for s, t in tracked_as.items()
    )
    statuses = {status for _, _, status, _ in outbox(bench)}
    assert statuses == {"applied"}

    invoiced(ledger, bench, orders)
    handed_over(ledger, bench, staff, carrier_of, labels)
    number_of = {c.sscc: orders[c.view.fulfilment_id][0] for c in closed}
    tracked(ledger, sim, bench, number_of, {s: tracking[s] for s in swift})


def booked_once(sim: RunningSim, swift: list[str]) -> None:
    """The simulator's books: one booking per SWIFT parcel, none twice, none other."""
    keys = [s.key for s in sim.carrier.shipments()]
    assert sorted(keys) == sorted(swift) and sim.carrier.issued == len(swift)


def invoiced(ledger: RunningLedger, bench: Station, orders: dict[int, tuple[str, str]]) -> None:
    """Each order packed under the bench's next invoice number, across the offline
    stretch too; the ledger keeps each on its order; each prints on the order's slip."""
    sent = [(p["fulfilment_id"], p["invoice"]) for p in packs(bench)]
    prefix, year, _ = sent[0][1].split("/")
    assert [number for _, number in sent] == [
        f"{prefix}/{year}/{n:05d}" for n in range(1, ORDERS + 1)
    ]
    assert sorted(fid for fid, _ in sent) == sorted(orders)
    kept = ledger.sql("SELECT fulfilment_order_id, number FROM order_invoices")
    assert sorted((int(f), str(n)) for f, n in kept) == sorted(sent)
    printed = slip_texts(bench)
    assert [n for _, n in sent if n not in printed] == []


def handed_over(
    ledger: RunningLedger,
    bench: Station,
    staff: StaffSession,
    carrier_of: dict[str, str],
    labels: dict[str, list[set[str]]],
) -> None:
    """Each carrier's parcels scanned out by the barcode read off their label: the
    missing one is warned of until scanned, a second scan is refused; the ledger records
    every hand-over; each carrier's manifest decodes to its parcels with their count and
    weight."""
    weights = {p["parcel"]["sscc"]: int(p["parcel"]["weight_g"]) for p in packs(bench)}
    ours = next(s for s, c in carrier_of.items() if c == "LOCAL")
    with pytest.raises(RuleRefused, match=f"This is a LOCAL parcel, not {CODE}: keep it for"):
        bench.scan_out.scan(CODE, scan_of(labels, ours), staff)
    for carrier in (CODE, "LOCAL"):
        mine = [s for s, c in carrier_of.items() if c == carrier]
        board = bench.scan_out.board(carrier)
        assert sorted(p.sscc for p in board.waiting) == sorted(mine)
        for sscc in mine[:-1]:
            board = bench.scan_out.scan(carrier, scan_of(labels, sscc), staff).board
        last = board.waiting[0]
        assert board.warning == f"1 {carrier} parcel not scanned: {mine[-1]} ({last.order_number})"
        board = bench.scan_out.scan(carrier, scan_of(labels, mine[-1]), staff).board
        assert board.waiting == () and board.warning == ""
        assert len(board.handed) == len(mine)
        with pytest.raises(RuleRefused, match="already handed"):
            bench.scan_out.scan(carrier, scan_of(labels, mine[0]), staff)
        booked = {t for s in mine for t in labels[s][0]} if carrier == CODE else set()
        manifest_reads(bench, staff, carrier, {s: weights[s] for s in mine}, booked)
    bench.sync.sync_once()

    rows = ledger.sql("SELECT sscc, carrier, handed_over_at IS NOT NULL FROM parcels")
    assert sorted((str(s), str(c), bool(h)) for s, c, h in rows) == sorted(
        (s, c, True) for s, c in carrier_of.items()
    )
    states = ledger.sql(
        "SELECT DISTINCT state FROM fulfilment_orders WHERE order_number LIKE 'WEB-55%'"
    )
    assert states == [("shipped",)]


def scan_of(labels: dict[str, list[set[str]]], sscc: str) -> str:
    """What a scanner reads off parcel ``sscc``'s label: its GS1-128 ("00" + SSCC)."""
    (code,) = [t for t in labels[sscc][0] if t == f"00{sscc}"]
    return code


def manifest_reads(
    bench: Station, staff: StaffSession, carrier: str, weights: dict[str, int], booked: set[str]
) -> None:
    """The manifest decodes to each parcel's SSCC, and ``booked``: the codes on the
    labels of parcels the carrier booked (their SSCC and its tracking number)."""
    said = bench.scan_out.manifest(carrier, staff)  # no A4 printer here: saved as a PDF
    (path,) = (bench.data_dir / "printed").glob(f"manifest-{carrier}-*.pdf")
    assert str(path) in said
    body = path.read_bytes()
    dpi = BUILT_IN["a4-laser"].dpi
    read = {text for page in pdf_pages(body, dpi) for _, text, _ in decode(page)}
    assert read == {f"00{sscc}" for sscc in weights} | booked
    text = " ".join(pdf_text(body).split())
    kg = f"{sum(weights.values()) / 1000:.2f} kg"
    assert f"Parcels handed over: {len(weights)} of {len(weights)} · their weight {kg}" in text
    assert "Not scanned out (stay at the store): 0" in text


def tracked(
    ledger: RunningLedger,
    sim: RunningSim,
    bench: Station,
    number_of: dict[str, str],
    tracking: dict[str, str],
) -> None:
    """The simulator moves each SWIFT parcel on and pushes its events to the ledger
    (which also pulls its feed, filling in a push that timed out):
    most delivered, some failed delivery, some failed then returned to origin. The
    ledger's orders, exceptions and timelines say so; the bench sees it after a pull."""
    swift = sorted(tracking)
    fate = {s: "delivered" for s in swift[:DELIVERED]}
    fate |= {s: "failed_delivery" for s in swift[DELIVERED : DELIVERED + FAILED]}
    fate |= {s: "rto" for s in swift[DELIVERED + FAILED :]}
    last: dict[str, dict[str, Any]] = {}
    for sscc, end in fate.items():
        ends = ["failed_delivery", "rto"] if end == "rto" else [end]
        for to in [None, None, None, *ends]:  # shipped, in transit, out for delivery, …
            last[sscc] = sim.post("/sim/advance", {"tracking": tracking[sscc], "to": to})
    sent = sum(4 if end == "delivered" else 4 + (end == "rto") for end in fate.values())
    eventually(lambda: events_kept(ledger) == sent or None, f"{sent} events at the ledger")
    assert parcel_states(ledger) == fate | {s: None for s in number_of if s not in fate}

    came_back = {number_of[s] for s, end in fate.items() if end != "delivered"}
    delivered = {number_of[s]: s for s, end in fate.items() if end == "delivered"}
    assert dict(ours(ledger, "SELECT order_number, state FROM fulfilment_orders")) == {
        n: "delivered" if n in delivered else "shipped" for n in number_of.values()
    }
    returned = {number_of[s] for s, end in fate.items() if end == "rto"}
    opened = ours(ledger, "SELECT order_number, kind FROM exceptions WHERE status = 'open'")
    assert sorted(opened) == sorted(
        [(n, "delivery_failed") for n in came_back] + [(n, "returning_to_store") for n in returned]
    )
    for sscc, end in fate.items():
        events = timeline(ledger, number_of[sscc])["events"]
        said = sorted(e["kind"] for e in events if e["actor"] == f"carrier:{CODE}")
        ends = ["failed_delivery", "rto"] if end == "rto" else [end]
        assert said == sorted(f"ship.{k}" for k in ["shipped", "in_transit",
                                                     "out_for_delivery", *ends]), sscc  # fmt: skip
    with ledger.engine.connect() as conn:
        days = {n: delivered_lines(conn, n) for n in delivered}
    for number, sscc in delivered.items():  # the return window starts on these days
        assert sorted(days[number]) == skus_packed(ledger, sscc)
        assert {d.date().isoformat() for d in days[number].values()} == {last[sscc]["at"][:10]}

    bench.sync.sync_once()
    for sscc, number in number_of.items():
        seen = bench.ship_queue.find(number).tracking
        fated = fate.get(sscc)
        if fated == "delivered":
            day = datetime.fromisoformat(last[sscc]["at"]).astimezone(IST)
            assert seen == (f"Parcel {sscc}: delivered on {day:%d %b %Y}",)
        elif fated is not None:
            words = "failed delivery" if fated == "failed_delivery" else "returning to the store"
            assert seen == (f"Parcel {sscc}: {words}",)
        else:
            assert seen == (), number  # our riders: no carrier events
    rows = {
        (r.order_number, r.title)
        for r in bench.exceptions.open_exceptions()
        if r.order_number.startswith("WEB-55")
    }
    assert rows == {(n, "Delivery failed") for n in came_back} | {
        (n, "Parcel coming back") for n in returned
    }


def ours(ledger: RunningLedger, sql: str) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` (order number first) about this test's orders."""
    return [row for row in ledger.sql(sql) if str(row[0]).startswith("WEB-55")]


def events_kept(ledger: RunningLedger) -> int:
    return int(ledger.sql("SELECT count(*) FROM shipment_events")[0][0])


def parcel_states(ledger: RunningLedger) -> dict[str, str | None]:
    rows = ledger.sql("SELECT sscc, state FROM parcels")
    return {str(s): None if state is None else str(state) for s, state in rows}


def skus_packed(ledger: RunningLedger, sscc: str) -> list[str]:
    rows = ledger.sql(
        "SELECT DISTINCT l.sku FROM parcel_lines l JOIN parcels p ON p.id = l.parcel_id "
        "WHERE p.sscc = :s ORDER BY l.sku",
        {"s": sscc},
    )
    return [str(r[0]) for r in rows]
