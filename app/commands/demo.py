"""``counterbench demo``: the embedded ledger with the demo retailer, and a counter terminal.

Seeds the demo data once, starts the ledger on 127.0.0.1, enrols a counter station at the
demo store on first run, and opens the window at the login screen. Closing the window
stops the ledger this command started. Customer messages (ready for pickup, reminders,
cancelled) are written to ``<data dir>/ledger/customer-messages.jsonl``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import requests

from app import config
from app.errors import KnownError

DEMO_STORE = "BLR-01"
DEMO_PORT = 8765
X11_LIBS = {"libxcb-cursor.so.0": "libxcb-cursor0", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("demo", help="run the embedded ledger with demo data and a terminal")
    parser.add_argument("--data-dir", help="where the demo keeps its ledger and station files")
    parser.add_argument("--port", type=int, default=DEMO_PORT, help="ledger port on 127.0.0.1")
    parser.add_argument("--no-window", action="store_true", help="set up, then exit (for CI)")
    parser.set_defaults(run=run)


def missing_x11_libraries() -> list[str]:
    """Debian packages of Qt's xcb plugin that this Linux machine lacks."""
    if not sys.platform.startswith("linux") or not shutil.which("ldconfig"):
        return []
    listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=False).stdout
    return [pkg for lib, pkg in X11_LIBS.items() if lib not in listing]


def ensure_x11_libraries() -> None:
    """Install Qt's X11 libraries when missing and allowed (root with apt-get)."""
    if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal"):
        return
    missing = missing_x11_libraries()
    if not missing:
        return
    command = ["apt-get", "install", "-y", "-q", *missing]
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"Installing Qt's X11 libraries: {' '.join(missing)}", flush=True)
        subprocess.run(["apt-get", "update", "-q"], check=False, stdout=subprocess.DEVNULL)
        if subprocess.run(command, check=False, stdout=subprocess.DEVNULL).returncode == 0:
            return
    raise KnownError(
        f"Qt needs the X11 libraries {', '.join(missing)} to open a window.",
        next_step=f"Install them with: sudo {' '.join(command)}",
    )


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "app.cli", *args]


def _wait_for_health(url: str, ledger: subprocess.Popen[bytes], timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if ledger.poll() is not None:
            raise KnownError(
                "The demo ledger stopped while starting.",
                next_step="Read the messages above; another program may hold the port.",
            )
        try:
            if requests.get(f"{url}/v1/health", timeout=1).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise KnownError("The demo ledger did not answer within 30 seconds.")


def _port_is_free(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def run(args: argparse.Namespace) -> int:
    ensure_x11_libraries()
    data = config.data_dir(args.data_dir).resolve()
    ledger_dir = data / "ledger"
    station_dir = data / "station"
    ledger_dir.mkdir(parents=True, exist_ok=True)
    db_url = f"sqlite:///{ledger_dir / 'ledger.sqlite3'}"
    env = {**os.environ, "COUNTERBENCH_DATA_DIR": str(ledger_dir)}
    if not _port_is_free(args.port):
        raise KnownError(
            f"Port {args.port} on 127.0.0.1 is already in use.",
            next_step="Close the other demo, or run: counterbench demo --port 8766",
        )
    print("Loading the demo retailer (first run only takes a few seconds) …", flush=True)
    subprocess.run(_cli("ledger", "seed", "--db", db_url, "--demo"), check=True, env=env)
    url = f"http://127.0.0.1:{args.port}"
    from app.ledger.senders import MESSAGES_FILE

    messages = ledger_dir / MESSAGES_FILE  # the demo's own, whatever the environment says
    print(f"Customer messages are written to {messages}", flush=True)
    serve = ("serve", "--db", db_url, "--host", "127.0.0.1", "--port", str(args.port))
    ledger = subprocess.Popen(_cli("ledger", *serve, "--messages-file", str(messages)), env=env)
    try:
        _wait_for_health(url, ledger)
        _enrol_once(station_dir, url, db_url, env)
        if args.no_window:
            return 0
        from app.main import run_terminal

        return run_terminal(station_dir)
    finally:
        ledger.terminate()
        try:
            ledger.wait(timeout=10)
        except subprocess.TimeoutExpired:
            ledger.kill()


def _enrol_once(station_dir: Path, url: str, db_url: str, env: dict[str, str]) -> None:
    from app.services.station import build_station

    station = build_station(station_dir)
    try:
        if station.enrolment.is_enrolled():
            return
        out = subprocess.run(
            _cli("ledger", "enrol-code", "--db", db_url, "--location", DEMO_STORE),
            check=True,
            env=env,
            capture_output=True,
            text=True,
        ).stdout
        code = out.strip().splitlines()[-1].strip()
        print(f"Enrolling this terminal at {DEMO_STORE} …", flush=True)
        station.enrolment.enrol(url, code, "Counter 1", "counter")
    finally:
        station.close()
