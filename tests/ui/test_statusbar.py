"""The status bar tells why sync is paused and counts ages from the status's own time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pytestqt.qtbot import QtBot

from app.services.results import StationStatus
from app.ui.banner import offline_text
from app.ui.statusbar import StationStatusBar

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def _status(**changes: object) -> StationStatus:
    base: dict[str, object] = dict(
        enrolled=True, location_code="BLR-01", location_name="Koramangala", station_name="C1",
        station_kind="counter", online=True, pending_ops=0, oldest_pending_age_s=None,
        last_sync_at=NOW - timedelta(minutes=3), cursor=5, open_exceptions=0, last_error="",
        as_of=NOW,
    )  # fmt: skip
    return StationStatus(**{**base, **changes})  # type: ignore[arg-type]


def test_a_sync_note_shows_briefly_and_in_full_as_the_tooltip(qtbot: QtBot) -> None:
    bar = StationStatusBar()
    qtbot.addWidget(bar)
    bar.show_status(_status(sync_note="another Counterbench process is syncing this station"))
    assert bar.sync.text() == "Online, sync paused"
    assert bar.sync.toolTip() == "Another Counterbench process is syncing this station"
    assert bar.dot.toolTip() == bar.sync.toolTip()

    bar.show_status(_status(online=False, last_error="The ledger cannot be reached."))
    assert bar.sync.text() == "Offline"
    assert bar.sync.toolTip() == "Last problem: The ledger cannot be reached."


def test_ages_count_from_when_the_status_was_read(qtbot: QtBot) -> None:
    bar = StationStatusBar()
    qtbot.addWidget(bar)
    bar.show_status(_status())
    assert bar.last_sync.text() == "Last sync 3 min ago"
    bar.show_status(_status(), NOW + timedelta(hours=1))
    assert bar.last_sync.text() == "Last sync 1 h 3 min ago"


def test_the_offline_banner_says_what_waits_and_since_when() -> None:
    assert offline_text(_status()) == ""
    one = offline_text(_status(online=False, pending_ops=1, oldest_pending_age_s=125.0))
    assert one == (
        "Offline: this terminal cannot reach the stock ledger. Keep working: 1 change waits "
        "to be sent, the oldest for 2 min; they go once it is back online."
    )
    assert offline_text(_status(online=False)).endswith(
        "what you do is saved here and sent once it is back online."
    )
    assert offline_text(_status(online=False, enrolled=False)) == ""
