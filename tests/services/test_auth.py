"""PIN and badge log-in, checked offline, with a lockout that survives a restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import LoginFailed, RuleRefused
from app.services.auth import AuthService, require_role
from app.services.station import Station, build_station
from tests.services.conftest import Clock


def test_right_pin_logs_in_with_role(station: Station) -> None:
    session = station.auth.login_pin("a100", "1111")
    assert (session.code, session.name, session.role) == ("A100", "Asha Rao", "associate")


def test_wrong_pin_and_unknown_code_fail(station: Station) -> None:
    with pytest.raises(LoginFailed, match="Wrong staff code or PIN"):
        station.auth.login_pin("A100", "9999")
    with pytest.raises(LoginFailed):
        station.auth.login_pin("Z999", "1111")


def test_five_failures_lock_for_five_minutes_even_after_restart(
    station: Station, clock: Clock, tmp_path: Path
) -> None:
    for _ in range(5):
        with pytest.raises(LoginFailed):
            station.auth.login_pin("L200", "0000")
    with pytest.raises(LoginFailed, match="locked"):
        station.auth.login_pin("L200", "2222")  # even the right PIN
    station.close()
    restarted = build_station(tmp_path / "station", clock=clock)
    try:
        with pytest.raises(LoginFailed, match="locked"):
            restarted.auth.login_pin("L200", "2222")
        assert restarted.auth.login_pin("M300", "3333").role == "manager"  # others unaffected
        clock.advance(301)
        assert restarted.auth.login_pin("L200", "2222").code == "L200"
    finally:
        restarted.close()


def test_a_success_resets_the_failure_count(station: Station) -> None:
    for _ in range(4):
        with pytest.raises(LoginFailed):
            station.auth.login_pin("A100", "0000")
    station.auth.login_pin("A100", "1111")
    for _ in range(4):
        with pytest.raises(LoginFailed, match="tries left"):
            station.auth.login_pin("A100", "0000")
    assert station.auth.login_pin("A100", "1111").code == "A100"


def test_badge_logs_in(station: Station) -> None:
    assert station.auth.login_badge("BADGE-M300").code == "M300"
    with pytest.raises(LoginFailed, match="badge"):
        station.auth.login_badge("BADGE-NOBODY")


def test_staff_codes_and_roles(station: Station) -> None:
    assert station.auth.staff_codes() == [
        ("A100", "Asha Rao"),
        ("L200", "Lakshmi Iyer"),
        ("M300", "Mohan Das"),
    ]
    associate = station.auth.login_pin("A100", "1111")
    with pytest.raises(RuleRefused, match="lead"):
        require_role(associate, "lead")
    require_role(station.auth.login_pin("M300", "3333"), "lead")


def test_a_lockout_recorded_during_a_pin_check_wins(station: Station, clock: Clock) -> None:
    """Another window locks A100 while this log-in's (slow) PIN check runs: the right
    PIN is refused, and the lockout is not cleared."""
    locked_meanwhile: list[bool] = []

    def check_while_others_fail(pin_hash: str | None, pin: str) -> bool:
        if not locked_meanwhile:
            locked_meanwhile.append(True)
            for _ in range(5):
                with pytest.raises(LoginFailed):
                    station.auth.login_pin("A100", "0000")
        return station.auth.pin_matches(pin_hash, pin)

    racing = AuthService(db=station.db, clock=clock, pin_check=check_while_others_fail)
    with pytest.raises(LoginFailed, match="locked"):
        racing.login_pin("A100", "1111")
    assert locked_meanwhile
    with pytest.raises(LoginFailed, match="locked"):
        station.auth.login_pin("A100", "1111")  # still locked: nothing cleared it
    clock.advance(301)
    assert station.auth.login_pin("A100", "1111").code == "A100"
