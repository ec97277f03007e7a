"""A retailer that asks for 6-digit PINs: the login screen takes 6 digits and says so
when fewer are typed; the demo's 4-digit PINs are refused before any check."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from pytestqt.qtbot import QtBot

from app.services.security_settings import SecuritySettings, save_security
from app.services.station import Station, build_station
from app.sync import mirror
from app.sync.protocol import Scope
from tests.ui.conftest import open_shell, type_keys


@pytest.fixture
def six_digit_station(enrolled_template: Path, tmp_path: Path) -> Iterator[Station]:
    path = tmp_path / "station"
    shutil.copytree(enrolled_template, path)
    save_security(path, SecuritySettings(pin_digits=6))
    built = build_station(path)
    row = {"id": 900, "code": "S600", "name": "Sita Rao", "role": "associate", "active": 1}
    row |= {"pin_hash": PasswordHasher(time_cost=1, memory_cost=8192).hash("246810")}
    row |= {"badge_hash": ""}
    with built.db.raw_reader() as conn, conn:
        conn.execute("BEGIN IMMEDIATE")
        mirror.apply_changes(conn, [(Scope.STAFF, "900", row)])
    yield built
    built.close()


def test_six_digit_pins(qtbot: QtBot, six_digit_station: Station) -> None:
    with open_shell(qtbot, six_digit_station) as shell:
        login = shell.window.login
        assert login.pin_field.placeholderText() == "Type or tap your 6-digit PIN"
        type_keys(qtbot, "A100")
        type_keys(qtbot, "1111")  # a demo PIN: four digits
        assert login.message.tone() == "error"
        assert login.message.text() == "A PIN here has 6 digits: type all 6."
        assert shell.window.staff() is None
        login.pin_field.clear()
        login.code_field.clear()
        login.code_field.setFocus()
        type_keys(qtbot, "S600")
        type_keys(qtbot, "2468109")  # the seventh digit is not taken
        qtbot.waitUntil(lambda: shell.window.staff() is not None)
        staff = shell.window.staff()
        assert staff is not None and staff.code == "S600"
