"""The ship fulfilment order as the bench and the ledger see it: per-line counters, its
parcels, and the state they derive. See :mod:`.steps` for the steps that change it. Pure.

Per line, counters only grow: ``ordered``; ``picked`` off the shelf; ``unpicked`` put
back on the shelf; ``rejected`` refused by this location (rerouted by the ledger);
``packed`` into parcels (less the units of voided labels: the one counter that a void
lowers, because the units are loose again). Everything else is derived from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.fulfilment import FulfilmentState, line_of

S = FulfilmentState
# Set by the ledger, never by the counters: the bench's picks after them are put back.
CLOSED_CENTRALLY = frozenset({S.REROUTED, S.CANCELLED})
# States where no intention of the bench applies any more.
FINISHED = frozenset({*CLOSED_CENTRALLY, S.SHIPPED, S.DELIVERED, S.REJECTED})


@dataclass(frozen=True)
class ShipOrderLine:
    """One line of a ship order and its counters (see the module docstring)."""

    sku: str
    ordered: int
    picked: int = 0
    unpicked: int = 0
    rejected: int = 0
    packed: int = 0
    item_id: int = 0
    name: str = ""
    gtin: str = ""

    @property
    def in_hand(self) -> int:
        """Units off the shelf in the location's custody (in totes or parcels)."""
        return max(0, self.picked - self.unpicked)

    @property
    def loose(self) -> int:
        """Units off the shelf not in a parcel: in a tote or on the bench."""
        return max(0, self.in_hand - self.packed)

    @property
    def wanted(self) -> int:
        """Units the customer is owed from here, unless the order was closed centrally."""
        return max(0, self.ordered - self.rejected)


@dataclass(frozen=True)
class ParcelRecord:
    """A parcel packed for the order: its SSCC, what it holds, and whether its label is void."""

    sscc: str
    lines: tuple[tuple[str, int], ...]  # (sku, units)
    void: bool = False
    handed_over: bool = False  # scanned out to the carrier's driver


@dataclass(frozen=True)
class ShipOrder:
    """A ship fulfilment order at one location."""

    id: int
    order_number: str
    location: str
    state: FulfilmentState
    lines: tuple[ShipOrderLine, ...]
    parcels: tuple[ParcelRecord, ...] = ()

    def line(self, sku: str) -> ShipOrderLine:
        return line_of(self.lines, sku, self.order_number)

    @property
    def closed_centrally(self) -> bool:
        return self.state in CLOSED_CENTRALLY

    def owed(self, line: ShipOrderLine) -> int:
        """Units of ``line`` still to ship from here: none once closed centrally."""
        return 0 if self.closed_centrally else line.wanted

    def to_pick(self, line: ShipOrderLine) -> int:
        """Units still to take off the shelf: what stays reserved."""
        return max(0, self.owed(line) - line.in_hand)

    def to_pack(self, line: ShipOrderLine) -> int:
        """Units picked for the order and not packed yet."""
        return max(0, min(line.in_hand, self.owed(line)) - line.packed)

    def unpick_due(self, line: ShipOrderLine) -> int:
        """Loose units beyond what is still to pack: they go back to the shelf."""
        return max(0, line.loose - max(0, self.owed(line) - line.packed))

    def rejectable(self, line: ShipOrderLine) -> int:
        """Units this location may still refuse: what is owed and not packed."""
        return max(0, self.owed(line) - line.packed)

    def parcel(self, sscc: str) -> ParcelRecord | None:
        """The parcel with this SSCC whose label is not void, if any."""
        return next((p for p in self.parcels if p.sscc == sscc and not p.void), None)


@dataclass(frozen=True)
class ShelfMove:
    """Units of a SKU off (negative) or back on (positive) a bin's shelf."""

    sku: str
    bin: str
    units: int


@dataclass(frozen=True)
class StepOutcome:
    """A step's new view, its shelf moves, reservation changes and exceptions to open."""

    order: ShipOrder
    moves: tuple[ShelfMove, ...] = ()
    reserved: tuple[tuple[str, int], ...] = ()  # (sku, change of units reserved)
    exceptions: tuple[str, ...] = ()  # kinds: picked_after_close, packed_beyond …
    note: str = ""  # for the timeline


def derive_state(order: ShipOrder, lines: Sequence[ShipOrderLine]) -> FulfilmentState:
    """The state the counters put the order in (closed, shipped and delivered are kept)."""
    if order.state in CLOSED_CENTRALLY or order.state in (S.SHIPPED, S.DELIVERED):
        return order.state
    wanted = sum(line.wanted for line in lines)
    if wanted == 0:
        return S.REJECTED
    if all(line.packed >= line.wanted for line in lines):
        return S.PACKED
    if all(line.in_hand >= line.wanted for line in lines):
        return S.PICKED
    if any(line.picked for line in lines):
        return S.PICKING
    return order.state if order.state in (S.ROUTED, S.ACCEPTED) else S.ACCEPTED
