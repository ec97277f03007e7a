"""Ship routing speed: 10,000 orders over 500 locations, the indexed router beside
scoring every location for every order (the brute force), in the same run.

The network is seeded: 500 locations scattered around 20 cities (mostly stores, some
warehouses and dark stores), 2,000 SKUs of which each location holds 300, 40 carriers
(a rider fleet per city serving its pincodes in the local zone, 20 couriers serving a
random 60% of the cities in every zone), orders of 1-3 lines to customers near a city
(1% with an item nowhere in stock, 5% refused once by some location).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from datetime import time as clock

from app.domain.ship_offers import Carrier, ShipCandidate, ShipRequest, Zone
from app.domain.ship_routing import (
    CannotShip,
    ShipNetwork,
    ShipPlan,
    route_ship,
    route_ship_brute_force,
)
from tests.bench import Figure

ORDERS = 10_000
LOCATIONS = 500
SKUS = 2_000
HELD = 300  # SKUs each location holds
TARGET_S = 5.0
NOW = datetime(2026, 12, 7, 5, 0, tzinfo=UTC)

CITIES = (
    ("Bengaluru", "560", 12.97, 77.59), ("Mumbai", "400", 19.08, 72.88),
    ("New Delhi", "110", 28.61, 77.21), ("Chennai", "600", 13.08, 80.27),
    ("Hyderabad", "500", 17.39, 78.49), ("Pune", "411", 18.52, 73.86),
    ("Kolkata", "700", 22.57, 88.36), ("Ahmedabad", "380", 23.02, 72.57),
    ("Jaipur", "302", 26.91, 75.79), ("Lucknow", "226", 26.85, 80.95),
    ("Kochi", "682", 9.93, 76.27), ("Chandigarh", "160", 30.73, 76.78),
    ("Indore", "452", 22.72, 75.86), ("Bhopal", "462", 23.26, 77.41),
    ("Nagpur", "440", 21.15, 79.09), ("Patna", "800", 25.59, 85.14),
    ("Bhubaneswar", "751", 20.30, 85.82), ("Guwahati", "781", 26.14, 91.74),
    ("Coimbatore", "641", 11.02, 76.96), ("Visakhapatnam", "530", 17.69, 83.22),
)  # fmt: skip


def _carriers(rng: random.Random) -> list[Carrier]:
    riders = [
        Carrier(
            f"RIDE-{prefix}",
            f"{city} Riders",
            "local",
            frozenset({prefix}),
            clock(rng.choice((17, 18, 19)), 0),
            {Zone.LOCAL: rng.randrange(3000, 6000, 500)},
            {Zone.LOCAL: 0},
        )
        for city, prefix, _, _ in CITIES
    ]
    couriers = []
    for n in range(20):
        cities = rng.sample(CITIES, 12)
        rates = {Zone.LOCAL: 5000, Zone.REGIONAL: 8000, Zone.NATIONAL: 12000}
        couriers.append(
            Carrier(
                f"COURIER-{n:02d}",
                f"Courier {n:02d}",
                "booked",
                frozenset(prefix for _, prefix, _, _ in cities),
                clock(rng.choice((14, 15, 16, 17)), 0),
                {zone: paise + rng.randrange(0, 3000, 100) for zone, paise in rates.items()},
                {Zone.LOCAL: 1, Zone.REGIONAL: rng.randint(2, 3), Zone.NATIONAL: rng.randint(3, 6)},
            )
        )
    return riders + couriers


def _locations(rng: random.Random, carriers: list[Carrier]) -> list[ShipCandidate]:
    couriers = [c.code for c in carriers if c.kind == "booked"]
    found = []
    for n in range(LOCATIONS):
        city, prefix, lat, lon = rng.choice(CITIES)
        kind = rng.choices(("store", "warehouse", "dark_store"), (85, 5, 10))[0]
        skus = rng.sample(range(SKUS), HELD)
        found.append(
            ShipCandidate(
                f"L{n:03d}",
                f"{city} {kind} {n}",
                kind,
                frozenset({"bopis", "ship_from_store"} if rng.random() < 0.9 else {"bopis"}),
                lat + rng.uniform(-0.3, 0.3),
                lon + rng.uniform(-0.3, 0.3),
                rng.choice((0, 3, 40, 120, 2000)),
                {f"SKU-{s:05d}": rng.randint(1, 20) for s in skus},
                frozenset({f"RIDE-{prefix}", *rng.sample(couriers, 4)}),
            )
        )
    return found


def _orders(rng: random.Random, locations: list[ShipCandidate]) -> list[ShipRequest]:
    found = []
    for _ in range(ORDERS):
        _, prefix, lat, lon = rng.choice(CITIES)
        lines = tuple(
            (f"SKU-{rng.randrange(SKUS):05d}", rng.choice((1, 1, 1, 2, 3)))
            for _ in range(rng.randint(1, 3))
        )
        if rng.random() < 0.01:  # an item no location holds: the order goes to HQ
            lines += (("SKU-NOWHERE", 1),)
        refused = frozenset({rng.choice(locations).code}) if rng.random() < 0.05 else frozenset()
        found.append(
            ShipRequest(
                lines,
                f"{prefix}{rng.randint(1, 99):03d}",
                lat + rng.uniform(-0.2, 0.2),
                lon + rng.uniform(-0.2, 0.2),
                date(2026, 12, 7 + rng.randint(1, 4)),
                NOW,
                refused,
            )
        )
    return found


Outcome = tuple[tuple[str, tuple[tuple[str, int], ...], str], ...] | str


def _route_all(
    route: Callable[[ShipRequest], ShipPlan], orders: list[ShipRequest]
) -> tuple[float, list[Outcome]]:
    """Seconds to route every order, and where each went ("hq" when nowhere)."""
    outcomes: list[Outcome] = []
    started = time.perf_counter()
    for request in orders:
        try:
            plan = route(request)
        except CannotShip:
            outcomes.append("hq")
            continue
        outcomes.append(tuple((a.location, a.lines, a.carrier) for a in plan.assignments))
    return time.perf_counter() - started, outcomes


def run() -> list[Figure]:
    rng = random.Random(20261207)
    carriers = _carriers(rng)
    locations = _locations(rng, carriers)
    orders = _orders(rng, locations)

    started = time.perf_counter()
    network = ShipNetwork(locations, carriers)
    build_s = time.perf_counter() - started
    fast_s, outcomes = _route_all(lambda r: route_ship(r, network), orders)
    slow_s, slow_outcomes = _route_all(
        lambda r: route_ship_brute_force(r, locations, carriers), orders
    )
    assert outcomes == slow_outcomes, "the indexed router chose differently"
    total_s = build_s + fast_s
    hq = outcomes.count("hq")
    split = sum(1 for o in outcomes if o != "hq" and len(o) > 1)
    print(
        f"   network built in {build_s:.3f} s; orders: {ORDERS - hq - split:,} one parcel, "
        f"{split:,} split, {hq:,} to HQ; both routers chose alike for every order",
        flush=True,
    )
    return [
        Figure(
            f"route {ORDERS:,} ship orders over {LOCATIONS} locations (index included)",
            total_s,
            "s",
            f"<= {TARGET_S:.0f} s",
            total_s <= TARGET_S,
            "brute force: every location scored for every order",
            slow_s,
            "s",
        )
    ]
