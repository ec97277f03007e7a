"""A demo ledger that knows carrier SWIFT's tracking token and pulls its feed, the carrier
simulator with its webhook pointing at the ledger, and a bench that packs parcels booked
with it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import requests

from app.carriers.adapter import Consignee, Parcel
from tests.ledger.bench_support import Bench, bin_lines, new_sscc, placed
from tests.ledger.ship_support import stock_item
from tests.support.carrier_ledger import TOKEN, carrier_ledger
from tests.support.carrier_sim import CODE, RunningSim
from tests.support.ledger import RunningLedger

WAIT_S = 30.0
T = TypeVar("T")


@dataclass
class Tracked:
    ledger: RunningLedger
    sim: RunningSim
    bench: Bench

    def webhook(self, carrier: str = CODE, token: str | None = TOKEN) -> str:
        query = f"?token={token}" if token is not None else ""
        return f"{self.ledger.url}/v1/carriers/{carrier}/events{query}"

    def post_event(self, event: dict[str, Any], **where: Any) -> requests.Response:
        return requests.post(self.webhook(**where), json=event, timeout=30)

    def advance(self, tracking: str, to: str | None = None) -> dict[str, Any]:
        """Move the shipment on at the simulator, which pushes the event to the ledger."""
        return self.sim.post("/sim/advance", {"tracking": tracking, "to": to})


@contextmanager
def tracked_ledger(backend: str, workdir: Path) -> Iterator[Tracked]:
    with carrier_ledger(backend, workdir) as (ledger, sim):
        yield Tracked(ledger, sim, Bench(ledger, "BLR-01"))


@dataclass(frozen=True)
class Shipped:
    number: str
    fulfilment_id: int
    sku: str
    sscc: str
    tracking: str


def booked_parcel(t: Tracked, number: str, invoice: str = "") -> Shipped:
    """A ship order at BLR-01 picked and packed through ``ship.pack`` into one parcel
    booked with the simulator (by our adapter) first (under tax ``invoice``, if given)."""
    sku = stock_item(t.ledger, f"TR-{number}", {"BLR-01": 3})
    fo = placed(t.ledger, number, [(sku, 1)])
    pick = t.bench.step("ship.pick", fo["id"], lines=bin_lines((sku, 1)), tote="PB-1-T9")
    assert t.bench.one(pick)["status"] == "applied"
    sscc = new_sscc()
    booking = t.sim.client().book(
        Parcel(
            sscc=sscc,
            order_number=number,
            consignee=Consignee(
                "Asha Kumar", "12 80 Feet Road", "Bengaluru", "560034", "+91 98450 12345"
            ),
            weight_g=600,
            value_paise=50_000,
        )
    )
    parcel = {
        "sscc": sscc, "box": "BOX-S", "weight_g": 600, "expected_g": 600,
        "lines": [{"sku": sku, "quantity": 1}], "carrier": CODE, "tracking": booking.tracking,
    }  # fmt: skip
    billed = {"invoice": invoice} if invoice else {}
    result = t.bench.one(t.bench.step("ship.pack", fo["id"], parcel=parcel, **billed))
    assert result["status"] == "applied", result
    return Shipped(number, int(fo["id"]), sku, sscc, booking.tracking)


def eventually(probe: Callable[[], T | None], what: str) -> T:
    """What ``probe`` returns once it returns something (a webhook lands on its own
    thread); fails after ``WAIT_S``."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"no {what} within {WAIT_S} s")


def parcel_state(t: Tracked, sscc: str) -> tuple[Any, ...]:
    (row,) = t.ledger.sql("SELECT state, delivered_at FROM parcels WHERE sscc = :s", {"s": sscc})
    return tuple(row)


def events_of(t: Tracked, sscc: str) -> list[tuple[Any, ...]]:
    return t.ledger.sql(
        "SELECT kind, via, parcel_id IS NOT NULL FROM shipment_events "
        "WHERE sscc = :s ORDER BY at, id",
        {"s": sscc},
    )
