"""Where things live and the settings every command shares. No Qt here.

The GUI and every command take their data directory and databases from the same place:
an explicit option first, then the environment, then the user data directory.

* ``COUNTERBENCH_DATA_DIR``  the station's data directory (cache, token, logs)
* ``COUNTERBENCH_LEDGER_DB`` the ledger's database URL
* ``COUNTERBENCH_ADMIN_TOKEN`` the ledger's admin token (else kept in the data dir)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "counterbench"


def data_dir(explicit: str | Path | None = None) -> Path:
    """The data directory: option, then ``COUNTERBENCH_DATA_DIR``, then the user data dir."""
    if explicit:
        path = Path(explicit)
    elif os.environ.get("COUNTERBENCH_DATA_DIR"):
        path = Path(os.environ["COUNTERBENCH_DATA_DIR"])
    else:
        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def ledger_db_url(explicit: str | None = None, *, data: Path | None = None) -> str:
    """The ledger database URL: option, then ``COUNTERBENCH_LEDGER_DB``, then a SQLite file."""
    if explicit:
        return explicit
    if os.environ.get("COUNTERBENCH_LEDGER_DB"):
        return os.environ["COUNTERBENCH_LEDGER_DB"]
    return f"sqlite:///{(data or data_dir()) / 'ledger.sqlite3'}"


@dataclass(frozen=True)
class StationPaths:
    """Files a station keeps in its data directory."""

    root: Path

    @property
    def cache_db(self) -> Path:
        return self.root / "station.sqlite3"

    @property
    def logs(self) -> Path:
        return self.root / "logs"


@dataclass(frozen=True)
class SyncSettings:
    """How the station talks to the ledger."""

    push_batch: int = 2000  # the ledger takes up to 2000 ops a push (protocol.PushRequest)
    pull_page: int = 5000
    snapshot_page: int = 20000
    interval_s: float = 2.0
    backoff_base_s: float = 0.5
    backoff_cap_s: float = 60.0
    connect_timeout_s: float = 3.0
    read_timeout_s: float = 30.0
    allow_http: bool = False  # plain http to a ledger not on this PC (security.json)


@dataclass(frozen=True)
class SessionSettings:
    """Staff sessions at the station."""

    idle_logout_s: int = 300
    max_pin_failures: int = 5
    lockout_s: int = 300
    pin_digits: int = 4  # 6 where the retailer asks for longer PINs (security.json)
