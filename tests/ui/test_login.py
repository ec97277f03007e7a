"""Login by staff code and PIN (keys or keypad) or badge scan; wrong PIN; lockout; idle."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.station import Station
from app.ui.login import keypad_buttons
from app.ui.screens.stock_lookup import StockLookupScreen
from tests.ui.conftest import Shell, log_in, open_shell, scan, type_keys


def test_login_by_keys(qtbot: QtBot, shell: Shell) -> None:
    window = shell.window
    log_in(qtbot, shell, "A100", "1111")
    staff = window.staff()
    assert staff is not None
    assert staff.code == "A100"
    assert window.pages.currentIndex() == 1, "the workspace shows after login"
    assert window.current_screen() is window.screens[0]
    assert "Arjun Rao" in window.status.staff.text()
    assert window.login.pin_field.text() == "", "the PIN does not stay on screen"


def test_login_with_the_keypad(qtbot: QtBot, shell: Shell) -> None:
    login = shell.window.login
    type_keys(qtbot, "L200")
    qtbot.waitUntil(lambda: login.staff_name.text() == "Lakshmi Nair")
    keys = keypad_buttons(login)
    for key in "2229":
        qtbot.mouseClick(keys[key], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(keys["⌫"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(keys["2"], Qt.MouseButton.LeftButton)
    assert login.pin_field.text() == "2222"
    qtbot.mouseClick(login.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shell.window.staff() is not None)
    staff = shell.window.staff()
    assert staff is not None
    assert staff.role == "lead"


def test_login_by_badge_scan(qtbot: QtBot, shell: Shell) -> None:
    scan(qtbot, shell, "BADGE-A100")
    qtbot.waitUntil(lambda: shell.window.staff() is not None)
    staff = shell.window.staff()
    assert staff is not None
    assert staff.code == "A100"
    assert shell.window.feedback.last == "ok"


def test_unknown_badge_says_so(qtbot: QtBot, shell: Shell) -> None:
    scan(qtbot, shell, "BADGE-Z999")
    login = shell.window.login
    qtbot.waitUntil(lambda: login.message.tone() == "error")
    assert "badge is not known" in login.message.text()
    assert shell.window.feedback.last == "failed"
    assert shell.window.staff() is None


def test_wrong_pin_is_told_plainly(qtbot: QtBot, shell: Shell) -> None:
    login = shell.window.login
    type_keys(qtbot, "A100")
    type_keys(qtbot, "9999")
    qtbot.waitUntil(lambda: login.message.tone() == "error")
    assert "Wrong staff code or PIN." in login.message.text()
    assert "tries left" in login.message.text()
    assert shell.window.staff() is None
    assert login.pin_field.text() == "" and login.pin_field.hasFocus()


def test_lockout_after_repeated_wrong_pins(qtbot: QtBot, shell: Shell) -> None:
    login = shell.window.login
    type_keys(qtbot, "A100")
    for _ in range(5):
        login.message.clear_message()
        type_keys(qtbot, "0000")
        qtbot.waitUntil(lambda: login.message.tone() == "error")
    assert "locked" in login.message.text()
    login.message.clear_message()
    type_keys(qtbot, "1111")  # the right PIN does not help while locked
    qtbot.waitUntil(lambda: login.message.tone() == "error")
    assert "locked" in login.message.text()
    assert shell.window.staff() is None


def test_idle_logout_returns_to_login(qtbot: QtBot, station: Station) -> None:
    with open_shell(qtbot, station, idle_s=0.3) as shell:
        log_in(qtbot, shell)
        assert shell.idle.is_armed()
        qtbot.waitUntil(lambda: shell.window.staff() is None, timeout=5_000)
        window = shell.window
        assert window.pages.currentWidget() is window.login
        assert "logged out" in window.login.message.text()
        assert "Nobody" in window.status.staff.text()
        assert shell.idle.is_armed() and not shell.idle.is_warning()  # no countdown here


def test_the_login_screen_forgets_what_was_typed_and_said_when_idle(
    qtbot: QtBot, station: Station
) -> None:
    """A wrong PIN's message (or a lockout's) and a half-typed staff code are not left
    for the next person at the counter."""
    with open_shell(qtbot, station, idle_s=0.5) as shell:
        login = shell.window.login
        type_keys(qtbot, "A100")
        type_keys(qtbot, "9999")
        qtbot.waitUntil(lambda: login.message.tone() == "error")
        assert "Wrong staff code or PIN." in login.message.text()
        qtbot.waitUntil(lambda: login.message.isHidden(), timeout=5_000)
        assert (login.code_field.text(), login.staff_name.text()) == ("", "")
        assert login.code_field.hasFocus()
        assert not shell.window.idle_banner.isVisible()


def test_log_out_key_returns_to_login(qtbot: QtBot, shell: Shell) -> None:
    log_in(qtbot, shell)
    stock = shell.window.screens[0]
    assert isinstance(stock, StockLookupScreen)
    qtbot.keyClick(stock.search, Qt.Key.Key_F12)
    assert shell.window.staff() is None
    assert shell.window.login.code_field.hasFocus()
