"""Batch picking: one walk across many orders, sorted by bin, each unit sorted into its
order's tote as it is picked. Pure.

Totes are numbered in the order of the batch (T01, T02 … or T001 … past 99 orders); a
tote's code, for its barcode, is the batch id and the tote label (``PB-7-T03``).

Walk order (``walk_key``): bin codes read aisle-bay[-level], as the stores' hold-shelf
bins do (``H-01``) and pick bins (``A-03-2``). The aisle is one or two letters (A = 1 …,
AA = 27) or digits. Aisles are walked in ascending order, serpentine: odd aisles by
ascending bay, even aisles by descending bay, so the picker never walks back down an
aisle; within a bay, levels ascend. Codes in any other format come last, by text.

Stock spread over bins is taken from the bins in walk order until the need is met. When
the bins hold less than the batch needs, the orders with the earliest promise (cut-off)
get the units first, then batch order; what no bin holds is listed as short per tote.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

_BIN = re.compile(r"^([A-Z]{1,2}|\d+)-(\d+)(?:-(\d+))?$")


@dataclass(frozen=True)
class PickLine:
    """One line of an order to pick: what and how many."""

    sku: str
    name: str
    quantity: int


@dataclass(frozen=True)
class BatchOrder:
    """An order in the batch; ``promised_by`` (cut-off) decides who gets scarce stock."""

    number: str
    lines: tuple[PickLine, ...]
    promised_by: datetime | None = None


@dataclass(frozen=True)
class BinStock:
    """Units of one SKU in one bin of this location."""

    bin_code: str
    sku: str
    quantity: int


@dataclass(frozen=True)
class Tote:
    """The tote an order's units go into: its printed label and its barcode content."""

    label: str
    code: str
    order_number: str


@dataclass(frozen=True)
class ToteShare:
    """How many units of a stop (or a short line) belong in one tote."""

    tote: str
    quantity: int


@dataclass(frozen=True)
class PickStop:
    """Take ``quantity`` of ``sku`` from ``bin_code`` and split it into the totes."""

    bin_code: str
    sku: str
    name: str
    quantity: int
    totes: tuple[ToteShare, ...]


@dataclass(frozen=True)
class ShortLine:
    """Units of ``sku`` the batch needs that no bin holds, per tote."""

    sku: str
    name: str
    quantity: int
    totes: tuple[ToteShare, ...]


@dataclass(frozen=True)
class PickWalk:
    """The plan of a batch: totes, stops in walking order, and what is short."""

    batch_id: str
    totes: tuple[Tote, ...]
    stops: tuple[PickStop, ...]
    short: tuple[ShortLine, ...]

    @property
    def units(self) -> int:
        """Units the batch asks for, picked or short."""
        return sum(s.quantity for s in self.stops) + sum(s.quantity for s in self.short)


@dataclass
class _Need:
    tote: str
    rank: int  # allocation order: earliest promise first (none last), then batch order
    quantity: int


def aisle_number(aisle: str) -> int:
    """Aisle letters as a number, spreadsheet style (A = 1, Z = 26, AA = 27); digits as is."""
    if aisle.isdigit():
        return int(aisle)
    number = 0
    for char in aisle:
        number = number * 26 + ord(char) - ord("A") + 1
    return number


def walk_key(bin_code: str) -> tuple[int, int, int, int, str]:
    """Sort key of a bin in walking order (serpentine by aisle; others last, by text)."""
    code = bin_code.strip().upper()
    match = _BIN.match(code)
    if match is None:
        return (1, 0, 0, 0, code)
    aisle = aisle_number(match[1])
    bay = int(match[2])
    level = int(match[3] or 0)
    return (0, aisle, bay if aisle % 2 else -bay, level, code)


def tote_labels(count: int) -> list[str]:
    """T01 … Tnn, zero-padded to the widest number (T001 from 100 totes)."""
    width = max(2, len(str(count)))
    return [f"T{n:0{width}d}" for n in range(1, count + 1)]


