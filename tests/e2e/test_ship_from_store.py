"""Ship-from-store end to end on a real ledger (SQLite and PostgreSQL) with two real bench
stations: 50 web ship orders routed across BLR-01, MUM-01 and WH-BHW, each with its
explanation; the bench at BLR-01 batch-picks its orders into totes by scans and packs
them into parcels whose labels decode to their SSCCs; the bench at MUM-01 does the same
offline while one of its orders is cancelled centrally: its pick is applied and flagged
after reconnecting, and the unpick task puts the units back, which closes the flag.
Everything syncs exactly once and the ledger's stock and timelines add up."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.labels import LabelKind
from app.ledger.holds import cancel_order
from app.ledger.route_decisions import decisions_of
from app.ledger.seed_ship_orders import ANDHERI, KORAMANGALA, NASHIK
from app.services.station import Station
from tests.labels.support import decode, pdf_pages, zpl_pages
from tests.ledger.pickup_support import timeline
from tests.ledger.ship_support import ship_order
from tests.support.bench_steps import bench_station, outbox, pack, walk
from tests.support.ledger import RunningLedger, backend_params, ledger_on

WHERE = {"BLR-01": KORAMANGALA, "MUM-01": ANDHERI, "WH-BHW": NASHIK}
SEEDED = {"BLR-01": 10, "MUM-01": 20, "WH-BHW": 100}  # tiny: units of each item


@pytest.fixture(params=backend_params())
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RunningLedger]:
    yield from ledger_on(request.param, tmp_path / "ledger")


@pytest.fixture
def benches(ledger: RunningLedger, tmp_path: Path) -> Iterator[dict[str, Station]]:
    built = {loc: bench_station(ledger, tmp_path / loc, loc) for loc in ("BLR-01", "MUM-01")}
    yield built
    for station in built.values():
        station.close()


def place_fifty(ledger: RunningLedger) -> dict[str, str]:
    """50 web ship orders: 20 near BLR-01, 20 near MUM-01, 10 near WH-BHW, one or two
    lines of items 10..49; order number -> where its customer lives."""
    skus = [str(r[0]) for r in ledger.sql("SELECT sku FROM items ORDER BY id")][9:49]
    near = ["BLR-01"] * 20 + ["MUM-01"] * 20 + ["WH-BHW"] * 10
    placed = {}
    for n, place in enumerate(near):
        lines = [(skus[n % 40], 1 + n % 2)] + ([(skus[(n + 7) % 40], 1)] if n % 3 == 0 else [])
        number = f"WEB-77{n:02d}"
        ledger.place_order(ship_order(number, lines, WHERE[place]))
        placed[number] = place
    return placed


def routed_to(ledger: RunningLedger, numbers: list[str]) -> dict[str, tuple[int, str]]:
    """order number -> (fulfilment id, location code) of each order's one fulfilment."""
    rows = ledger.sql(
        "SELECT f.order_number, f.id, l.code FROM fulfilment_orders f "
        "JOIN locations l ON l.id = f.location_id WHERE f.method = 'ship'"
    )
    found = {str(n): (int(f), str(c)) for n, f, c in rows if n in numbers}
    assert len(found) == len(numbers)  # one location each: no split needed
    return found


def decoded(station: Station) -> set[str]:
    """Every text the real decoder reads off the station's spooled shipping labels."""
    assert station.printing is not None
    profile = station.printing.profile_for(LabelKind.SHIPPING)
    found: set[str] = set()
    for spooled in sorted((station.data_dir / "printed").iterdir()):
        body = spooled.read_bytes()
        pages = pdf_pages(body, profile.dpi) if spooled.suffix == ".pdf" else []
        if spooled.suffix == ".zpl":
            pages = zpl_pages(body, profile)
        for page in pages:
            found |= {text for _, text, _ in decode(page)}
    return found


def moved(stations: list[Station]) -> Counter[tuple[str, str]]:
    """Units taken off the shelf per (location, SKU): picked minus put back."""
    units: Counter[tuple[str, str]] = Counter()
    for station in stations:
        for _, kind, _, payload in outbox(station):
            sign = {"ship.pick": 1, "ship.unpick": -1}.get(kind, 0)
            for line in payload.get("lines", []) if sign else []:
                units[(payload["location"], line["sku"])] += sign * line["quantity"]
    return units


