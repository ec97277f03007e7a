"""Staff as master data: imported with their stores, each bad row by line; a station
holds only who works there; a manager sets a PIN, and the person logs in with it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from app.services.station import Station
from tests.ledger.conftest import DeviceClient
from tests.ledger.master_support import admin, run_import, write_csv
from tests.support.ledger import RunningLedger
from tests.sync.stations import enrolled_station

HEADER = "code,name,role,store,stores,pin,badge"


def _staff_rows(changes: list[dict[str, Any]], code: str) -> list[Any]:
    """The staff change rows about ``code`` (None: a delete, made only when someone moves)."""
    return [
        c["data"]
        for c in changes
        if c["scope"] == "staff" and (c["data"] is None or c["data"]["code"] == code)
    ]


def _pin_hash(ledger: RunningLedger, code: str) -> str:
    return str(ledger.sql("SELECT pin_hash FROM staff WHERE code = :c", {"c": code})[0][0])


@pytest.fixture
def station(shared_ledger: RunningLedger, tmp_path: Path) -> Iterator[Station]:
    built = enrolled_station(shared_ledger, tmp_path / "station", location="BLR-01")
    yield built
    built.close()


def test_imported_staff_reach_only_their_stores_and_log_in_with_their_pin(
    shared_ledger: RunningLedger,
    station: Station,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    blr, mum = DeviceClient(shared_ledger, "BLR-01"), DeviceClient(shared_ledger, "MUM-01")
    cursor = blr.head()
    path = write_csv(
        tmp_path / "staff.csv",
        HEADER,
        [
            "A500,Asha Rao,associate,BLR-01,,4827,BADGE-A500",
            "L600,Ravi Kumar,lead,,BLR-01;MUM-01,6093,",
            "A501,Nowhere Man,associate,,,5831,",
            "A502,Typo Store,associate,BLR-1,,5831,",
            "A503,Easy Pin,associate,BLR-01,,1234,",
        ],
    )

    status, _, err = run_import(shared_ledger, capsys, "staff", path)
    assert status == 1 and "line 4: A501 works nowhere" in err
    assert (
        "line 5: There is no location BLR-1" in err and "line 6: pin: That PIN is too easy" in err
    )
    status, out, _ = run_import(shared_ledger, capsys, "staff", path, "--skip-bad-rows")

    assert status == 0 and "2 added" in out
    here, _ = blr.pull_all(cursor)
    there, _ = mum.pull_all(cursor)
    assert [r["role"] for r in _staff_rows(here, "A500")] == ["associate"]
    assert _staff_rows(there, "A500") == []  # MUM-01's stations never hold A500
    assert len(_staff_rows(there, "L600")) == 1 and len(_staff_rows(here, "L600")) == 1
    PasswordHasher().verify(_pin_hash(shared_ledger, "A500"), "4827")
    station.sync.sync_once()
    assert station.auth.login_pin("A500", "4827").code == "A500"


def test_a_manager_resets_a_pin_and_a_move_takes_the_person_off_the_old_store(
    shared_ledger: RunningLedger, station: Station
) -> None:
    body = {"name": "Dev Patel", "role": "associate", "store": "BLR-01"}
    assert admin(shared_ledger, "PUT", "/staff/A700", json=body).json()["outcome"] == "added"
    blr, mum = DeviceClient(shared_ledger, "BLR-01"), DeviceClient(shared_ledger, "MUM-01")

    not_manager = admin(
        shared_ledger, "POST", "/staff/A700/pin", json={"pin": "5829", "by": "L200"}
    )
    misspelt = admin(shared_ledger, "POST", "/staff/A700/pin", json={"pin": "5829", "bye": "M300"})
    easy = admin(shared_ledger, "POST", "/staff/A700/pin", json={"pin": "0000", "by": "M300"})
    done = admin(shared_ledger, "POST", "/staff/A700/pin", json={"pin": "5829", "by": "M300"})

    assert not_manager.status_code == 409 and "only a manager" in not_manager.json()["message"]
    assert misspelt.status_code == 422 and easy.status_code == 422
    assert done.status_code == 204
    PasswordHasher().verify(_pin_hash(shared_ledger, "A700"), "5829")
    station.sync.sync_once()
    assert station.auth.login_pin("A700", "5829").code == "A700"
    audit = shared_ledger.sql("SELECT actor, body FROM audit_log WHERE action = 'staff.pin_set'")
    assert ("M300", True) in [(actor, "A700" in b and "5829" not in b) for actor, b in audit]

    cursor = blr.head()
    moved = admin(shared_ledger, "PUT", "/staff/A700", json={**body, "store": "MUM-01"})
    assert moved.json()["outcome"] == "changed"
    here, _ = blr.pull_all(cursor)
    there, _ = mum.pull_all(cursor)
    assert _staff_rows(here, "A700") == [None]  # deleted at the old store
    assert [r["code"] for r in _staff_rows(there, "A700")] == ["A700"]
