"""A SQLite ledger backed up and restored the way an operator would: stop it, copy its
files, start it again."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import make_url

from tests.support.ledger import RunningLedger


def _files(ledger: RunningLedger) -> list[Path]:
    path = Path(str(make_url(ledger.db_url).database))
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def backup(ledger: RunningLedger, folder: Path) -> None:
    """Copy the ledger's database files into ``folder`` (a new folder)."""
    ledger.stop()
    folder.mkdir()
    for f in _files(ledger):
        if f.exists():
            shutil.copy2(f, folder / f.name)
    ledger.start()


def restore(ledger: RunningLedger, folder: Path) -> None:
    """Put the files of :func:`backup` back: the ledger forgets everything since."""
    ledger.stop()
    ledger.engine.dispose()
    for f in _files(ledger):
        f.unlink(missing_ok=True)
        if (folder / f.name).exists():
            shutil.copy2(folder / f.name, f)
    ledger.start()
