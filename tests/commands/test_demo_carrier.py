"""`counterbench demo` starts the carrier simulator beside its ledger and points SWIFT at
it; both stop with the demo."""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.support.ledger import free_port


def test_the_demo_points_swift_at_its_carrier_simulator_and_stops_it(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    sim_port = free_port()
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "demo", "--no-window", "--data-dir", str(tmp_path),
         "--port", str(free_port()), "--carrier-port", str(sim_port)],
        env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip

    assert done.returncode == 0, done.stdout + done.stderr
    said = re.search(r"SWIFT parcels book at the carrier simulator on (\S+)", done.stdout)
    assert said is not None and said[1] == f"http://127.0.0.1:{sim_port}"
    with sqlite3.connect(tmp_path / "ledger" / "ledger.sqlite3") as db:
        urls = dict(db.execute("SELECT code, booking_url FROM carriers").fetchall())
    assert urls["SWIFT"] == said[1] and urls["INDPOST"] == ""
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", sim_port)) != 0, "the simulator is still running"
