"""The idle watch warns before it logs out: a countdown that any key cancels."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from app.ui.idle import IdleWatch


def test_the_countdown_warns_then_times_out_and_a_key_cancels_it(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    field = QLineEdit()
    qtbot.addWidget(field)
    watch = IdleWatch(4.0, warn_s=2.0)
    watch.install(app)
    left: list[int] = []
    stayed: list[bool] = []
    timed_out: list[bool] = []
    watch.warning.connect(left.append)
    watch.stayed.connect(lambda: stayed.append(True))
    watch.timed_out.connect(lambda: timed_out.append(True))
    try:
        watch.arm()
        qtbot.waitUntil(watch.is_warning, timeout=5_000)
        assert left == [2] and not timed_out
        qtbot.keyClick(field, Qt.Key.Key_A)  # any key: the person stays
        assert stayed == [True] and not watch.is_warning() and watch.is_armed()
        assert field.text() == "a", "the key that cancels does its usual work too"

        qtbot.waitUntil(lambda: timed_out == [True], timeout=8_000)
        assert left[-2:] == [2, 1], "it counts the seconds down"
        assert not watch.is_armed() and not watch.is_warning()
        assert stayed == [True]

        watch.arm(warn=False)  # at the login screen: no countdown
        qtbot.waitUntil(lambda: timed_out == [True, True], timeout=8_000)
        assert left[-1] == 1 and len(left) == 3
    finally:
        watch.disarm()
        app.removeEventFilter(watch)


def test_input_before_the_warning_moves_the_warning_later(qtbot: QtBot) -> None:
    """The timers look at the last input when they fire: a key during the quiet part
    starts the idle time again from that key."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    field = QLineEdit()
    qtbot.addWidget(field)
    watch = IdleWatch(2.0, warn_s=1.0)  # 1 s quiet, then 1 s of warning
    watch.install(app)
    warned_at: list[float] = []
    watch.warning.connect(lambda _left: warned_at.append(time.monotonic()))
    try:
        watch.arm()
        qtbot.wait(500)  # the pause is the case: a key halfway through the quiet second
        key_at = time.monotonic()
        qtbot.keyClick(field, Qt.Key.Key_A)
        assert not warned_at, "the key came in the quiet part"
        qtbot.waitUntil(lambda: bool(warned_at), timeout=5_000)
        assert warned_at[0] - key_at >= 1.0, "the quiet second counts from the last key"
    finally:
        watch.disarm()
        app.removeEventFilter(watch)
