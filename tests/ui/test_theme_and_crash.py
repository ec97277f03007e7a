"""The theme loads from resources/ (or falls back), and the crash handler logs and tells."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.ui.crash import install_crash_handler
from app.ui.theme import (
    FALLBACK_QSS,
    MIN_TOUCH_PX,
    resources_dir,
    style_sheet,
    with_bold_fallback,
)


def test_style_sheet_comes_from_the_repository_resources() -> None:
    root = resources_dir()
    assert root is not None and (root / "qss" / "counterbench.qss").is_file()
    sheet = style_sheet()
    assert f"min-height: {MIN_TOUCH_PX}px" in sheet
    assert 'QStatusBar[scan="failed"]' in sheet


def test_missing_style_sheet_falls_back(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert style_sheet(tmp_path) == FALLBACK_QSS
    assert "not found" in caplog.text


def test_semi_bold_is_drawn_bold_when_the_font_has_no_heavier_face(qtbot: QtBot) -> None:
    sheet = "QLabel { font-weight: 600; }\nQPushButton { font-weight:600 }"

    drawn = with_bold_fallback(sheet, ["A family with one regular face only"])

    # Qt draws a missing weight from the regular face only from bold (700) up
    assert drawn == "QLabel { font-weight: 700; }\nQPushButton { font-weight: 700 }"
    assert with_bold_fallback(sheet, []) == sheet


def test_crash_handler_logs_and_shows_a_dialog(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    saved = sys.excepthook, threading.excepthook
    try:
        install_crash_handler()
        try:
            raise ValueError("a bug in a slot")
        except ValueError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
        assert "ValueError: a bug in a slot" in caplog.text

        def dialog() -> QMessageBox | None:
            boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
            return next((b for b in boxes if b.isVisible()), None)

        qtbot.waitUntil(lambda: dialog() is not None)
        box = dialog()
        assert box is not None
        assert box.windowTitle() == "Unexpected problem"
        assert "a bug in a slot" in box.informativeText()
        box.close()
        box.deleteLater()
    finally:
        sys.excepthook, threading.excepthook = saved
