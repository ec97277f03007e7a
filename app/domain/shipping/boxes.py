"""Which box an order's items go in, from their sizes and the location's box catalogue. Pure.

A box takes a set of items when each item, turned any way (its sorted dimensions against
the box's sorted inner dimensions), fits inside; when the items' volume is at most
FILL_PERCENT of the box's (packing material and the gaps between items take the rest);
and when the items and the empty box together weigh no more than the box may carry.

The suggestion is the smallest box (by volume, then code) that takes everything. When
none does, the items are split over several parcels, first-fit decreasing: the biggest
unit first, each unit into the first parcel with room, a new parcel opened in the
largest box that takes the unit; then each parcel moves to the smallest box that takes
what it holds. An item with no size on record, or one no box takes, is left out and
named with what the packer should do. The same input always gives the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.errors import BadInput

FILL_PERCENT = 80


def _whole(value: int, what: str, *, minimum: int = 0) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise BadInput(f"{what} must be a whole number of at least {minimum}.")


@dataclass(frozen=True)
class PackItem:
    """Units of one item to pack, with the size (mm) and weight (g) of one unit.

    A size of 0 means none is on record."""

    sku: str
    name: str
    quantity: int
    length_mm: int
    width_mm: int
    height_mm: int
    weight_g: int

    def __post_init__(self) -> None:
        if not self.sku:
            raise BadInput("Each item to pack needs a SKU.")
        _whole(self.quantity, f"The quantity of {self.sku}", minimum=1)
        for what, value in (("length", self.length_mm), ("width", self.width_mm)):
            _whole(value, f"The {what} of {self.sku}")
        _whole(self.height_mm, f"The height of {self.sku}")
        _whole(self.weight_g, f"The weight of {self.sku}")

    @property
    def dims(self) -> tuple[int, int, int]:
        """Dimensions, smallest first: how the item is turned to fit."""
        a, b, c = sorted((self.length_mm, self.width_mm, self.height_mm))
        return (a, b, c)

    @property
    def has_size(self) -> bool:
        return self.dims[0] > 0

    @property
    def volume(self) -> int:
        """Volume of one unit in mm³."""
        return self.length_mm * self.width_mm * self.height_mm


@dataclass(frozen=True)
class BoxType:
    """A box of the location's catalogue: inner size (mm), empty weight and most it carries."""

    code: str
    name: str
    length_mm: int
    width_mm: int
    height_mm: int
    tare_g: int
    max_weight_g: int

    def __post_init__(self) -> None:
        if not self.code:
            raise BadInput("Each box in the catalogue needs a code.")
        for what, value in (
            ("length", self.length_mm),
            ("width", self.width_mm),
            ("height", self.height_mm),
        ):
            _whole(value, f"The inner {what} of box {self.code}", minimum=1)
        _whole(self.tare_g, f"The empty weight of box {self.code}")
        _whole(self.max_weight_g, f"The weight box {self.code} carries", minimum=1)

    @property
    def dims(self) -> tuple[int, int, int]:
        a, b, c = sorted((self.length_mm, self.width_mm, self.height_mm))
        return (a, b, c)

    @property
    def volume(self) -> int:
        return self.length_mm * self.width_mm * self.height_mm


@dataclass(frozen=True)
class Packed:
    """Units of one SKU in a parcel."""

    sku: str
    quantity: int


@dataclass(frozen=True)
class ParcelPlan:
    """One parcel: its box and what goes in it (by SKU, in the order given)."""

    box: BoxType
    items: tuple[Packed, ...]
    weight_g: int  # the items and the empty box

    @property
    def units(self) -> int:
        return sum(p.quantity for p in self.items)


@dataclass(frozen=True)
class Unboxed:
    """Units no box was suggested for, and what the packer does about them."""

    sku: str
    quantity: int
    words: str


@dataclass(frozen=True)
class BoxSuggestion:
    """The parcels suggested (one when a single box takes everything) and what is left out."""

    parcels: tuple[ParcelPlan, ...]
    unboxed: tuple[Unboxed, ...]


@dataclass
class _Load:
    """A parcel being filled: units as (item index, count), their volume and weight."""

    box: BoxType
    counts: dict[int, int]
    volume: int = 0
    weight: int = 0


def _fits(dims: tuple[int, int, int], box: BoxType) -> bool:
    return all(d <= b for d, b in zip(dims, box.dims, strict=True))


