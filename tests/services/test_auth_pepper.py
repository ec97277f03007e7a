"""A copied cache file alone cannot be attacked: its staff hashes are peppered with a key
kept outside it (the keyring, or the 0600 fallback file the tests use)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from app.config import SessionSettings
from app.domain.badges import salted_badge_hash
from app.errors import LoginFailed
from app.services.auth import AuthService
from app.services.security_settings import SecuritySettings, save_security
from app.services.station import Station, build_station
from app.storage.engine import Database
from app.storage.secrets import PEPPER
from app.sync import mirror
from app.sync.protocol import Scope
from tests.services.conftest import Clock
from tests.storage.seed import seed

LEDGER_HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


def staff_rows(db: Database) -> dict[str, tuple[str, str]]:
    with sqlite3.connect(db.path) as conn:
        rows = conn.execute("SELECT code, pin_hash, badge_hash FROM staff").fetchall()
    return {code: (pin, badge) for code, pin, badge in rows}


def put_staff(db: Database, code: str, pin_hash: str, badge_hash: str, id_: int = 9) -> None:
    """Write one staff row the way a pull does (the mirror's executemany path)."""
    row = {"id": id_, "code": code, "name": code, "role": "lead"}
    row |= {"pin_hash": pin_hash, "badge_hash": badge_hash, "active": 1}
    with db.raw_reader() as conn, conn:
        conn.execute("BEGIN IMMEDIATE")
        mirror.apply_changes(conn, [(Scope.STAFF, str(id_), row)])


def test_the_cache_keeps_no_hash_the_ledger_sent(station: Station) -> None:
    ledger_pin = LEDGER_HASHER.hash("4321")
    ledger_badge = salted_badge_hash("BADGE-X9")
    put_staff(station.db, "X9", ledger_pin, ledger_badge)
    pin_hash, badge_hash = staff_rows(station.db)["X9"]
    assert pin_hash.startswith("pepper1$") and badge_hash.startswith("pepper1$")
    assert ledger_pin.rsplit("$", 1)[1] not in pin_hash  # the argon2 output is gone
    assert ledger_badge.rsplit("$", 1)[1] not in badge_hash
    for name in ("station.sqlite3", "station.sqlite3-wal"):  # nor left in free space
        raw = (station.db.path.parent / name).read_bytes()
        assert ledger_pin.rsplit("$", 1)[1].encode() not in raw
        assert ledger_badge.rsplit("$", 1)[1].encode() not in raw
    assert station.auth.login_pin("X9", "4321").code == "X9"
    assert station.auth.login_badge("BADGE-X9").code == "X9"
    assert all(p.startswith("pepper1$") for p, _ in staff_rows(station.db).values())


def test_a_copied_cache_without_the_pepper_checks_no_pin(
    station: Station, clock: Clock, tmp_path: Path
) -> None:
    """The cache copied elsewhere (without the keyring entry) holds hashes that match
    no PIN and no badge: the right PIN fails just like any other."""
    station.close()
    thief = tmp_path / "copy"
    thief.mkdir()
    shutil.copy(station.db.path, thief / "station.sqlite3")
    assert not (thief / PEPPER).exists()
    db = Database(thief / "station.sqlite3", migrate=False)
    try:
        auth = AuthService(db=db, clock=clock)
        stolen = staff_rows(db)["A100"][0]
        assert not auth.pin_matches(stolen, "1111")
        with pytest.raises(LoginFailed):
            auth.login_badge("BADGE-A100")
    finally:
        db.dispose()


def test_a_lost_pepper_drops_the_staff_so_the_next_sync_fetches_them(
    station: Station, tmp_path: Path
) -> None:
    """The keyring entry was lost: rows peppered with the old key can never match again,
    so the cache forgets them (the staff checksum then differs and sync re-takes staff)."""
    station.close()
    (tmp_path / "station" / PEPPER).unlink()
    again = build_station(tmp_path / "station")
    try:
        assert staff_rows(again.db) == {}
        with pytest.raises(LoginFailed):
            again.auth.login_pin("A100", "1111")
    finally:
        again.close()


def test_a_cache_from_before_peppering_is_peppered_on_open(tmp_path: Path) -> None:
    db = Database(tmp_path / "station.sqlite3")
    seed(db)
    db.dispose()
    old_pin, old_badge = LEDGER_HASHER.hash("2468"), "ab" * 32  # unsalted sha256, as before
    with sqlite3.connect(tmp_path / "station.sqlite3") as conn:  # no trigger on this one
        conn.execute(
            "UPDATE staff SET pin_hash = ?, badge_hash = ? WHERE code = 'L200'",
            (old_pin, old_badge),
        )
    assert staff_rows(db)["L200"] == (old_pin, old_badge)
    reopened = Database(tmp_path / "station.sqlite3")
    try:
        assert all(h.startswith("pepper1$") for h in staff_rows(reopened)["L200"])
        old_bytes = old_pin.rsplit("$", 1)[1].encode()
        assert not [p.name for p in tmp_path.iterdir() if old_bytes in p.read_bytes()]
        assert AuthService(db=reopened, clock=Clock()).login_pin("L200", "2468").code == "L200"
    finally:
        reopened.dispose()


def test_unsalted_badges_from_an_older_ledger_still_log_in(station: Station) -> None:
    import hashlib

    put_staff(station.db, "OLD1", LEDGER_HASHER.hash("1357"), hashlib.sha256(b"B-OLD").hexdigest())
    assert station.auth.login_badge("B-OLD").code == "OLD1"
    with pytest.raises(LoginFailed, match="badge"):
        station.auth.login_badge("B-OLD2")


def test_six_digit_pins_when_the_retailer_asks(tmp_path: Path, clock: Clock) -> None:
    data = tmp_path / "station"
    save_security(data, SecuritySettings(pin_digits=6))
    station = build_station(data, clock=clock)
    try:
        seed(station.db)
        put_staff(station.db, "S6", LEDGER_HASHER.hash("135790"), "")
        assert station.auth.pin_digits == 6
        with pytest.raises(LoginFailed, match="A PIN here has 6 digits") as refused:
            station.auth.login_pin("A100", "1111")
        assert refused.value.next_step == "Enter all 6 digits of your PIN."
        assert station.auth.login_pin("S6", "135790").code == "S6"
        for _ in range(6):  # a short PIN is refused before any check: never a lockout
            with pytest.raises(LoginFailed, match="6 digits"):
                station.auth.login_pin("S6", "1357")
        assert station.auth.login_pin("S6", "135790").code == "S6"
    finally:
        station.close()


def test_four_digit_pins_by_default(station: Station) -> None:
    assert station.auth.pin_digits == 4
    with pytest.raises(LoginFailed, match="A PIN here has 4 digits"):
        station.auth.login_pin("A100", "111111")
    settings = SessionSettings(pin_digits=6)
    assert AuthService(db=station.db, clock=Clock(), settings=settings).pin_digits == 6
