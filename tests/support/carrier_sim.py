"""The carrier simulator served by uvicorn on a loopback port in this process.

``serve_carrier_sim`` yields a ``RunningSim``: its URL, its books (``carrier``) and its
fault switch, which a test sets directly or through ``POST /sim/mode`` like the demo.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn

from app.carrier_sim.api import create_sim_app
from app.carrier_sim.faults import Fault, FaultSwitch, Mode
from app.carrier_sim.state import SimCarrier
from app.carriers.booked import BookedCarrier

CODE, NAME = "SWIFT", "Swift Express"


@dataclass
class RunningSim:
    url: str
    carrier: SimCarrier
    switch: FaultSwitch

    def set_mode(self, fault: Fault, **options: Any) -> None:
        """Set the fault as the demo does, through ``POST /sim/mode``."""
        self.post("/sim/mode", {"fault": str(fault), **options})

    def clear(self) -> None:
        self.switch.set(Mode())

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            result: dict[str, Any] = json.loads(answer.read())
            return result

    def client(self, **options: Any) -> BookedCarrier:
        """Our client of this simulator; tries again at once (no backoff) unless told."""
        settings: dict[str, Any] = {"timeout_s": 10.0, "attempts": 3, "backoff_s": 0.0}
        return BookedCarrier(code=CODE, name=NAME, base_url=self.url, **(settings | options))


@contextmanager
def serve_carrier_sim(
    carrier: SimCarrier | None = None, *, webhook: str = ""
) -> Iterator[RunningSim]:
    carrier = carrier or SimCarrier()
    switch = FaultSwitch()
    app = create_sim_app(carrier, switch=switch, webhook=webhook)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="carrier-sim", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the carrier simulator did not start")
            time.sleep(0.02)
        yield RunningSim(url=f"http://127.0.0.1:{port}", carrier=carrier, switch=switch)
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then let go)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