def _totes(batch_id: str, orders: Sequence[BatchOrder]) -> tuple[Tote, ...]:
    numbers = [o.number for o in orders]
    if len(set(numbers)) != len(numbers):
        raise ValueError("an order is in the batch twice")
    labels = tote_labels(len(orders))
    return tuple(
        Tote(label, f"{batch_id}-{label}", o.number)
        for label, o in zip(labels, orders, strict=True)
    )


def _needs(
    orders: Sequence[BatchOrder], totes: Sequence[Tote]
) -> tuple[dict[str, list[_Need]], dict[str, str]]:
    """Per SKU, each tote's need in allocation order; and the first name seen per SKU."""
    needs: dict[str, dict[str, _Need]] = defaultdict(dict)
    names: dict[str, str] = {}
    ranks = _ranks(orders)
    for rank, order, tote in zip(ranks, orders, totes, strict=True):
        for line in order.lines:
            if line.quantity <= 0:
                raise ValueError(f"order {order.number}: {line.sku} quantity {line.quantity}")
            names.setdefault(line.sku, line.name)
            need = needs[line.sku].setdefault(tote.label, _Need(tote.label, rank, 0))
            need.quantity += line.quantity
    return {
        sku: sorted(by_tote.values(), key=lambda n: n.rank) for sku, by_tote in needs.items()
    }, names


def _ranks(orders: Sequence[BatchOrder]) -> list[int]:
    """Each order's place in line for scarce stock: promised ones by promise, then the rest."""
    promised = sorted(
        (i for i, o in enumerate(orders) if o.promised_by is not None),
        key=lambda i: (orders[i].promised_by, i),
    )
    rest = [i for i, o in enumerate(orders) if o.promised_by is None]
    ranks = [0] * len(orders)
    for rank, index in enumerate(promised + rest):
        ranks[index] = rank
    return ranks


def _bins_by_sku(
    stock: Iterable[BinStock], wanted: Iterable[str]
) -> dict[str, list[tuple[str, int]]]:
    """Per wanted SKU, (bin, units) with units in walk order; empty or negative bins skipped."""
    keep = set(wanted)
    held: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in stock:
        if row.sku in keep:
            held[row.sku][row.bin_code.strip().upper()] += row.quantity
    return {
        sku: sorted(((b, q) for b, q in bins.items() if q > 0), key=lambda bq: walk_key(bq[0]))
        for sku, bins in held.items()
    }


def _take(needs: list[_Need], units: int) -> tuple[ToteShare, ...]:
    """Give ``units`` to the needs in order, lowering each; the shares given."""
    shares = []
    for need in needs:
        if units == 0:
            break
        given = min(units, need.quantity)
        if given:
            shares.append(ToteShare(need.tote, given))
            need.quantity -= given
            units -= given
    return tuple(sorted(shares, key=lambda s: s.tote))


def _stops_for(
    sku: str, name: str, needs: list[_Need], bins: list[tuple[str, int]]
) -> list[PickStop]:
    stops = []
    for bin_code, held in bins:
        wanted = sum(n.quantity for n in needs)
        if wanted == 0:
            break
        take = min(held, wanted)
        stops.append(PickStop(bin_code, sku, name, take, _take(needs, take)))
    return stops


def _short_for(sku: str, name: str, needs: list[_Need]) -> ShortLine | None:
    missing = sum(n.quantity for n in needs)
    if missing == 0:
        return None
    return ShortLine(sku, name, missing, _take(needs, missing))


def plan_walk(batch_id: str, orders: Sequence[BatchOrder], stock: Iterable[BinStock]) -> PickWalk:
    """One walk for the whole batch: stops in walking order, totes, and what is short."""
    totes = _totes(batch_id, orders)
    needs, names = _needs(orders, totes)
    bins = _bins_by_sku(stock, needs)
    stops: list[PickStop] = []
    short: list[ShortLine] = []
    for sku, sku_needs in needs.items():
        stops += _stops_for(sku, names[sku], sku_needs, bins.get(sku, []))
        missing = _short_for(sku, names[sku], sku_needs)
        if missing:
            short.append(missing)
    stops.sort(key=lambda s: (walk_key(s.bin_code), s.sku))
    short.sort(key=lambda s: s.sku)
    return PickWalk(batch_id, totes, tuple(stops), tuple(short))
