"""Booking parcels with a carrier through the ledger (SQLite and PostgreSQL): a real ledger
on loopback books with the real carrier simulator. Asked twice, or after a lost or late
answer, a parcel is booked once (counted in the simulator); a carrier down or refusing
books nothing and says so; a void parcel's booking is cancelled at the carrier."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from app.carrier_sim.faults import Fault
from tests.ledger.bench_support import Bench, bin_lines, parcel, placed
from tests.ledger.master_support import run_import, write_csv
from tests.ledger.ship_support import demo_ledger, stock_item
from tests.support.carrier_sim import CODE, NAME, RunningSim, serve_carrier_sim
from tests.support.ledger import RunningLedger, backend_params


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningSim]:
    with serve_carrier_sim() as running:
        yield running


@pytest.fixture(scope="module", params=backend_params())
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sim: RunningSim
) -> Iterator[RunningLedger]:
    for running in demo_ledger(
        request.param, tmp_path_factory.mktemp("booking"), ("--carrier-timeout", "1")
    ):
        running.sql(
            "UPDATE carriers SET booking_url = :u WHERE code = :c", {"u": sim.url, "c": CODE}
        )
        yield running


@pytest.fixture(scope="module")
def bench(demo: RunningLedger) -> Bench:
    return Bench(demo, "BLR-01")


@pytest.fixture(autouse=True)
def no_fault(sim: RunningSim) -> None:
    sim.clear()


def packed(demo: RunningLedger, bench: Bench, number: str, carrier: str = CODE) -> tuple[int, str]:
    """A ship order picked and packed at BLR-01 in one parcel for ``carrier``: (fo, SSCC)."""
    sku = stock_item(demo, f"SP-{number}", {"BLR-01": 5})
    fo = int(placed(demo, number, [(sku, 1)])["id"])
    bench.one(bench.step("ship.pick", fo, lines=bin_lines((sku, 1)), tote="PB-1-T1"))
    box = {**parcel((sku, 1)), "carrier": carrier}
    assert bench.one(bench.step("ship.pack", fo, parcel=box))["status"] == "applied"
    return fo, str(box["sscc"])


def book(bench: Bench, sscc: str, action: str = "booking") -> requests.Response:
    return bench.http.post(f"{bench.ledger.url}/v1/parcels/{sscc}/{action}", timeout=60)


def booked_at_sim(sim: RunningSim, sscc: str) -> list[dict[str, Any]]:
    """The simulator's shipments booked with ``sscc`` (through its own API)."""
    shipments = requests.get(f"{sim.url}/sim/shipments", timeout=10).json()["shipments"]
    return [s for s in shipments if s["idempotency_key"] == sscc]


def test_a_parcel_books_once_with_its_carrier_and_its_tracking_reaches_the_bench(
    demo: RunningLedger, bench: Bench, sim: RunningSim
) -> None:
    fo, sscc = packed(demo, bench, "WEB-B01")
    cursor = bench.head()

    first, again = book(bench, sscc), book(bench, sscc)

    assert first.status_code == 200, first.text
    answer = first.json()
    (shipment,) = booked_at_sim(sim, sscc)
    assert answer == again.json()
    assert answer["state"] == "booked" and answer["carrier"] == CODE
    assert answer["tracking"] == shipment["tracking"] == answer["barcode"]
    assert answer["routing_code"] == "BLR/560" and answer["sort_code"] == "S09"
    assert answer["service"] == "Express" and answer["booked_at"]
    assert shipment["reference"] == "WEB-B01"
    changes, _ = bench.pull_all(cursor)
    (row,) = [c["data"] for c in changes if c["scope"] == "fulfilment" and c["key"] == str(fo)]
    assert [p["tracking"] for p in row["parcels"]] == [shipment["tracking"]]
    assert [(p["carrier"], p["carrier_name"]) for p in row["parcels"]] == [(CODE, NAME)]


def test_our_own_riders_need_no_booking(demo: RunningLedger, bench: Bench, sim: RunningSim) -> None:
    _, sscc = packed(demo, bench, "WEB-B02", carrier="own_fleet")

    answer = book(bench, sscc)

    assert answer.status_code == 200, answer.text
    assert answer.json()["state"] == "local" and answer.json()["tracking"] == sscc
    assert booked_at_sim(sim, sscc) == []


def test_a_refusing_carrier_books_nothing_and_says_why(
    demo: RunningLedger, bench: Bench, sim: RunningSim
) -> None:
    _, sscc = packed(demo, bench, "WEB-B03")
    sim.set_mode(Fault.REFUSE, reason="bookings are paused at your pickup point today.")

    refused = book(bench, sscc)

    assert refused.status_code == 409
    body = refused.json()
    assert body["error"] == "carrier_refused" and "paused" in body["message"]
    assert "another carrier" in body["next_step"]
    assert booked_at_sim(sim, sscc) == []
    state = demo.sql("SELECT booking_state, booking_note FROM parcels WHERE sscc = :s", {"s": sscc})
    assert state[0][0] == "refused" and "paused" in state[0][1]


