"""A batch pick walks the ledger's shelf bins: stored as a sync stores them
(``mirror.apply_changes`` on the ``shelf_bins`` scope) into a real cache file, the walk
goes by those bins in walking order, a short sends the picker to the item's overflow bin
from the ledger, and the stand-in planogram is not used."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from app.services.station import Station
from app.storage import shelf_bins
from app.storage.engine import raw_connection
from app.sync import mirror
from app.sync.protocol import Scope
from tests.services.shipping.test_batch_pick import FIVE, _ops, _stop, _store

# (ledger id, item, bin, rank): item 1 at home in A-02-1 with overflow Z-12-1
PLANOGRAM = [(11, 1, "A-02-1", 1), (12, 1, "Z-12-1", 2), (13, 2, "B-01-1", 1),
             (14, 3, "A-01-1", 1), (15, 5, "C-01-1", 1)]  # fmt: skip


@pytest.fixture
def staff(station: Station) -> Any:
    return station.auth.session_for("A100")


def _pull_planogram(station: Station) -> None:
    """Store the ledger's bins as a pull does."""
    changes = [
        (Scope.SHELF_BINS, str(key), {"id": key, "item_id": item, "bin_code": code,
                                      "sort_order": rank})
        for key, item, code, rank in PLANOGRAM
    ]  # fmt: skip
    with station.db.writing() as session:
        mirror.apply_changes(raw_connection(session), changes)


def _held(station: Station) -> list[tuple[int, str, int]]:
    with station.db.reading() as session:
        rows = raw_connection(session).execute(
            "SELECT item_id, bin_code, units FROM shelf_bins ORDER BY item_id, sort_order"
        )
        return [(int(i), str(b), int(u)) for i, b, u in rows]


def test_a_batch_pick_walks_the_ledgers_bins_in_walking_order(station: Station, staff: Any) -> None:
    _store(station, FIVE)
    _pull_planogram(station)
    # 10 sellable of each: all in the home bin; no stand-in bins for the other items
    assert _held(station) == [
        (1, "A-02-1", 10), (1, "Z-12-1", 0), (2, "B-01-1", 10), (3, "A-01-1", 10),
        (5, "C-01-1", 10),
    ]  # fmt: skip

    view = station.batch_pick.start(staff, count=10)
    visited: list[tuple[str, str]] = []
    while view.current is not None:
        stop = (view.current.bin_code, view.current.sku)
        if stop not in visited:
            visited.append(stop)
        view = _stop(station, view, staff)

    assert view.done and visited == [
        ("A-01-1", "SKU-0003"), ("A-02-1", "SKU-0001"), ("B-01-1", "SKU-0002"),
        ("C-01-1", "SKU-0005"),
    ]  # fmt: skip
    assert {x["bin"] for _, p in _ops(station) for x in p["lines"]} == {
        "A-01-1", "A-02-1", "B-01-1", "C-01-1"
    }  # fmt: skip


def test_a_short_at_home_is_sent_to_the_overflow_bin_the_ledger_gave(
    station: Station, staff: Any
) -> None:
    _store(station, FIVE)
    _pull_planogram(station)
    with station.db.writing() as session:  # a put-back filled the overflow bin
        shelf_bins.move(raw_connection(session), 1, "A-02-1", -5)
        shelf_bins.move(raw_connection(session), 1, "Z-12-1", 5)

    view = station.batch_pick.start(staff, marked=[1, 2])  # item 1: 2 for T01, 1 for T02
    view = _stop(station, view, staff)  # item 3 from A-01-1
    assert view.current is not None and view.current.bin_code == "A-02-1"
    station.batch_pick.scan(staff, "A-02-1")
    view = station.batch_pick.short(staff, 2)

    assert "Bin A-02-1 had 2 of 3" in view.said and "Take 1 more from bin Z-12-1 next" in view.said
    view = _stop(station, view, staff)
    assert view.current is not None and view.current.bin_code == "Z-12-1"
    view = _stop(station, view, staff)
    assert view.done and not view.to_reject
    lines = [(x["bin"], x["quantity"]) for _, p in _ops(station) for x in p["lines"]]
    assert lines == [("A-01-1", 1), ("A-02-1", 2), ("Z-12-1", 1)]


def test_the_stand_in_fills_only_without_the_ledgers_bins_and_gives_way_to_them(
    station: Station, staff: Any, caplog: pytest.LogCaptureFixture
) -> None:
    _store(station, FIVE)
    with caplog.at_level(logging.INFO, logger="counterbench.shipping"):
        view = station.batch_pick.start(staff, marked=[2])
    assert view.current is not None and view.current.bin_code == "A-01-1"  # the stand-in's
    assert [r.message for r in caplog.records if "stand-in" in r.message] == [
        "the ledger has no shelf bins for this location: using the stand-in planogram"
    ]
    assert len(_held(station)) > 5  # every catalog item got a made-up bin

    _pull_planogram(station)

    assert [(i, b) for i, b, _ in _held(station)] == [
        (1, "A-02-1"), (1, "Z-12-1"), (2, "B-01-1"), (3, "A-01-1"), (5, "C-01-1"),
    ]  # fmt: skip
