"""The clock warning reads whole in the status bar at 1024 and 1366 px, beside a status
at its longest (offline, sync paused, many waiting, exceptions open)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.services.results import StaffSession, StationStatus
from tests.ui.conftest import Shell
from tests.ui.test_window_fit import SIZES, cut_items, opened

TWO_DAYS_BEHIND = -timedelta(days=2, hours=5).total_seconds()


def _longest(clock_skew_s: float | None) -> StationStatus:
    return StationStatus(
        enrolled=True, location_code="BLR-01", location_name="Bengaluru Koramangala",
        station_name="Counter 1 by the door", station_kind="counter", online=False,
        pending_ops=128, oldest_pending_age_s=7_500.0, last_sync_at=None, cursor=5,
        open_exceptions=12, last_error="", sync_note="another process syncs",
        clock_skew_s=clock_skew_s,
    )  # fmt: skip


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_the_clock_warning_reads_whole_beside_the_longest_status(
    qtbot: QtBot, shell: Shell, size: QSize
) -> None:
    window = shell.window
    opened(qtbot, shell, size)
    qtbot.waitUntil(lambda: window.last_status is not None)
    status = window.status
    status.show_staff(StaffSession(1, "L200", "Lakshmi Nair", "lead", datetime.now(UTC)))

    status.show_status(_longest(TWO_DAYS_BEHIND))
    QApplication.processEvents()

    assert window.size() == size
    assert cut_items(status) == []
    assert status.clock.isVisible()
    assert status.clock.text() in (
        "This terminal's clock is 2 days behind — ask IT to set the time",
        "Clock 2 days behind — ask IT",
    )
    if size.width() == 1366:  # room for it all once the station and staff names leave
        assert status.clock.text().startswith("This terminal's clock")
    else:  # shorter, and the last sync steps aside for it
        assert status.clock.text() == "Clock 2 days behind — ask IT"
        assert not status.last_sync.isVisible()
    shown = [w.text() for w in (status.sync, status.pending, status.exceptions)]
    assert shown == ["Offline, sync paused", "128 to send, oldest 2 h 5 min", "12 exceptions"]

    status.show_status(_longest(90.0))  # a minute and a half: nothing to say
    QApplication.processEvents()
    assert not status.clock.isVisible()
