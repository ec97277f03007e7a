"""A ledger one protocol version ahead serves this (older) station, over real HTTP.

The newer ledger is the real ledger app with what a later version adds to its sync
answers (tests/support/newer_ledger.py): fields on every answer and every row, a scope
this station does not know, a higher protocol number. The station syncs anyway; and when
that ledger stops serving this station's protocol, the terminal says to update it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import requests
from sqlalchemy import text

from app.services.station import Station
from app.sync.client import UpgradeNeeded
from app.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from app.ui.banner import offline_text
from app.ui.statusbar import StationStatusBar
from tests.support.counting import count_settled
from tests.support.ledger import RunningLedger
from tests.support.newer_ledger import NEW_SCOPE, NEWER, ServedLedger, serve_newer_ledger
from tests.sync.stations import enrolled_station, ledger_on_hand, sku

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot


@pytest.fixture
def newer(tmp_path: Path) -> Iterator[ServedLedger]:
    ledger = RunningLedger(f"sqlite:///{tmp_path / 'ledger.sqlite3'}", tmp_path / "ledger")
    try:
        ledger.seed("tiny")
        with serve_newer_ledger(ledger) as served:
            yield served
    finally:
        ledger.close()


@pytest.fixture
def older_station(newer: ServedLedger, tmp_path: Path) -> Iterator[Station]:
    station = enrolled_station(newer.ledger, tmp_path / "station")
    yield station
    station.close()


def _rows(station: Station, sql: str) -> list[tuple[object, ...]]:
    with station.db.reading() as session:
        return [tuple(r) for r in session.execute(text(sql))]


def _order(number: str, item_sku: str) -> dict[str, object]:
    return {
        "order_number": number,
        "channel": "web",
        "method": "pickup",
        "pickup_location": "BLR-01",
        "customer": {"name": "Asha Kumar", "phone": "+91 98450 12345", "city": "Bengaluru"},
        "lines": [{"sku": item_sku, "quantity": 1}],
    }


def test_an_older_station_syncs_with_a_newer_ledger(
    newer: ServedLedger, older_station: Station, caplog: pytest.LogCaptureFixture
) -> None:
    ledger = newer.ledger
    # enrolment took every snapshot, each page with a column this station does not keep
    items = ledger.sql("SELECT count(*) FROM items")[0][0]
    assert _rows(older_station, "SELECT count(*) FROM items") == [(items,)]
    assert _rows(older_station, "SELECT count(*) FROM stock_base") == [(50,)]
    # a count goes up; the ledger's change rows (with a new field) and a change of a
    # scope this station does not know come down
    counted = sku(ledger, 3)
    on_hand = ledger_on_hand(ledger, counted)
    count_settled(older_station.stock, None, counted, on_hand + 2)
    ledger.place_order(_order("WEB-NEWER-1", sku(ledger, 4)))
    report = older_station.sync.sync_once()
    again = older_station.sync.sync_once()
    assert (report.pushed, report.applied) == (1, 1)
    assert ledger_on_hand(ledger, counted) == on_hand + 2
    item_id = ledger.sql("SELECT id FROM items WHERE sku = :s", {"s": counted})[0][0]
    assert _rows(
        older_station,
        f"SELECT on_hand FROM stock_base WHERE item_id = {item_id} AND bucket = 'sellable'",
    ) == [(on_hand + 2,)]
    assert _rows(
        older_station, "SELECT state FROM fulfilment_orders WHERE order_number = 'WEB-NEWER-1'"
    ) == [("routed",)]
    # the unknown scope's checksum was skipped and every known one matched: no re-snapshot
    assert report.snapshots == [] and again.snapshots == []
    # logged once, when enrolment first met it; not on every round since
    said = [
        [r for r in caplog.get_records(when) if NEW_SCOPE in r.getMessage()]
        for when in ("setup", "call")
    ]
    assert [len(records) for records in said] == [1, 0]
    status = older_station.status.status()
    assert status.online and status.last_error == "" and status.pending_ops == 0


def test_a_ledger_that_no_longer_serves_this_station_says_update_this_terminal(
    newer: ServedLedger, older_station: Station, qtbot: QtBot
) -> None:
    ledger = newer.ledger
    counted = sku(ledger, 5)
    on_hand = ledger_on_hand(ledger, counted)
    count_settled(older_station.stock, None, counted, on_hand + 1)
    newer.serve_only_from(NEWER)

    with pytest.raises(UpgradeNeeded):
        older_station.sync.sync_once()
    status = older_station.status.status()
    assert status.last_error.startswith(
        "This terminal is too old for the ledger — update this terminal."
    )
    assert status.sync_blocked == "Update this terminal"
    assert status.pending_ops == 1  # the count waits here
    assert ledger_on_hand(ledger, counted) == on_hand
    bar = StationStatusBar()
    qtbot.addWidget(bar)
    bar.show_status(status)
    assert bar.sync.text() == "Update this terminal"  # not "Offline": waiting will not mend it
    assert "update this terminal" in bar.sync.toolTip()
    banner = offline_text(status)
    assert banner.startswith("This terminal is too old for the ledger — update this terminal.")
    assert "sent after the update. Keep working: 1 change waits to be sent" in banner
    assert "once that is fixed" not in banner  # the cause already says when work goes

    # the ledger's own answer (before it reads a token): 426, why, the protocol to speak
    answer = requests.get(
        f"{ledger.url}/v1/sync/pull",
        headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)},
        timeout=10,
    )
    assert answer.status_code == 426
    assert answer.json()["message"].endswith("update this terminal.")
    assert answer.headers["Upgrade"] == f"{PROTOCOL_HEADER}/{NEWER}"

    newer.serve_only_from(PROTOCOL_VERSION)  # IT lets it in again: the count goes up
    older_station.sync.sync_once()
    assert ledger_on_hand(ledger, counted) == on_hand + 1
    after = older_station.status.status()
    assert after.last_error == "" and after.sync_blocked == "" and after.pending_ops == 0
