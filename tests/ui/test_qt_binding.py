"""The Qt binding in use does not corrupt reference counts when signals are emitted.

PySide6 6.12.0 drops a reference to ``True`` on every ``Signal.emit``; on Python 3.11
(where ``True`` is not immortal) a terminal aborts after a few thousand emits.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot


class _Sender(QObject):
    happened = Signal(object)


def test_emit_keeps_reference_counts(qtbot: QtBot) -> None:
    sender = _Sender()
    heard: list[object] = []
    sender.happened.connect(heard.append)
    before = sys.getrefcount(True)
    for i in range(50):
        sender.happened.emit(i)
    assert len(heard) == 50
    assert sys.getrefcount(True) >= before, "this PySide6 release leaks True on emit; pin another"
