"""`counterbench demo --no-window`: seeds once, starts and stops its ledger, enrols once."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from tests.support.ledger import free_port


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def _station_status(station_dir: Path, env: dict[str, str]) -> dict[str, object]:
    done = _run("station", "status", "--json", "--data-dir", str(station_dir), env=env)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_demo_sets_up_once_and_stops_its_ledger(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    port = free_port()
    first = _run("demo", "--no-window", "--data-dir", str(tmp_path), "--port", str(port), env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Enrolling this terminal at BLR-01" in first.stdout
    messages = tmp_path.resolve() / "ledger" / "customer-messages.jsonl"
    assert f"Customer messages are written to {messages}" in first.stdout

    status = _station_status(tmp_path / "station", env)
    assert status["location_code"] == "BLR-01"
    assert status["enrolled"] is True

    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0, "the demo ledger is still running"

    again = _run("demo", "--no-window", "--data-dir", str(tmp_path), "--port", str(port), env=env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Enrolling" not in again.stdout
    assert _station_status(tmp_path / "station", env)["location_code"] == "BLR-01"


def test_demo_as_a_bench_enrols_a_bench_station_of_its_own(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COUNTERBENCH_DEMO_KIND": "bench"}
    port = free_port()
    done = _run("demo", "--no-window", "--data-dir", str(tmp_path), "--port", str(port), env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    status = _station_status(tmp_path / "bench", env)
    assert (status["station_kind"], status["station_name"]) == ("bench", "Bench 1")
    assert not (tmp_path / "station").exists(), "the counter's station is left as it is"


def test_demo_says_what_to_do_when_the_port_is_taken(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        done = _run(
            "demo", "--no-window", "--data-dir", str(tmp_path), "--port", str(port), env=env
        )
    assert done.returncode == 2
    assert f"Port {port}" in done.stderr
    assert "--port" in done.stderr