@pytest.mark.slow
def test_fifty_orders_routed_picked_packed_and_labelled_by_two_benches(
    ledger: RunningLedger, benches: dict[str, Station]
) -> None:
    placed = place_fifty(ledger)
    routes = routed_to(ledger, list(placed))
    assert {n: loc for n, (_, loc) in routes.items()} == placed
    for number in placed:
        (decision,) = decisions_of(ledger.engine, number)
        assert decision.locations == (placed[number],)
        assert decision.explanation[0].startswith(f"Ship from {placed[number]} ")
        assert any(line.startswith("Runner-up ") for line in decision.explanation)

    blr, mum = benches["BLR-01"], benches["MUM-01"]
    for station in (blr, mum):
        station.sync.sync_once()
    a100 = blr.auth.session_for("A100")
    here = {loc: [f for f, at in routes.values() if at == loc] for loc in ("BLR-01", "MUM-01")}

    picked = walk(blr, a100, here["BLR-01"])
    blr.batch_pick.finish(a100)
    blr.sync.sync_once()
    ssccs = [s for tote in picked.totes for s in pack(blr, a100, tote.code)]
    blr.sync.sync_once()
    assert len(set(ssccs)) == 20
    assert set(ssccs[:5]) <= decoded(blr)

    m_staff = mum.auth.session_for("M300")
    cancelled = next(n for n, (f, at) in routes.items() if f == here["MUM-01"][0])
    ledger.stop()
    try:
        walked = walk(mum, m_staff, here["MUM-01"])
        cancel_order(ledger.engine, cancelled, "customer called", "CS desk")
        mum.batch_pick.finish(m_staff)
        offline_ssccs = [
            s
            for t in walked.totes
            if t.order_number != cancelled
            for s in pack(mum, m_staff, t.code)
        ]
        offline = {(kind, status) for _, kind, status, _ in outbox(mum)}
    finally:
        ledger.start()
    mum.sync.sync_once()
    mum.sync.sync_once()
    flagged = open_kinds(ledger, cancelled)
    (task,) = mum.unpicking.tasks()
    for sku, _, due, bins in task.lines:
        for _ in range(due):
            mum.unpicking.put_back(m_staff, task.fulfilment_id, bins[0], sku)
    mum.sync.sync_once()
    blr.sync.sync_once()

    assert offline == {("ship.pick", "pending"), ("ship.pack", "pending")}
    assert flagged == ["picked_after_close"] and open_kinds(ledger, cancelled) == []
    assert mum.unpicking.tasks() == []
    assert len(set(offline_ssccs)) == 19 and set(offline_ssccs[:3]) <= decoded(mum)
    ops = [op for station in (blr, mum) for op in outbox(station)]
    assert {status for _, _, status, _ in ops} == {"applied"}
    received = [str(r[0]) for r in ledger.sql("SELECT op_id FROM ops_received")]
    assert sorted(received) == sorted(op_id for op_id, _, _, _ in ops)  # each once
    assert blr.status.status().pending_ops == mum.status.status().pending_ops == 0

    stock_adds_up(ledger, routes, cancelled, moved([blr, mum]))
    timelines_read_right(ledger, routes, cancelled)


def stock_adds_up(
    ledger: RunningLedger,
    routes: dict[str, tuple[int, str]],
    cancelled: str,
    units: Counter[tuple[str, str]],
) -> None:
    """On hand at each location moved by the units picked minus put back, and only for
    the orders packed; their reservations consumed, the cancelled one's released, the
    warehouse's still held."""
    shipped = [f for n, (f, at) in routes.items() if at != "WH-BHW" and n != cancelled]
    assert sum(units.values()) == sum(units_of(ledger, fid) for fid in shipped)
    for location in ("BLR-01", "MUM-01", "WH-BHW"):
        for sku, count in on_hand_at(ledger, location).items():
            assert count == SEEDED[location] - units[(location, sku)], (location, sku)
    states = reservations(ledger)
    for number, (fid, location) in routes.items():
        expected = {"WH-BHW": "active", "BLR-01": "consumed", "MUM-01": "consumed"}[location]
        expected = "released" if number == cancelled else expected
        assert {status for status, _ in states[fid]} == {expected}, number
        assert sum(q for _, q in states[fid]) == (
            units_of(ledger, fid) if location == "WH-BHW" else 0
        )


def timelines_read_right(
    ledger: RunningLedger, routes: dict[str, tuple[int, str]], cancelled: str
) -> None:
    """Each benched order's timeline: routed, a pick per line, packed, with its actors;
    the cancelled one: routed, cancelled, the offline pick, the put-back."""
    for number, (fid, location) in routes.items():
        if location == "WH-BHW":
            continue
        events = timeline(ledger, number)["events"]
        kinds = [e["kind"] for e in events]
        actors = [e["actor"] for e in events]
        staff = "A100" if location == "BLR-01" else "M300"
        if number == cancelled:
            assert kinds == ["order.routed", "order.cancel", "ship.pick", "ship.unpick"]
            assert actors == ["ledger:routing", "CS desk", staff, staff]
            continue
        lines = len(
            ledger.sql("SELECT id FROM fulfilment_lines WHERE fulfilment_order_id = :f", {"f": fid})
        )
        assert kinds == ["order.routed", *["ship.pick"] * lines, "ship.pack"], (number, kinds)
        assert [e["state"] for e in events][-2:] == ["picked", "packed"]
        assert actors == ["ledger:routing", *[staff] * (lines + 1)]


def open_kinds(ledger: RunningLedger, number: str) -> list[str]:
    rows = ledger.sql(
        "SELECT kind FROM exceptions WHERE order_number = :n AND status = 'open' ORDER BY id",
        {"n": number},
    )
    return [str(r[0]) for r in rows]


def on_hand_at(ledger: RunningLedger, location: str) -> dict[str, int]:
    """SKU -> sellable on hand of every item at ``location``."""
    rows = ledger.sql(
        "SELECT i.sku, b.on_hand FROM stock_balances b JOIN locations l ON l.id = b.location_id "
        "JOIN items i ON i.id = b.item_id WHERE l.code = :l AND b.bucket = 'sellable'",
        {"l": location},
    )
    return {str(sku): int(units) for sku, units in rows}


def units_of(ledger: RunningLedger, fid: int) -> int:
    """Units the fulfilment order ``fid`` was routed."""
    rows = ledger.sql(
        "SELECT sum(quantity) FROM fulfilment_lines WHERE fulfilment_order_id = :f", {"f": fid}
    )
    return int(rows[0][0])


def reservations(ledger: RunningLedger) -> dict[int, list[tuple[str, int]]]:
    """fulfilment order id -> (status, units still held) of each of its reservations."""
    held: dict[int, list[tuple[str, int]]] = {}
    for fid, status, units in ledger.sql(
        "SELECT fulfilment_order_id, status, quantity FROM reservations"
    ):
        held.setdefault(int(fid), []).append((str(status), int(units)))
    return held