def _takes(box: BoxType, volume: int, weight: int, fill_percent: int) -> bool:
    return volume * 100 <= box.volume * fill_percent and weight + box.tare_g <= box.max_weight_g


def _by_size(catalogue: Iterable[BoxType]) -> list[BoxType]:
    return sorted(catalogue, key=lambda b: (b.volume, b.max_weight_g, b.code))


def _why_unboxed(item: PackItem, boxes: Sequence[BoxType], fill_percent: int) -> str:
    """Words for an item no box is suggested for; "" when some box takes one unit."""
    if not boxes:
        return f"No boxes are on record here: choose a box for {item.name} yourself."
    if not item.has_size:
        return f"Item {item.name} has no size on record: choose a box yourself."
    if any(
        _fits(item.dims, b) and _takes(b, item.volume, item.weight_g, fill_percent) for b in boxes
    ):
        return ""
    size = "×".join(str(d) for d in (item.length_mm, item.width_mm, item.height_mm))
    return (
        f"Item {item.name} ({size} mm, {item.weight_g} g) is too big or heavy for every box "
        "here: pack it on its own or choose a box yourself."
    )


def _smallest(
    boxes: Sequence[BoxType], items: Sequence[PackItem], counts: dict[int, int], fill: int
) -> BoxType | None:
    """The smallest box that takes ``counts`` units of ``items``, or None."""
    volume = sum(items[i].volume * n for i, n in counts.items())
    weight = sum(items[i].weight_g * n for i, n in counts.items())
    for box in boxes:
        if all(_fits(items[i].dims, box) for i in counts) and _takes(box, volume, weight, fill):
            return box
    return None


def _fill(
    boxes: Sequence[BoxType], items: Sequence[PackItem], packable: Sequence[int], fill: int
) -> list[_Load]:
    """First-fit decreasing: each unit, biggest first, into the first parcel with room."""
    loads: list[_Load] = []
    order = sorted(packable, key=lambda i: (-items[i].volume, -items[i].weight_g, items[i].sku))
    for index in order:
        item = items[index]
        for _ in range(item.quantity):
            load = next((ld for ld in loads if _room_for(ld, item, fill)), None)
            if load is None:
                load = _Load(_largest_for(boxes, item, fill), {})
                loads.append(load)
            load.counts[index] = load.counts.get(index, 0) + 1
            load.volume += item.volume
            load.weight += item.weight_g
    return loads


def _room_for(load: _Load, item: PackItem, fill: int) -> bool:
    return _fits(item.dims, load.box) and _takes(
        load.box, load.volume + item.volume, load.weight + item.weight_g, fill
    )


def _largest_for(boxes: Sequence[BoxType], item: PackItem, fill: int) -> BoxType:
    return next(
        b
        for b in reversed(boxes)
        if _fits(item.dims, b) and _takes(b, item.volume, item.weight_g, fill)
    )


def _plan(
    box: BoxType, items: Sequence[PackItem], counts: dict[int, int], order: Sequence[int]
) -> ParcelPlan:
    packed = tuple(Packed(items[i].sku, counts[i]) for i in order if i in counts)
    weight = box.tare_g + sum(items[i].weight_g * n for i, n in counts.items())
    return ParcelPlan(box, packed, weight)


def suggest_boxes(
    items: Sequence[PackItem], catalogue: Iterable[BoxType], *, fill_percent: int = FILL_PERCENT
) -> BoxSuggestion:
    """The box (or boxes) to pack ``items`` in, and the items no box is suggested for."""
    if not 0 < fill_percent <= 100:
        raise BadInput(f"A box may be filled 1 to 100 percent, not {fill_percent}.")
    boxes = _by_size(catalogue)
    unboxed: list[Unboxed] = []
    packable: list[int] = []
    for index, item in enumerate(items):
        why = _why_unboxed(item, boxes, fill_percent)
        if why:
            unboxed.append(Unboxed(item.sku, item.quantity, why))
        else:
            packable.append(index)
    if not packable:
        return BoxSuggestion((), tuple(unboxed))
    everything = {i: items[i].quantity for i in packable}
    one = _smallest(boxes, items, everything, fill_percent)
    if one is not None:
        return BoxSuggestion((_plan(one, items, everything, packable),), tuple(unboxed))
    parcels = []
    for load in _fill(boxes, items, packable, fill_percent):
        box = _smallest(boxes, items, load.counts, fill_percent) or load.box
        parcels.append(_plan(box, items, load.counts, packable))
    return BoxSuggestion(tuple(parcels), tuple(unboxed))
