"""The state of each stop of a batch pick walk while it is picked, and the arithmetic of
a short bin (:mod:`.pick_scan` drives them). Pure.

A stop's units are split in shares, one per tote, filled in order. A short bin lowers
the shares from the last tote back; the units missing go to another bin here that holds
units the walk does not already take (``spare_by_sku``), and what no bin holds is short.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from app.domain.pick_walk import BinStock, PickWalk, walk_key


@dataclass
class StopShare:
    """Units of a stop for one tote (lowered when the bin is short)."""

    tote: str
    units: int


@dataclass
class StopState:
    """One stop being picked: which share is being filled and what is in hand."""

    bin_code: str
    sku: str
    name: str
    shares: list[StopShare]  # in the order they are put
    share: int = 0  # the share being filled
    counted: int = 0  # units counted for that share, in the picker's hand
    bin_ok: bool = False

    @property
    def done(self) -> bool:
        return self.share >= len(self.shares)

    @property
    def tote(self) -> str:
        return self.shares[self.share].tote

    @property
    def needed(self) -> int:
        return self.shares[self.share].units

    @property
    def taken(self) -> int:
        return sum(s.units for s in self.shares[: self.share]) + self.counted

    def settle(self) -> None:
        """Pass over shares left with no units (after a short)."""
        while not self.done and self.needed == 0 and self.counted == 0:
            self.share += 1


@dataclass
class SpareBin:
    """Units of a SKU in a bin that the walk does not take (yet)."""

    bin_code: str
    units: int


def spare_by_sku(walk: PickWalk, stock: list[BinStock]) -> dict[str, list[SpareBin]]:
    """Per SKU, the bins with units the walk does not already take, in walk order."""
    left: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in stock:
        left[row.sku][row.bin_code.strip().upper()] += row.quantity
    for stop in walk.stops:
        left[stop.sku][stop.bin_code] -= stop.quantity
    return {
        sku: [
            SpareBin(b, n) for b, n in sorted(bins.items(), key=lambda bn: walk_key(bn[0])) if n > 0
        ]
        for sku, bins in left.items()
    }


def lower_from_last(stop: StopState, missing: int) -> list[StopShare]:
    """Lower the stop's shares by ``missing``, last tote first; the units taken, by tote."""
    taken: list[StopShare] = []
    for index in range(len(stop.shares) - 1, stop.share - 1, -1):
        share = stop.shares[index]
        units = min(missing, share.units - (stop.counted if index == stop.share else 0))
        if units > 0:
            share.units -= units
            taken.append(StopShare(share.tote, units))
            missing -= units
    return sorted(taken, key=lambda s: s.tote)


def _split(missing: list[StopShare], units: int) -> list[StopShare]:
    """As many of the missing units as ``units`` allows, in tote order."""
    shares: list[StopShare] = []
    for share in missing:
        given = min(share.units, units)
        if given:
            shares.append(StopShare(share.tote, given))
            units -= given
    return shares


def _minus(missing: list[StopShare], moved: list[StopShare]) -> list[StopShare]:
    """The missing units that no other bin was found for."""
    given = {m.tote: m.units for m in moved}
    left = (StopShare(s.tote, s.units - given.get(s.tote, 0)) for s in missing)
    return [s for s in left if s.units > 0]


def cover_short(
    stop: StopState, missing: list[StopShare], spare: list[SpareBin]
) -> tuple[StopState | None, list[StopShare]]:
    """A new stop at another bin here for the ``missing`` units of ``stop`` (as many as the
    first bin with spare units holds), and the units no bin holds."""
    other = next((b for b in spare if b.bin_code != stop.bin_code and b.units > 0), None)
    if other is None:
        return None, missing
    moved = _split(missing, other.units)
    other.units -= sum(m.units for m in moved)
    return StopState(other.bin_code, stop.sku, stop.name, moved), _minus(missing, moved)
