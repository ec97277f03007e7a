"""Station secrets: the OS keyring when one is usable, else a 0600 file in the data folder.

The tests run with keyring's "none available" backend (tests/conftest.py), so the file
fallback is what every other test uses; here a real file-backed ``keyring`` backend
stands in for the OS keyring.
"""

from __future__ import annotations

from pathlib import Path

from app.storage import device
from app.storage.engine import Database
from app.storage.files import mode_of
from app.storage.secrets import PEPPER, SERVICE, StationSecrets, keyring_usable, station_pepper
from tests.support.keyring_file import file_keyring


def test_without_a_keyring_secrets_are_0600_files(tmp_path: Path) -> None:
    assert not keyring_usable()
    assert StationSecrets(tmp_path).put("device-token", "tok-1") == "file"
    assert (tmp_path / "device-token").read_text() == "tok-1"
    assert mode_of(tmp_path / "device-token") == 0o600
    assert StationSecrets(tmp_path).get("device-token") == "tok-1"
    assert StationSecrets(tmp_path / "nowhere").get("device-token") is None
    assert not (tmp_path / "nowhere").exists()


def test_with_a_keyring_the_token_and_pepper_leave_the_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "station"
    with file_keyring(tmp_path / "keyring.json") as backend:
        assert keyring_usable()
        device.write_token(data, "tok-1")
        db = Database(data / "station.sqlite3")
        db.dispose()
        entries = backend.entries()
        assert device.read_token(data) == "tok-1"
        assert station_pepper(data) == db.pepper
    assert sorted(k.split("/")[-1] for k in entries) == ["device-token", "pepper"]
    assert all(k.startswith(f"{SERVICE}|") for k in entries)
    assert "tok-1" in entries.values() and db.pepper.hex() in entries.values()
    left = {p.name for p in data.iterdir()}
    assert "device-token" not in left and PEPPER not in left
    assert not any(b"tok-1" in p.read_bytes() for p in data.iterdir() if p.is_file())


def test_two_stations_on_one_pc_keep_their_own_secrets(tmp_path: Path) -> None:
    with file_keyring(tmp_path / "keyring.json"):
        device.write_token(tmp_path / "one", "tok-one")
        device.write_token(tmp_path / "two", "tok-two")
        assert device.read_token(tmp_path / "one") == "tok-one"
        assert device.read_token(tmp_path / "two") == "tok-two"
        moved = tmp_path / "moved"
        (tmp_path / "one").rename(moved)
        assert device.read_token(moved) == "tok-one"  # named by id, not by path


def test_a_token_file_from_before_moves_into_the_keyring(tmp_path: Path) -> None:
    device.write_token(tmp_path, "old-token")  # no keyring yet: a 0600 file
    assert (tmp_path / device.TOKEN_FILE).exists()
    with file_keyring(tmp_path / "keyring.json") as backend:
        assert device.read_token(tmp_path) == "old-token"
        assert not (tmp_path / device.TOKEN_FILE).exists()
        assert "old-token" in backend.entries().values()
        assert device.read_token(tmp_path) == "old-token"


def test_a_keyring_that_refuses_leaves_the_secret_in_a_0600_file(tmp_path: Path) -> None:
    """A locked keyring (a kiosk session nobody unlocked) must not lose the token."""
    with file_keyring(tmp_path / "keyring.json") as backend:
        backend.path = tmp_path / "no-such-folder" / "keyring.json"  # every write fails
        assert StationSecrets(tmp_path / "station").put("device-token", "tok-1") == "file"
        assert mode_of(tmp_path / "station" / "device-token") == 0o600
        assert device.read_token(tmp_path / "station") == "tok-1"
