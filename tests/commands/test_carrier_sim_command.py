"""``counterbench carrier-sim`` as the demo runs it: a process of its own on a port."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.carriers.adapter import CarrierDown
from app.carriers.booked import BookedCarrier
from tests.carriers.conftest import parcel
from tests.support.ledger import ROOT, free_port


@contextmanager
def carrier_sim_process(port: int, log: Path, *options: str) -> Iterator[None]:
    command = [sys.executable, "-m", "app.cli", "carrier-sim", "--port", str(port), *options]
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=dict(os.environ), stdout=out, stderr=out)
    try:
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def answering(client: BookedCarrier, pincode: str) -> bool:
    """Whether the simulator answers yet, waiting up to 30 s for it to start."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with contextlib.suppress(CarrierDown):
            return client.serviceable(pincode)
        time.sleep(0.05)
    raise AssertionError("the carrier simulator did not start")


def test_the_simulator_serves_on_its_port_until_stopped(tmp_path: Path) -> None:
    port = free_port()
    client = BookedCarrier(
        code="INDPOST", name="India Parcel Post", base_url=f"http://127.0.0.1:{port}",
        attempts=1, backoff_s=0.0,
    )  # fmt: skip
    with pytest.raises(CarrierDown):
        client.book(parcel(1))
    log = tmp_path / "carrier-sim.log"
    with carrier_sim_process(port, log, "--prefixes", "56,11", "--series", "IP"):
        assert answering(client, "560034")
        assert not client.serviceable("400001")
        booking = client.book(parcel(1))
        assert booking.tracking == "IP0000000001"
        assert client.book(parcel(1)).found
    with pytest.raises(CarrierDown):
        client.book(parcel(2))
    assert "carrier simulator serving on http://127.0.0.1:" in log.read_text()
