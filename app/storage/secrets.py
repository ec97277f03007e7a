"""A station's secrets (its device token, its pepper) in the OS keyring, else a 0600 file.

The keyring (``keyring``: Windows Credential Manager, macOS Keychain, Secret Service on
Linux) keeps a secret out of the data folder, so a copied folder or cache file carries
no token and no pepper. Where no keyring backend is usable (a kiosk session without
D-Bus, a service account, CI) each secret is a file of its own name in the data folder,
mode 0600; ``PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring`` chooses the file on
purpose (the tests do).

Entries are named by a random id kept in the data folder (``keyring-id``), not by the
folder's path: two stations on one PC never share a secret, and a moved folder finds
its own. A secret found in a file while the keyring works (a station set up before the
keyring was used) moves into the keyring and the file goes.
"""

from __future__ import annotations

import os
import secrets as random
from pathlib import Path

import keyring
from keyring.backends import fail

from app import log
from app.storage.files import PRIVATE_FILE, private_folder

SERVICE = "counterbench"
ID_FILE = "keyring-id"

_log = log.get("storage")


class StationSecrets:
    """Named secrets of the station whose data folder is ``data_dir``."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def get(self, name: str) -> str | None:
        """The secret ``name``, or None when there is none."""
        station = self._station_id(create=False)
        if station is not None:
            found = _keyring_get(f"{station}/{name}")
            if found is not None:
                return found or None
        value = _read(self.data_dir / name)
        if value is not None and self._to_keyring(name, value):
            (self.data_dir / name).unlink(missing_ok=True)
        return value

    def put(self, name: str, value: str) -> str:
        """Keep ``value`` as ``name``; returns where: ``"keyring"`` or ``"file"``."""
        if self._to_keyring(name, value):
            (self.data_dir / name).unlink(missing_ok=True)
            return "keyring"
        write_private(self.data_dir / name, value)
        return "file"

    def _to_keyring(self, name: str, value: str) -> bool:
        if not keyring_usable():
            return False
        station = self._station_id(create=True)
        try:
            keyring.set_password(SERVICE, f"{station}/{name}", value)
        except Exception as exc:  # any backend failure (locked, D-Bus gone): use the file
            _log.warning("the keyring did not take %s (%s): kept in a 0600 file", name, exc)
            return False
        return True

    def _station_id(self, *, create: bool) -> str | None:
        path = self.data_dir / ID_FILE
        found = _read(path)
        if found is None and create:
            found = random.token_hex(16)
            write_private(path, found)
        return found


def keyring_usable() -> bool:
    """Whether a keyring backend other than keyring's "none available" one is chosen."""
    try:
        return not isinstance(keyring.get_keyring(), fail.Keyring)
    except Exception as exc:  # a broken keyring configuration: use files
        _log.warning("no keyring backend is usable (%s): secrets are kept in 0600 files", exc)
        return False


def _keyring_get(username: str) -> str | None:
    if not keyring_usable():
        return None
    try:
        return keyring.get_password(SERVICE, username)
    except Exception as exc:  # any backend failure means: look in the file instead
        _log.warning("the keyring could not be read (%s): looking for a 0600 file", exc)
        return None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, mode 0600, atomically and durably: a reader sees the
    old text or the new one, never part of one."""
    private_folder(path.parent)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        os.write(fd, text.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, PRIVATE_FILE)
    os.replace(tmp, path)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no directory fsync)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


PEPPER = "pepper"


def station_pepper(data_dir: Path) -> bytes:
    """The station's pepper for staff hashes (made on first use, kept as a secret)."""
    kept = StationSecrets(data_dir)
    found = kept.get(PEPPER)
    if found is not None:
        try:
            return bytes.fromhex(found)
        except ValueError:
            _log.error("the station's pepper is damaged: a new one is made")
    pepper = random.token_bytes(32)
    kept.put(PEPPER, pepper.hex())
    return pepper
