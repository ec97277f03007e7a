"""What each scan means on a batch pick walk (:mod:`app.domain.pick_walk`). Pure.

At each stop the picker scans the bin, then the item, unit by unit (or keys a count),
up to what the first tote of the stop takes, then that tote's barcode to confirm the
put; then the next tote's units, and so on. A scan that does not fit the step is refused
with the reason to show beside a double beep, and changes nothing. Every outcome says
what to do next.

A bin holding fewer than the stop needs is marked short with the units found. The units
missing come off the stop's last totes first. Another bin here with units the walk does
not already take is suggested as the next stop; what no bin holds is left short, to be
rejected with a reason. A stop can be skipped and come back to later, unless units are
in the picker's hand.

Items are recognised by SKU or GTIN, also inside a GS1 element string; totes by barcode
or label (:mod:`.walk_codes`). Each scan is a few dictionary look-ups: the bench calls
this on every scan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from app.domain.gs1 import item_code
from app.domain.pick_walk import BinStock, PickWalk
from app.domain.shipping.pick_stops import (
    StopShare,
    StopState,
    cover_short,
    lower_from_last,
    spare_by_sku,
)
from app.domain.shipping.walk_codes import ItemCodes, WalkCodes
from app.errors import BadInput


class ScanResult(StrEnum):
    BIN_VERIFIED = "bin_verified"
    ITEM_COUNTED = "item_counted"
    TOTE_CONFIRMED = "tote_confirmed"
    STOP_DONE = "stop_done"
    WALK_DONE = "walk_done"
    MOVED = "moved"  # skipped to another stop, or went back
    SHORT_ELSEWHERE = "short_elsewhere"  # another bin here holds the missing units
    SHORT_REJECT = "short_reject"  # no bin holds them: reject with a reason
    REFUSED = "refused"


@dataclass(frozen=True)
class ScanOutcome:
    """What a scan did, in words that end with what to do next."""

    result: ScanResult
    words: str

    @property
    def refused(self) -> bool:
        """A wrong scan: the bench double-beeps and shows the words."""
        return self.result is ScanResult.REFUSED


@dataclass(frozen=True)
class CurrentStop:
    """The stop the picker is at, for the screen: the bin, the item, the tote being filled."""

    bin_code: str
    sku: str
    name: str
    tote: str
    counted: int  # units in hand for this tote
    needed: int  # units this tote takes from this bin
    bin_verified: bool


@dataclass(frozen=True)
class PickedUnits:
    """Units taken from a bin and put in a tote (for the ``ship.pick`` of its order)."""

    bin_code: str
    sku: str
    tote: str
    quantity: int


@dataclass(frozen=True)
class ShortUnits:
    """Units a tote should have had that no bin here holds: they need a reason."""

    sku: str
    tote: str
    quantity: int


class PickProgress:
    """A picker's way through one walk, scan by scan (see the module docstring)."""

    def __init__(
        self, walk: PickWalk, items: Iterable[ItemCodes], stock: Iterable[BinStock] = ()
    ) -> None:
        self._stops = [
            StopState(s.bin_code, s.sku, s.name, [StopShare(t.tote, t.quantity) for t in s.totes])
            for s in walk.stops
        ]
        self._at = 0
        stock = list(stock)
        self._codes = WalkCodes(walk, items, stock)
        self._spare = spare_by_sku(walk, stock)
        self._picked: dict[tuple[str, str, str], int] = {}
        self._short: list[ShortUnits] = [
            ShortUnits(line.sku, share.tote, share.quantity)
            for line in walk.short
            for share in line.totes
        ]

    @property
    def done(self) -> bool:
        return all(stop.done for stop in self._stops)

    @property
    def current(self) -> CurrentStop | None:
        """Where the picker is, or None when the walk is done."""
        if self.done:
            return None
        stop = self._stops[self._at]
        return CurrentStop(
            stop.bin_code, stop.sku, stop.name, stop.tote, stop.counted, stop.needed, stop.bin_ok
        )

    @property
    def prompt(self) -> str:
        """What to do next."""
        if self.done:
            return "The walk is done: take the totes to the packing bench."
        stop = self._stops[self._at]
        if not stop.bin_ok:
            return f"Go to bin {stop.bin_code} and scan it."
        if stop.counted < stop.needed:
            return f"Scan {stop.name}: {stop.counted} of {stop.needed} for tote {stop.tote}."
        return f"Put {stop.counted} {stop.name} in tote {stop.tote} and scan the tote."

    def picked(self) -> tuple[PickedUnits, ...]:
        """Units put in totes so far, by bin, SKU and tote."""
        return tuple(PickedUnits(*key, quantity=n) for key, n in self._picked.items())

    def shorts(self) -> tuple[ShortUnits, ...]:
        """Units no bin here holds, per tote: each needs a rejection with a reason."""
        return tuple(self._short)

    def scan(self, text: str, quantity: int = 1) -> ScanOutcome:
        """What a scan (or a keyed count of ``quantity`` units of an item) does."""
        if quantity < 1:
            raise BadInput(f"{quantity} is not a count of units.", next_step="Key 1 or more.")
        if self.done:
            return self._refuse("The walk is done.")
        code = item_code(text.strip())
        stop = self._stops[self._at]
        if not stop.bin_ok:
            return self._at_bin(stop, code)
        if stop.counted < stop.needed:
            return self._at_item(stop, code, quantity)
        return self._at_tote(stop, code)

    def _refuse(self, why: str) -> ScanOutcome:
        return ScanOutcome(ScanResult.REFUSED, f"{why} {self.prompt}")

    def _said(self, result: ScanResult, what: str) -> ScanOutcome:
        return ScanOutcome(result, f"{what} {self.prompt}".lstrip())

    def _wrong(self, stop: StopState, code: str) -> str:
        return self._codes.what_is(code, bin_code=stop.bin_code, name=stop.name)

    def _at_bin(self, stop: StopState, code: str) -> ScanOutcome:
        if code.upper() != stop.bin_code:
            return self._refuse(self._wrong(stop, code))
        stop.bin_ok = True
        return self._said(ScanResult.BIN_VERIFIED, f"Bin {stop.bin_code} is right.")

    def _at_item(self, stop: StopState, code: str, quantity: int) -> ScanOutcome:
        if code.upper() == stop.bin_code:
            return self._said(ScanResult.BIN_VERIFIED, f"Bin {stop.bin_code} is right.")
        if self._codes.sku_of(code) != stop.sku:
            return self._refuse(self._wrong(stop, code))
        left = stop.needed - stop.counted
        if quantity > left:
            return self._refuse(f"Only {left} more {stop.name} go in tote {stop.tote}.")
        stop.counted += quantity
        return self._said(ScanResult.ITEM_COUNTED, f"{stop.name} {stop.counted} of {stop.needed}.")

    def _at_tote(self, stop: StopState, code: str) -> ScanOutcome:
        tote = self._codes.tote_of(code)
        if tote is None:
            if self._codes.sku_of(code) == stop.sku:
                return self._refuse(f"All {stop.needed} for tote {stop.tote} are counted.")
            return self._refuse(f"Put them in tote {stop.tote} and scan its label.")
        if tote != stop.tote:
            return self._refuse(f"Put it in tote {stop.tote}, not {tote}.")
        key = (stop.bin_code, stop.sku, stop.tote)
        self._picked[key] = self._picked.get(key, 0) + stop.counted
        put = f"{stop.counted} in tote {stop.tote}."
        stop.share, stop.counted = stop.share + 1, 0
        stop.settle()
        if not stop.done:
            return self._said(ScanResult.TOTE_CONFIRMED, put)
        result = ScanResult.WALK_DONE if self._leave() else ScanResult.STOP_DONE
        return self._said(result, f"{put} Bin {stop.bin_code} done.")

    def _leave(self) -> bool:
        """After a stop is done: on to the next stop not done; whether the walk is done."""
        if self.done:
            return True
        self._at = self._next_open(self._at, 1)
        return False

    def _next_open(self, start: int, step: int) -> int:
        count = len(self._stops)
        for offset in range(1, count + 1):
            index = (start + step * offset) % count
            if not self._stops[index].done:
                return index
        return start

    def skip(self) -> ScanOutcome:
        """Leave this stop for later and go to the next one not done."""
        return self._move(1)

    def back(self) -> ScanOutcome:
        """Go back to the previous stop not done (one skipped earlier)."""
        return self._move(-1)

    def _move(self, step: int) -> ScanOutcome:
        if self.done:
            return self._refuse("The walk is done.")
        stop = self._stops[self._at]
        if stop.counted:
            return self._refuse(f"First put the {stop.counted} in your hand in tote {stop.tote}.")
        target = self._next_open(self._at, step)
        if target == self._at:
            return self._refuse("This is the only stop left.")
        self._at = target
        return self._said(ScanResult.MOVED, "")

    def short(self, found: int) -> ScanOutcome:
        """The bin of this stop held only ``found`` of the units it should give."""
        if self.done:
            return self._refuse("The walk is done.")
        stop = self._stops[self._at]
        wanted = sum(s.units for s in stop.shares)
        if not stop.taken <= found < wanted:
            return self._refuse(
                f"Key how many {stop.name} bin {stop.bin_code} held: "
                f"at least the {stop.taken} counted, fewer than {wanted}."
            )
        missing = lower_from_last(stop, wanted - found)
        stop.settle()
        said = f"Bin {stop.bin_code} had {found} of {wanted} {stop.name}."
        elsewhere, short = self._send_elsewhere(stop, missing)
        if stop.done:
            self._leave()
        result = ScanResult.SHORT_REJECT if short else ScanResult.SHORT_ELSEWHERE
        return self._said(result, said + elsewhere)

    def _send_elsewhere(self, stop: StopState, missing: list[StopShare]) -> tuple[str, int]:
        """Put the missing units on a new stop at another bin here, or list them short:
        the words, and how many are short."""
        extra, short = cover_short(stop, missing, self._spare.get(stop.sku, []))
        said = ""
        if extra is not None:
            self._stops.insert(self._at + 1, extra)
            units = sum(s.units for s in extra.shares)
            said += f" Take {units} more from bin {extra.bin_code} next."
        self._short += [ShortUnits(stop.sku, s.tote, s.units) for s in short]
        units_short = sum(s.units for s in short)
        if units_short:
            said += f" No other bin here holds {units_short} of them: reject them with a reason."
        return said, units_short
