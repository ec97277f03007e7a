"""The station's data folder is private: the folder 0700, every file in it 0600.

The folder holds the cache (staff PIN and badge hashes, orders with customer phone
numbers), the device token when no keyring is usable, settings and logs. Anyone else
with an account on a shop PC must not read any of it.

Two halves, both needed:

* at creation: :func:`keep_private` sets the process umask to 077 (the command-line entry
  point calls it first, so logs, settings and SQLite files are born private), and the
  cache file is created 0600 before SQLite opens it (SQLite gives its -wal, -shm and
  -journal files the database file's mode);
* on start: :func:`tighten` brings an existing folder made by an older version (0755
  with 0644 files) down to 0700/0600.

POSIX only: on Windows the user profile's ACLs already keep the folder private.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from app import log

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
PRIVATE_UMASK = 0o077

_log = log.get("storage")


def _posix() -> bool:
    return os.name == "posix"


def keep_private() -> None:
    """From now on this process creates files 0600 and folders 0700."""
    if _posix():
        os.umask(PRIVATE_UMASK)


def private_folder(path: Path) -> Path:
    """Make ``path`` (and missing parents) and leave it 0700."""
    path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    if _posix():
        os.chmod(path, PRIVATE_FOLDER)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty if missing, and leave it 0600 (it keeps its content)."""
    private_folder(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE)
    os.close(fd)
    if _posix():
        os.chmod(path, PRIVATE_FILE)
    return path


def tighten(root: Path) -> int:
    """Bring ``root`` to 0700, the folders in it to 0700 and its files to 0600.

    Symbolic links are left alone (never followed). Returns how many modes changed.
    """
    if not _posix() or not root.is_dir():
        return 0
    changed = _set_mode(root, PRIVATE_FOLDER)
    for folder, subfolders, files in os.walk(root):
        for name in subfolders:
            changed += _set_mode(Path(folder, name), PRIVATE_FOLDER)
        for name in files:
            changed += _set_mode(Path(folder, name), PRIVATE_FILE)
    if changed:
        _log.info("made %d file(s) in %s private to this user", changed, root)
    return changed


def _set_mode(path: Path, mode: int) -> int:
    try:
        st = path.lstat()
    except FileNotFoundError:  # removed meanwhile (a -journal file, a rotated log)
        return 0
    if stat.S_ISLNK(st.st_mode) or stat.S_IMODE(st.st_mode) == mode:
        return 0
    os.chmod(path, mode)
    return 1


def mode_of(path: Path) -> int:
    """The permission bits of ``path`` (for checks and tests)."""
    return stat.S_IMODE(path.lstat().st_mode)
