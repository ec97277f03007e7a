"""A made-up planogram: which bins a catalog's items sit in, the same way every time.

Each category gets an aisle (A, B, … by category name), each item of it a home bin in
that aisle (bay by its place in the category, four levels a bay), and every third item a
second, overflow bin in aisle Z. The demo retailer's planogram is seeded from it
(:mod:`app.ledger.seed_bins`), and a bench whose ledger sends no bins for its location
makes its stand-in from it (:mod:`app.services.shipping.planogram`). Pure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from app.domain.pick_walk import aisle_number

LEVELS = 4  # shelf levels in a bay
OVERFLOW_AISLE = "Z"
HOME, OVERFLOW = 1, 2  # ranks: the home bin first


def _aisle(index: int) -> str:
    """A, B … Y for the first 25 categories (Z is overflow), then AA, AB …"""
    if index < 25:
        return chr(ord("A") + index)
    return "A" + chr(ord("A") + (index - 25) % 26)


def plan_bins(items: Iterable[tuple[int, str]]) -> list[tuple[int, str, int]]:
    """(item_id, bin_code, rank) for (item_id, category), home bins first per item."""
    by_category: dict[str, list[int]] = defaultdict(list)
    for item_id, category in sorted(items):
        by_category[category or "general"].append(item_id)
    rows: list[tuple[int, str, int]] = []
    for index, category in enumerate(sorted(by_category)):
        aisle = _aisle(index)
        for place, item_id in enumerate(by_category[category]):
            level = place % LEVELS + 1
            rows.append((item_id, f"{aisle}-{place // LEVELS + 1:02d}-{level}", HOME))
            if item_id % 3 == 0:
                bay = aisle_number(aisle) * 10 + place // LEVELS + 1
                rows.append((item_id, f"{OVERFLOW_AISLE}-{bay:02d}-{level}", OVERFLOW))
    return rows
