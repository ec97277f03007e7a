"""A station enrolled at the demo store of a running demo ledger, for the screenshot
harnesses (:mod:`tests.ui.returns_screenshots`, :mod:`tests.ui.bench_screenshots`)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from app.services.station import Station, build_station
from tests.support.ledger import RunningLedger


@contextlib.contextmanager
def demo_station(folder: Path, kind: str, name: str) -> Iterator[Station]:
    """A ``kind`` station ("counter", "bench") named ``name`` at the demo store BLR-01 of a
    demo ledger running in ``folder``, synced once."""
    with RunningLedger(f"sqlite:///{folder / 'ledger.sqlite3'}", folder / "ledger") as ledger:
        ledger.seed("demo")
        station = build_station(folder / "station")
        code = ledger.enrol_code("BLR-01", kind)
        station.enrolment.enrol(ledger.url, code, name, kind)
        station.sync.sync_once()
        yield station
