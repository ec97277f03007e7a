"""What each seed profile holds: places, staff, catalog, opening stock and orders."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from app.domain.stock import Bucket
from app.ledger import seed_data as data
from app.ledger.seed_ship_orders import (
    ADYAR,
    ANDHERI,
    BANER,
    GACHIBOWLI,
    KORAMANGALA,
    NASHIK,
    SAKET,
    SALT_LAKE,
    WHITEFIELD,
    bench_store_orders,
    ship_terms,
)
from app.sync.protocol import Customer, OrderIntake, OrderLineIn

# (location code, item index from 0) -> [(bucket, on hand, safety stock), …]
StockRule = Callable[[str, int], list[tuple[str, int, int]]]


@dataclass
class Profile:
    places: list[data.PlaceSpec]
    staff: list[data.StaffSpec]
    catalog: list[data.ItemSpec]
    stock: StockRule
    orders: list[OrderIntake] = field(default_factory=list)
    feed: bool = True  # write change_log rows for what is seeded (not for bench volume)
    # ship-for-pickup orders whose transfer the warehouse has shipped (in transit)
    shipped: tuple[str, ...] = ()


def _tiny_stock(code: str, _: int) -> list[tuple[str, int, int]]:
    quantity = {"BLR-01": 10, "MUM-01": 20}.get(code, 100)
    return [(Bucket.SELLABLE.value, quantity, 0)]


def _demo_stock(code: str, index: int) -> list[tuple[str, int, int]]:
    rng = random.Random(f"{code}:{index}")
    if code == data.WAREHOUSE.code:
        return [(Bucket.SELLABLE.value, rng.randint(40, 400), 0)]
    roll = rng.random()
    on_hand = 0 if roll < 0.08 else rng.randint(1, 5) if roll < 0.35 else rng.randint(6, 40)
    rows = [(Bucket.SELLABLE.value, on_hand, 1 if on_hand > 10 else 0)]
    if rng.random() < 0.02:
        rows.append((Bucket.DAMAGED.value, rng.randint(1, 3), 0))
    if rng.random() < 0.02:
        rows.append((Bucket.QUARANTINE.value, rng.randint(1, 2), 0))
    return rows


def _bench_stock(code: str, index: int) -> list[tuple[str, int, int]]:
    if code == "BENCH-WH" and index >= 1000:
        return []
    return [(Bucket.SELLABLE.value, 50 if code == "BENCH-01" else 500, 0)]


def _order(
    number: str,
    method: str,
    where: tuple[str, float, float],
    name: str,
    lines: list[tuple[str, int]],
    pickup: str | None = None,
    channel: str = "web",
    *,
    prices: Mapping[str, int] | None = None,
    promised_by: date | None = None,
) -> OrderIntake:
    """A demo order; a ship order (``prices`` of its SKUs given) with its delivery terms."""
    city, lat, lon = where
    phone = "+91 98450 " + number[-5:].rjust(5, "0")
    body: dict[str, Any] = {
        "order_number": number,
        "channel": channel,
        "method": method,
        "pickup_location": pickup,
        "customer": Customer(name=name, phone=phone, city=city, latitude=lat, longitude=lon),
        "lines": [OrderLineIn(sku=s, quantity=q) for s, q in lines],
    }
    if method == "ship":
        body |= ship_terms(number, where, name, phone, lines, prices or _prices(), promised_by)
    return OrderIntake.model_validate(body)


@cache
def _prices() -> dict[str, int]:
    """List prices of the demo catalog (the tiny one is its first 50 items)."""
    return {item.sku: item.price_minor for item in data.demo_catalog()}


def _bench_order(
    number: str,
    where: tuple[str, float, float],
    name: str,
    lines: list[tuple[str, int]],
    prices: Mapping[str, int],
    promised_by: date | None,
) -> OrderIntake:
    return _order(number, "ship", where, name, lines, prices=prices, promised_by=promised_by)


def profile_for(name: str) -> Profile:
    """The ``tiny``, ``demo`` or ``bench`` profile."""
    if name == "tiny":
        places = [data.WAREHOUSE, data.STORES[0], data.STORES[2]]
        staff = [s for s in data.demo_staff() if s.code in ("A100", "L200", "M300")]
        orders = [
            _order(
                "T-1001",
                "pickup",
                KORAMANGALA,
                "Asha Kumar",
                [("GRO-00001", 2), ("PCR-00002", 1)],
                pickup="BLR-01",
            ),
            _order("T-1002", "ship", WHITEFIELD, "Ravi Shankar", [("HOM-00003", 1)]),
            _order("T-1003", "ship", ANDHERI, "Neha Desai", [("ELE-00004", 2)], channel="app"),
        ]
        return Profile(places, staff, data.demo_catalog(50), _tiny_stock, orders)
    if name == "demo":
        return Profile(
            [data.WAREHOUSE, *data.STORES],
            data.demo_staff(),
            data.demo_catalog(),
            _demo_stock,
            _demo_orders(),
            shipped=("WEB-240015",),
        )
    if name == "bench":
        bench = data.PlaceSpec(
            "BENCH-01",
            "Bench Store Whitefield",
            "store",
            "Bengaluru",
            "ITPL Main Road, Whitefield, Bengaluru 560066",
            12.9698,
            77.7500,
        )
        bench_wh = data.PlaceSpec(
            "BENCH-WH",
            "Bench Warehouse",
            "warehouse",
            "Bhiwandi",
            "Bhiwandi 421302",
            19.2813,
            73.0483,
            ("ship_from_store",),
            5000,
        )
        staff = [
            data.StaffSpec("B100", "Bench Associate", "associate", "1111", "BENCH-01"),
            data.StaffSpec("B200", "Bench Lead", "lead", "2222", "BENCH-01"),
        ]
        return Profile(
            [bench, bench_wh], staff, data.bench_catalog(200_000), _bench_stock, feed=False
        )
    raise ValueError(f"unknown seed profile {name!r}")


def _demo_orders() -> list[OrderIntake]:
    cat = data.demo_catalog()
    sku = [i.sku for i in cat]
    away = _none_at("BLR-01", sku, 220, 3)  # past the SKUs of the orders above
    return [
        _order(
            "WEB-240001", "pickup", KORAMANGALA, "Asha Kumar", [(sku[0], 1), (sku[11], 2)], "BLR-01"
        ),
        _order("WEB-240002", "pickup", WHITEFIELD, "Ravi Shankar", [(sku[21], 1)], "BLR-01"),
        _order(
            "APP-240003",
            "pickup",
            KORAMANGALA,
            "Farah Sheikh",
            [(sku[32], 1), (sku[43], 1)],
            "BLR-01",
            "app",
        ),
        _order(
            "MKT-240004",
            "pickup",
            WHITEFIELD,
            "Gopal Krishnan",
            [(sku[54], 1)],
            "BLR-01",
            "marketplace",
        ),
        _order("WEB-240005", "ship", KORAMANGALA, "Sunita Reddy", [(sku[65], 1), (sku[76], 1)]),
        _order("WEB-240006", "ship", WHITEFIELD, "Manoj Pillai", [(sku[87], 2)]),
        _order("WEB-240007", "ship", ANDHERI, "Neha Desai", [(sku[98], 1)]),
        _order(
            "APP-240008",
            "ship",
            SAKET,
            "Karan Malhotra",
            [(sku[109], 1), (sku[120], 1)],
            channel="app",
        ),
        _order("WEB-240009", "ship", ADYAR, "Revathi Subramanian", [(sku[131], 1)]),
        _order(
            "MKT-240010", "ship", GACHIBOWLI, "Sai Teja", [(sku[142], 3)], channel="marketplace"
        ),
        _order("WEB-240011", "ship", BANER, "Omkar Joshi", [(sku[153], 1), (sku[164], 1)]),
        _order("WEB-240012", "ship", SALT_LAKE, "Ritwik Ghosh", [(sku[175], 1)]),
        _order("WEB-240013", "ship", NASHIK, "Tejas Patil", [(sku[186], 4), (sku[197], 2)]),
        _order(
            "APP-240014", "pickup", KORAMANGALA, "Ishita Bose", [(sku[208], 1)], "BLR-01", "app"
        ),
        # ship-for-pickup at BLR-01: items it has none of, sent from WH-BHW on a transfer;
        # the seed ships WEB-240015's (in transit), APP-240016's waits at the warehouse
        _order("WEB-240015", "pickup", KORAMANGALA, "Deepa Raghavan", [(away[0], 1), (away[1], 2)],
               "BLR-01"),
        _order("APP-240016", "pickup", WHITEFIELD, "Vikram Hegde", [(away[2], 1)], "BLR-01",
               "app"),
        *bench_store_orders(sku, _prices(), lambda i: _sellable("BLR-01", i), _bench_order),
    ]  # fmt: skip


def _sellable(code: str, index: int) -> int:
    """Units of item ``index`` the demo seeds at ``code`` that are free to sell."""
    bucket, on_hand, safety = _demo_stock(code, index)[0]
    return on_hand - safety if bucket == Bucket.SELLABLE.value else 0


def _none_at(code: str, skus: list[str], start: int, count: int) -> list[str]:
    """The first ``count`` SKUs from index ``start`` that ``code`` holds none of."""
    found: list[str] = []
    for index in range(start, len(skus)):
        if len(found) == count:
            break
        if _demo_stock(code, index)[0] == (Bucket.SELLABLE.value, 0, 0):
            found.append(skus[index])
    return found
