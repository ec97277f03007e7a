"""The demo's partner carrier: ``counterbench demo`` starts the carrier simulator on a
loopback port and points Swift Express (the demo's partner, see
:mod:`app.ledger.seed_carriers`) at it, so a parcel packed for SWIFT books for real."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence

import requests

from app.errors import KnownError

DEMO_CARRIER = "SWIFT"


def free_loopback_port() -> int:
    """A port on 127.0.0.1 nothing listens on (bound, then let go)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_carrier_sim(
    command: Sequence[str],
    port: int,
    env: Mapping[str, str],
    follow: Callable[[], None] | None,
    timeout_s: float = 30,
) -> tuple[subprocess.Popen[bytes], str]:
    """The simulator started with ``command`` on ``port``, once it answers; and its URL."""
    sim = subprocess.Popen([*command, "--port", str(port)], env=dict(env), preexec_fn=follow)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if sim.poll() is not None:
            raise KnownError(
                "The demo's carrier simulator stopped while starting.",
                next_step="Read the messages above; another program may hold its port.",
            )
        try:
            if requests.get(f"{url}/sim/mode", timeout=1).ok:
                return sim, url
        except requests.RequestException:
            pass
        time.sleep(0.2)
    sim.kill()
    raise KnownError("The demo's carrier simulator did not answer within 30 seconds.")


def point_carrier(db_url: str, url: str, code: str = DEMO_CARRIER) -> None:
    """Make the ledger book ``code``'s parcels at ``url``."""
    from sqlalchemy import update

    from app.ledger.db import make_engine
    from app.ledger.models import Carrier, table_of

    engine = make_engine(db_url, pool_size=1)
    try:
        carriers = table_of(Carrier)
        with engine.begin() as conn:
            conn.execute(update(carriers).where(carriers.c.code == code).values(booking_url=url))
    finally:
        engine.dispose()


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
