"""Which store has a pickup order, and a store's pickups stay its own."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from app.domain.pickup_codes import hash_pickup_code
from tests.ledger.conftest import tiny_skus
from tests.ledger.pickup_support import Counter, lines, place_pickup, state, stock
from tests.support.ledger import ROOT, RunningLedger


def test_locate_names_only_the_holding_store(shared_ledger: RunningLedger) -> None:
    a = tiny_skus(shared_ledger)[30]
    accepted = place_pickup(shared_ledger, "APP-7101", [(a, 1)])
    mumbai = Counter(shared_ledger, "MUM-01")

    by_number = mumbai.locate("app-7101")
    by_code = mumbai.locate(accepted["pickup_code"])
    by_qr = mumbai.locate(accepted["pickup_qr"])
    by_seeded_code = mumbai.locate("100101")  # tiny order T-1001, documented in the seed
    unknown = mumbai.locate("000000" if accepted["pickup_code"] != "000000" else "000001")
    as_admin = requests.get(
        f"{shared_ledger.url}/v1/pickups/locate",
        params={"q": "APP-7101"},
        headers={"Authorization": f"Bearer {shared_ledger.admin_token}"},
        timeout=10,
    )

    for answer in (by_number, by_code, by_qr, by_seeded_code):
        assert answer.status_code == 200, answer.text
        assert set(answer.json()) == {"location_code", "location_name"}
        assert answer.json()["location_code"] == "BLR-01"
    assert unknown.status_code == 404
    assert as_admin.status_code == 403


def test_a_device_cannot_see_or_touch_another_stores_pickup(shared_ledger: RunningLedger) -> None:
    a = tiny_skus(shared_ledger)[31]
    mumbai = Counter(shared_ledger, "MUM-01")
    cursor = mumbai.head()
    fo = place_pickup(shared_ledger, "WEB-7102", [(a, 1)])["fulfilment_orders"][0]["id"]

    results = mumbai.send(
        mumbai.op("pickup.pick", fo, lines=lines((a, 1))),
        {**mumbai.op("pickup.accept", fo), "payload": {"location": "BLR-01", "fulfilment_id": fo}},
    )

    assert [r["status"] for r in results] == ["rejected", "rejected"]
    assert "not held at this store" in results[0]["reason"]
    assert "belongs to MUM-01" in results[1]["reason"]
    assert state(shared_ledger, fo) == "routed" and stock(shared_ledger, "BLR-01", a) == (10, 1)
    changes, _ = mumbai.pull_all(cursor)
    assert not [c for c in changes if c["scope"] == "fulfilment"]
    snap = mumbai.snapshot("fulfilment")
    assert all(row[1] != "WEB-7102" for row in snap["rows"])


def test_extended_snapshot_carries_the_pickup_fields(shared_ledger: RunningLedger) -> None:
    a = tiny_skus(shared_ledger)[32]
    place_pickup(shared_ledger, "WEB-7103", [(a, 1)])
    counter = Counter(shared_ledger, "BLR-01")

    plain = counter.snapshot("fulfilment")
    extended = counter.http.get(
        f"{shared_ledger.url}/v1/sync/snapshot",
        params={"scope": "fulfilment", "extended": "true"},
        timeout=30,
    ).json()
    places = counter.http.get(
        f"{shared_ledger.url}/v1/sync/snapshot",
        params={"scope": "locations", "extended": "true"},
        timeout=30,
    ).json()

    assert plain["columns"] == extended["columns"]  # the pickup columns are always sent
    assert "pickup_code_hash" in plain["columns"] and "bins" in places["columns"]
    rows = [dict(zip(extended["columns"], r, strict=True)) for r in extended["rows"]]
    order = next(r for r in rows if r["order_number"] == "WEB-7103")
    assert order["location_code"] == "BLR-01" and order["bin"] is None
    assert len(order["pickup_code_hash"]) == 64 and order["pickup_code_salt"]
    seeded = next(r for r in rows if r["order_number"] == "T-1001")
    assert hash_pickup_code("100101", seeded["pickup_code_salt"]) == seeded["pickup_code_hash"]
    code_at, bins_at = places["columns"].index("code"), places["columns"].index("bins")
    bins = {r[code_at]: r[bins_at] for r in places["rows"]}
    assert bins["BLR-01"][0] == "H-01" and len(bins["BLR-01"]) == 24 and bins["WH-BHW"] == []


def test_expire_holds_command_uses_the_given_server_time(shared_ledger: RunningLedger) -> None:
    sqlite_ledger = shared_ledger  # last in this module: it expires every hold in the ledger
    if not sqlite_ledger.db_url.startswith("sqlite"):
        pytest.skip("the command is the same on every database; SQLite covers it")
    a = tiny_skus(sqlite_ledger)[33]
    fo = place_pickup(sqlite_ledger, "WEB-7104", [(a, 1)])["fulfilment_orders"][0]["id"]
    counter = Counter(sqlite_ledger, "BLR-01")
    counter.send(
        counter.op("pickup.pick", fo, lines=lines((a, 1))),
        counter.op("pickup.stage", fo, bin="H-01"),
        counter.op("pickup.ready", fo, lines=lines((a, 1))),
    )
    command = [sys.executable, "-m", "app.commands.ledger", "expire-holds"]
    command += ["--db", sqlite_ledger.db_url]

    now = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True, timeout=120)
    later = subprocess.run(
        [*command, "--now", "2099-01-01T00:00:00+00:00"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )

    assert "WEB-7104" not in now.stdout
    assert "WEB-7104" in later.stdout and state(sqlite_ledger, fo) == "cancelled"


def test_serve_expires_holds_on_its_own(tmp_path: Path) -> None:
    running = RunningLedger(
        f"sqlite:///{tmp_path / 'ledger.sqlite3'}", tmp_path, serve_args=("--expire-every", "0.2")
    )
    with running:
        running.seed("tiny")
        running.sql("UPDATE locations SET pickup_hold_days = 0 WHERE code = 'BLR-01'")
        a = tiny_skus(running)[34]
        fo = place_pickup(running, "WEB-7105", [(a, 1)])["fulfilment_orders"][0]["id"]
        counter = Counter(running, "BLR-01")
        counter.send(
            counter.op("pickup.pick", fo, lines=lines((a, 1))),
            counter.op("pickup.stage", fo, bin="H-02"),
            counter.op("pickup.ready", fo, lines=lines((a, 1))),
        )
        deadline = time.monotonic() + 20
        while state(running, fo) != "cancelled" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert state(running, fo) == "cancelled"
        actors = running.sql(
            "SELECT actor FROM fulfilment_events WHERE fulfilment_order_id = :f AND kind = "
            "'pickup.expire'",
            {"f": fo},
        )
        assert actors == [("ledger:expiry",)]
