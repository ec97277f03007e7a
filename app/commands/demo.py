"""``counterbench demo``: the embedded ledger with the demo retailer, and a counter terminal.

Checks first that a window can open (installing what Qt's X11 plugin lacks, see
``qt_libraries``), then seeds the demo data once, starts the ledger on 127.0.0.1, enrols a
counter station at the demo store on first run, and opens the window at the login screen.
The ledger this command started stops with it, however it ends: closing the window, an
error, or a kill (on Linux the ledger is told to follow its parent, since Qt aborts the
process without running ``finally`` when its platform plugin fails). Customer messages
(ready for pickup, reminders, cancelled) are written to
``<data dir>/ledger/customer-messages.jsonl``. With ``COUNTERBENCH_DEMO_KIND=bench`` the
window is a packing bench instead (its own station folder, ``<data dir>/bench``): it
opens on the pick/pack queue. The carrier simulator runs beside the ledger and SWIFT
parcels book there (:mod:`app.commands.demo_carrier`).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import requests

from app import config
from app.commands.demo_carrier import (
    DEMO_CARRIER,
    free_loopback_port,
    point_carrier,
    start_carrier_sim,
    stop,
)
from app.commands.qt_libraries import ensure_qt_libraries
from app.errors import KnownError

DEMO_STORE = "BLR-01"
DEMO_PORT = 8765
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("demo", help="run the embedded ledger with demo data and a terminal")
    parser.add_argument("--data-dir", help="where the demo keeps its ledger and station files")
    parser.add_argument("--port", type=int, default=DEMO_PORT, help="ledger port on 127.0.0.1")
    parser.add_argument(
        "--carrier-port", type=int, default=0, help="carrier simulator port (default: any free)"
    )
    parser.add_argument("--no-window", action="store_true", help="set up, then exit (for CI)")
    parser.set_defaults(run=run)


def check_window_opens(env: Mapping[str, str]) -> None:
    """Raise a one-line KnownError unless Qt can open a window in ``env``.

    Asked in a child process: Qt aborts the process it fails in.
    """
    done = subprocess.run(
        [sys.executable, "-m", "app.ui.window_check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if done.returncode != 0:
        raise window_error(done.stderr, env.get("DISPLAY", ""))


def window_error(qt_said: str, display: str) -> KnownError:
    """What Qt said when it could not start, as one line for a person."""
    if "could not connect to display" in qt_said:
        where = f"the display {display}" if display else "a display (DISPLAY is not set)"
        return KnownError(
            f"The window cannot open: Qt could not connect to {where}.",
            next_step="Run the demo in the desktop session, or set DISPLAY "
            "(counterbench demo --no-window sets up without a window).",
        )
    said = [line.split(": ", 1)[-1] for line in qt_said.splitlines() if line.startswith("qt.")]
    reason = re.sub(r' in ""(?= |$)', "", said[-1]).rstrip(".") if said else "Qt did not start"
    return KnownError(
        f"The window cannot open: {reason}.",
        next_step="Check QT_QPA_PLATFORM (unset it for the desktop's own), "
        "or run counterbench demo --no-window to set up without a window.",
    )


def _follows_this_process() -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes the child get SIGTERM when this process dies, however
    it dies (Linux ``PR_SET_PDEATHSIG``); None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()

    def follow() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before prctl took hold
            os.kill(os.getpid(), signal.SIGTERM)

    return follow


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
    if not args.no_window:
        ensure_qt_libraries()
        check_window_opens(os.environ)
    data = config.data_dir(args.data_dir).resolve()
    ledger_dir = data / "ledger"
    bench = os.environ.get("COUNTERBENCH_DEMO_KIND", "") == "bench"
    station_dir = data / ("bench" if bench else "station")
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
    from app.ledger.senders import MESSAGES_FILE

    messages = ledger_dir / MESSAGES_FILE  # the demo's own, whatever the environment says
    print(f"Customer messages are written to {messages}", flush=True)
    sim, sim_url = start_carrier_sim(
        _cli("carrier-sim"), args.carrier_port or free_loopback_port(), env, _follows_this_process()
    )
    try:
        point_carrier(db_url, sim_url)
        print(f"{DEMO_CARRIER} parcels book at the carrier simulator on {sim_url}", flush=True)
        return _serve_and_open(args, bench, station_dir, db_url, env, messages)
    finally:
        stop(sim)


def _serve_and_open(
    args: argparse.Namespace,
    bench: bool,
    station_dir: Path,
    db_url: str,
    env: dict[str, str],
    messages: Path,
) -> int:
    url = f"http://127.0.0.1:{args.port}"
    serve = ("serve", "--db", db_url, "--host", "127.0.0.1", "--port", str(args.port))
    ledger = subprocess.Popen(
        _cli("ledger", *serve, "--messages-file", str(messages)),
        env=env,
        preexec_fn=_follows_this_process(),
    )
    try:
        _wait_for_health(url, ledger)
        _enrol_once(station_dir, url, db_url, env, kind="bench" if bench else "counter")
        if args.no_window:
            return 0
        from app.main import run_terminal

        return run_terminal(station_dir)
    finally:
        stop(ledger)


def _enrol_once(
    station_dir: Path, url: str, db_url: str, env: dict[str, str], *, kind: str = "counter"
) -> None:
    from app.services.station import build_station

    station = build_station(station_dir)
    try:
        if station.enrolment.is_enrolled():
            return
        out = subprocess.run(
            _cli("ledger", "enrol-code", "--db", db_url, "--location", DEMO_STORE, "--kind", kind),
            check=True,
            env=env,
            capture_output=True,
            text=True,
        ).stdout
        code = out.strip().splitlines()[-1].strip()
        print(f"Enrolling this terminal at {DEMO_STORE} …", flush=True)
        station.enrolment.enrol(url, code, "Bench 1" if kind == "bench" else "Counter 1", kind)
    finally:
        station.close()
