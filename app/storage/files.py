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
  with 0644 files) down to 0700/0600 (it takes group and other bits away).

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
STATION_SUBFOLDERS = ("logs", "printed")  # folders of the station's own files, walked

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
    """Take group and other access away from ``root``, the files in it and the files of
    the station's own subfolders (``logs``, ``printed``); owner bits stay as they are, so
    a 0644 file becomes 0600 and a 0755 folder 0700.

    Other subfolders are made owner-only but not walked: inside a 0700 folder nothing is
    reachable by anyone else anyway, and a data folder pointed at by mistake (a home
    folder) must not have its whole tree rewritten. Symbolic links are never followed.
    Returns how many modes changed.
    """
    if not _posix() or not root.is_dir():
        return 0
    changed = _owner_only(root)
    for entry in root.iterdir():
        changed += _owner_only(entry)
        if entry.name in STATION_SUBFOLDERS and entry.is_dir() and not entry.is_symlink():
            changed += sum(_owner_only(inner) for inner in entry.rglob("*"))
    if changed:
        _log.info("made %d file(s) in %s private to this user", changed, root)
    return changed


def _owner_only(path: Path) -> int:
    try:
        st = path.lstat()
    except FileNotFoundError:  # removed meanwhile (a -journal file, a rotated log)
        return 0
    mode = stat.S_IMODE(st.st_mode)
    if stat.S_ISLNK(st.st_mode) or not mode & 0o077:
        return 0
    os.chmod(path, mode & 0o700)
    return 1


def mode_of(path: Path) -> int:
    """The permission bits of ``path`` (for checks and tests)."""
    return stat.S_IMODE(path.lstat().st_mode)
