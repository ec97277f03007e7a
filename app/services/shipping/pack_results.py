"""What the pack step's service returns: frozen dataclasses the pack screen shows."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PackLine:
    """One line of the order at the pack step."""

    sku: str
    name: str
    ordered: int
    packed: int  # in closed parcels
    in_parcel: int  # in the parcel being filled
    to_pack: int  # picked for the order and in no parcel yet (less the open parcel's)
    gtin: str = ""  # the barcode on the item, as the catalogue has it


@dataclass(frozen=True)
class PackedParcelView:
    """A parcel of the order: its SSCC, what it holds, and whether its label is void."""

    sscc: str
    units: int
    void: bool = False


@dataclass(frozen=True)
class PackView:
    """An order at the pack step: its lines, the parcel being filled, the box suggested."""

    fulfilment_id: int
    order_number: str
    state: str
    carrier: str
    lines: tuple[PackLine, ...]
    parcel: tuple[tuple[str, int], ...]  # the parcel being filled: (sku, units)
    box: str  # the box suggested for it (or for everything still to pack)
    expected_g: int  # what the parcel being filled should weigh in that box
    parcels: tuple[PackedParcelView, ...]
    next_step: str  # one line: what to do next

    @property
    def parcel_units(self) -> int:
        return sum(units for _, units in self.parcel)

    @property
    def all_packed(self) -> bool:
        return all(line.to_pack == 0 and line.in_parcel == 0 for line in self.lines)


@dataclass(frozen=True)
class PackScanned:
    """An item scanned into the parcel."""

    view: PackView
    sku: str
    name: str


@dataclass(frozen=True)
class ParcelClosed:
    """A parcel closed: its SSCC and tracking, the op queued, what the printer did."""

    view: PackView
    sscc: str
    tracking: str
    carrier: str
    weight_g: int
    override_by: str  # the lead who accepted the weight, or ""
    op_id: str
    printed: str  # what the printer did, in words ("" when there is no printer)