def test_a_carrier_down_books_nothing_then_books_once_when_back(
    demo: RunningLedger, bench: Bench, sim: RunningSim
) -> None:
    _, sscc = packed(demo, bench, "WEB-B04")
    sim.set_mode(Fault.DOWN)

    down = book(bench, sscc)
    sim.clear()
    back = book(bench, sscc)

    assert down.status_code == 503 and down.json()["error"] == "carrier_down"
    assert back.status_code == 200 and back.json()["state"] == "booked"
    assert len(booked_at_sim(sim, sscc)) == 1


def test_a_slow_carrier_is_told_and_asking_again_finds_the_booking_it_made(
    demo: RunningLedger, bench: Bench, sim: RunningSim
) -> None:
    _, sscc = packed(demo, bench, "WEB-B05")
    sim.set_mode(Fault.SLOW, delay_ms=2500)  # the ledger waits 1 s (--carrier-timeout)

    slow = book(bench, sscc)
    sim.clear()
    again = book(bench, sscc)

    assert slow.status_code == 504 and slow.json()["error"] == "carrier_slow"
    assert again.status_code == 200, again.text
    (shipment,) = booked_at_sim(sim, sscc)
    assert again.json()["tracking"] == shipment["tracking"]


def test_an_answer_lost_on_the_way_books_once(
    demo: RunningLedger, bench: Bench, sim: RunningSim
) -> None:
    _, sscc = packed(demo, bench, "WEB-B06")
    sim.set_mode(Fault.DROP, times=1)

    answer = book(bench, sscc)

    assert answer.status_code == 200, answer.text
    (shipment,) = booked_at_sim(sim, sscc)
    assert answer.json()["tracking"] == shipment["tracking"]


def test_two_calls_at_once_book_one_parcel_once(
    demo: RunningLedger, bench: Bench, sim: RunningSim
) -> None:
    _, sscc = packed(demo, bench, "WEB-B07")
    sim.set_mode(Fault.SLOW, delay_ms=300)
    answers: list[requests.Response] = []
    calls = [threading.Thread(target=lambda: answers.append(book(bench, sscc))) for _ in range(4)]

    for call in calls:
        call.start()
    for call in calls:
        call.join()

    codes = sorted(a.status_code for a in answers)
    assert codes[0] == 200 and set(codes) <= {200, 409}
    underway = [a.json() for a in answers if a.status_code == 409]
    assert all(b["error"] == "booking_underway" for b in underway)
    (shipment,) = booked_at_sim(sim, sscc)
    assert {a.json()["tracking"] for a in answers if a.status_code == 200} == {shipment["tracking"]}


def test_a_voided_parcel_is_cancelled_at_the_carrier(
    demo: RunningLedger, bench: Bench, sim: RunningSim
) -> None:
    fo, sscc = packed(demo, bench, "WEB-B08")
    tracking = book(bench, sscc).json()["tracking"]

    before_void = book(bench, sscc, "booking/cancel")
    bench.one(bench.step("ship.label_void", fo, sscc=sscc, reason="wrong box"))
    cancelled, again = book(bench, sscc, "booking/cancel"), book(bench, sscc, "booking/cancel")

    assert before_void.status_code == 404 and "Void the label" in before_void.json()["next_step"]
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert again.json() == cancelled.json()
    assert sim.carrier.get(tracking).status == "cancelled"


def test_a_parcel_the_carrier_collected_is_not_cancelled_and_it_says_so(
    demo: RunningLedger, bench: Bench, sim: RunningSim
) -> None:
    fo, sscc = packed(demo, bench, "WEB-B09")
    tracking = book(bench, sscc).json()["tracking"]
    sim.post("/sim/advance", {"tracking": tracking})  # the driver collected it
    bench.one(bench.step("ship.label_void", fo, sscc=sscc, reason="customer cancelled"))

    refused = book(bench, sscc, "booking/cancel")

    assert refused.status_code == 409
    assert refused.json()["error"] == "carrier_refused"
    assert "already collected" in refused.json()["message"]
    assert sim.carrier.get(tracking).status == "shipped"


def test_a_carriers_booking_address_is_imported_and_a_file_without_it_keeps_it(
    demo: RunningLedger, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    header = "code,name,kind,cutoff,rate_local,booking_url"
    row = "DASH,Dash Couriers,partner,16:30,55,{}"

    set_it = run_import(
        demo, capsys, "carriers",
        write_csv(tmp_path / "a.csv", header, [row.format("https://api.dash.in/v1")]),
    )  # fmt: skip
    kept = run_import(
        demo, capsys, "carriers", write_csv(tmp_path / "b.csv", header, [row.format("")])
    )
    bad = run_import(
        demo, capsys, "carriers", write_csv(tmp_path / "c.csv", header, [row.format("dash.in")])
    )

    assert set_it[0] == 0 and "1 added" in set_it[1]
    assert kept[0] == 0 and "1 unchanged" in kept[1]
    assert bad[0] == 1 and "booking_url: 'dash.in' is not a web address" in bad[2]
    url = demo.sql("SELECT booking_url FROM carriers WHERE code = 'DASH'")
    assert url == [("https://api.dash.in/v1",)]
