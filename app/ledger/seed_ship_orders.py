"""The delivery side of the demo's ship orders: where each customer lives, what they paid
and how, and the open ship orders of the demo bench store (BLR-01).

Every seeded ship order pays the list price less 10 % on every other line, with ₹49
shipping on small orders; orders whose number ends in an odd digit are cash on delivery
for exactly what the customer owes, the others prepaid.

BLR-01's bench orders (WEB-240201 …) are for customers in Koramangala and HSR Layout
(our own riders, LOCAL, cut-off 18:00) and in Mysuru (a courier: Swift Express when the
promise is tight, India Parcel Post otherwise). Some are promised for the day they are
seeded, so the bench queue shows orders that will be late.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from app.domain.ship_offers import IST

Where = tuple[str, float, float]  # city, latitude, longitude

KORAMANGALA = ("Bengaluru", 12.9279, 77.6271)
WHITEFIELD = ("Bengaluru", 12.9698, 77.7500)
HSR_LAYOUT = ("Bengaluru", 12.9116, 77.6474)
MYSURU = ("Mysuru", 12.2958, 76.6394)
ANDHERI = ("Mumbai", 19.1136, 72.8697)
SAKET = ("New Delhi", 28.5245, 77.2066)
ADYAR = ("Chennai", 13.0012, 80.2565)
GACHIBOWLI = ("Hyderabad", 17.4401, 78.3489)
BANER = ("Pune", 18.5590, 73.7868)
SALT_LAKE = ("Kolkata", 22.5867, 88.4171)
NASHIK = ("Nashik", 19.9975, 73.7898)

# where -> (street line, state, pincode)
ADDRESSES: dict[Where, tuple[str, str, str]] = {
    KORAMANGALA: ("14 1st Cross, 5th Block, Koramangala", "Karnataka", "560095"),
    WHITEFIELD: ("22 Brigade Metropolis, Whitefield", "Karnataka", "560066"),
    HSR_LAYOUT: ("7 27th Main, Sector 2, HSR Layout", "Karnataka", "560102"),
    MYSURU: ("41 Kalidasa Road, V. V. Mohalla", "Karnataka", "570002"),
    ANDHERI: ("B-12 Lokhandwala Complex, Andheri West", "Maharashtra", "400053"),
    SAKET: ("J-45 Saket", "Delhi", "110017"),
    ADYAR: ("3 Gandhi Nagar 2nd Main Road, Adyar", "Tamil Nadu", "600020"),
    GACHIBOWLI: ("Flat 402, Gachibowli", "Telangana", "500032"),
    BANER: ("Baner Road, Baner", "Maharashtra", "411045"),
    SALT_LAKE: ("CK-18 Sector II, Salt Lake", "West Bengal", "700091"),
    NASHIK: ("College Road", "Maharashtra", "422005"),
}
SHIPPING_MINOR = 4900  # ₹49 on orders below FREE_SHIPPING_MINOR
FREE_SHIPPING_MINOR = 99900


def ship_terms(
    number: str,
    where: Where,
    name: str,
    phone: str,
    lines: Sequence[tuple[str, int]],
    prices: Mapping[str, int],
    promised_by: date | None = None,
) -> dict[str, Any]:
    """The intake fields a demo ship order carries beyond its lines."""
    street, state, pincode = ADDRESSES[where]
    paid = [prices[sku] * 9 // 10 if i % 2 else prices[sku] for i, (sku, _) in enumerate(lines)]
    value = sum(p * q for p, (_, q) in zip(paid, lines, strict=True))
    shipping = SHIPPING_MINOR if value < FREE_SHIPPING_MINOR else 0
    cod = int(number[-1]) % 2 == 1
    return {
        "ship_to": {
            "name": name,
            "line1": street,
            "city": where[0],
            "state": state,
            "pincode": pincode,
            "phone": phone,
        },
        "lines": [
            {"sku": sku, "quantity": q, "paid_minor": p}
            for (sku, q), p in zip(lines, paid, strict=True)
        ],
        "discount_minor": 0,
        "shipping_minor": shipping,
        "payment": "cod" if cod else "prepaid",
        "cod_minor": value + shipping if cod else None,
        "promised_by": promised_by,
    }


# (customer, where, promise in days from the seeding day: None for the standard promise)
_BENCH_CUSTOMERS: tuple[tuple[str, Where, int | None], ...] = (
    ("Anil Kumble", KORAMANGALA, 0),
    ("Bhavana Rao", HSR_LAYOUT, None),
    ("Chetan Gowda", KORAMANGALA, 1),
    ("Divya Shetty", MYSURU, 0),
    ("Eshwar Prasad", HSR_LAYOUT, 0),
    ("Gayatri Hegde", MYSURU, None),
    ("Harish Bhat", KORAMANGALA, None),
    ("Indu Murthy", MYSURU, 1),
    ("Jagadish Naik", HSR_LAYOUT, 2),
    ("Kusuma Acharya", KORAMANGALA, None),
)


def bench_store_orders(
    skus: Sequence[str],
    prices: Mapping[str, int],
    held: Callable[[int], int],
    order: Callable[..., Any],
    today: date | None = None,
) -> list[Any]:
    """BLR-01's open ship orders: SKUs from index 300 on that BLR-01 holds 3 or more of
    (``held(index)``), one or two lines each, built by ``order``."""
    day = today or datetime.now(IST).date()
    stocked = [i for i in range(300, len(skus)) if held(i) >= 3][: 2 * len(_BENCH_CUSTOMERS)]
    found = []
    for n, (name, where, days) in enumerate(_BENCH_CUSTOMERS):
        picked = stocked[2 * n : 2 * n + (1 if n % 3 == 0 else 2)]
        lines = [(skus[i], 1 + (i % 2)) for i in picked]
        promised = None if days is None else day + timedelta(days=days)
        found.append(order(f"WEB-2402{n + 1:02d}", where, name, lines, prices, promised))
    return found
